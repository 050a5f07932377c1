import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { isPendingNetwork, observe } from './observe.js'

let fake: FakeIncus
beforeEach(async () => {
  fake = await fakeIncus()
})
afterEach(() => fake.close())

describe('observe', () => {
  it('reads every kind the planner compares, across projects, with one GET per kind (bridges one by one)', async () => {
    fake.seed('projects/pro', { name: 'pro', config: {} })
    fake.seed('networks/net-pro', { name: 'net-pro', config: {} })
    fake.seed('profiles/pro/default', { name: 'default', config: {}, devices: {} })
    fake.seed('instances/pro/web', { name: 'web', status: 'Running', config: {} })
    fake.seed('volumes/pro/default/data', { name: 'data', config: {} })
    fake.seed('network-acls/acl-a', { name: 'acl-a', config: {} })
    const o = await observe(fake.client, { pools: ['default', 'default'] })
    expect(o.projects.map((p) => p.name)).toEqual(['pro'])
    expect(o.networks.map((n) => n.name)).toEqual(['net-pro'])
    expect(o.profiles).toEqual([expect.objectContaining({ name: 'default', project: 'pro' })])
    expect(o.instances).toEqual([expect.objectContaining({ name: 'web', project: 'pro' })])
    expect(o.volumes).toEqual({ default: [expect.objectContaining({ name: 'data', project: 'pro' })] })
    expect(o.acls?.map((a) => a.name)).toEqual(['acl-a'])
    expect(o.zones).toEqual([])
    expect(o.images).toEqual([])
    expect(fake.daemon.seen.filter((s) => s.includes('volumes'))).toHaveLength(1)
  })

  it('reads the bridges anklume names one by one, never the whole list with used_by; import reads them all', async () => {
    for (const n of ['net-a', '001-net-b', 'incusbr0', 'eth0'])
      fake.seed(`networks/${n}`, { name: n, config: {} })
    // net-c is listed, then deleted before its own read: absent, not an error.
    fake.seed('networks/net-c', { name: 'net-c', config: {} })
    fake.fail('GET', /^\/1\.0\/networks\/net-c$/, 404, 'Network not found')
    const o = await observe(fake.client, { pools: [] })
    expect(o.networks.map((n) => n.name).sort()).toEqual(['001-net-b', 'net-a'])
    const reads = fake.daemon.seen.filter((s) => s.startsWith('GET /1.0/networks'))
    expect(reads.sort()).toEqual([
      'GET /1.0/networks',
      'GET /1.0/networks/001-net-b',
      'GET /1.0/networks/net-a',
      'GET /1.0/networks/net-c',
    ])
    fake.fail('GET', /^\/1\.0\/networks\/net-a$/, 500, 'database is locked')
    await expect(observe(fake.client, { pools: [] })).rejects.toMatchObject({ status: 500 })
    const all = await observe(fake.client, { pools: [], allNetworks: true })
    expect(all.networks.map((n) => n.name).sort()).toEqual([
      '001-net-b',
      'eth0',
      'incusbr0',
      'net-a',
      'net-c',
    ])
  })

  it('reads a pool that does not exist as empty, and fails on other errors', async () => {
    fake.fail('GET', /storage-pools\/gone\//, 404, 'Storage pool not found')
    const o = await observe(fake.client, { pools: ['gone'] })
    expect(o.volumes).toEqual({ gone: [] })
    fake.fail('GET', /storage-pools\/broken\//, 500, 'database is locked')
    await expect(observe(fake.client, { pools: ['broken'] })).rejects.toMatchObject({ status: 500 })
  })

  it('reads instances with their state for status', async () => {
    fake.seed('instances/pro/web', { name: 'web', status: 'Running', config: {} })
    const o = await observe(fake.client, { pools: [], withState: true })
    expect(o.instances).toEqual([expect.objectContaining({ name: 'web', status: 'Running' })])
    expect(fake.daemon.seen).toContain('GET /1.0/instances?recursion=2&all-projects=true')
  })

  it('tells a bridge left by an interrupted create', () => {
    expect(isPendingNetwork({ status: 'Pending' })).toBe(true)
    expect(isPendingNetwork({ status: 'Created' })).toBe(false)
    expect(isPendingNetwork({})).toBe(false)
  })
})
