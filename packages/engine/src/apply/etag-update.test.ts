import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { updateWithEtag } from './etag-update.js'

let fake: FakeIncus
beforeEach(async () => {
  fake = await fakeIncus()
})
afterEach(() => fake.close())

const call = () => ({ client: fake.client, signal: undefined })
const setLimit = [{ field: 'config' as const, key: 'limits.cpu', from: '1', to: '2' }]

describe('updateWithEtag', () => {
  it('applies the changes to what it read and keeps every other key', async () => {
    fake.seed('networks/net-a', {
      name: 'net-a',
      description: 'old',
      config: { 'ipv4.address': '10.1.0.1/24', 'limits.cpu': '1' },
      status: 'Created',
    })
    await updateWithEtag(call(), { kind: 'network', name: 'net-a' }, [
      ...setLimit,
      { field: 'description', from: 'old', to: 'new' },
    ])
    expect(fake.get('networks/net-a')).toMatchObject({
      description: 'new',
      config: { 'ipv4.address': '10.1.0.1/24', 'limits.cpu': '2' },
    })
  })

  it('sends the ETag it read: a concurrent edit makes the write fail with INCUS_CONFLICT', async () => {
    fake.seed('projects/p', { name: 'p', config: { 'limits.cpu': '1' } })
    const edit = () => {
      fake.touch('projects/p') // someone writes between our read and our write
      return setLimit
    }
    await expect(updateWithEtag(call(), { kind: 'project', name: 'p' }, edit)).rejects.toMatchObject({
      code: 'INCUS_CONFLICT',
      status: 412,
    })
    expect(fake.get('projects/p')?.config).toEqual({ 'limits.cpu': '1' })
  })

  it('edits profiles (devices included), volumes and instances in their project', async () => {
    fake.seed('profiles/dom/gui', { name: 'gui', config: {}, devices: { shm: { type: 'disk' } } })
    fake.seed('volumes/dom/pool1/data', { name: 'data', config: { size: '1GiB' } })
    fake.seed('instances/dom/web', { name: 'web', config: {}, devices: {}, profiles: [], status: 'Running' })
    const c = call()
    await updateWithEtag(c, { kind: 'profile', name: 'gui', project: 'dom' }, [
      { field: 'devices', key: 'shm' },
      { field: 'devices', key: 'eth0', to: { type: 'nic', network: 'br' } },
    ])
    await updateWithEtag(c, { kind: 'volume', name: 'data', project: 'dom', pool: 'pool1' }, [
      { field: 'config', key: 'size', from: '1GiB', to: '2GiB' },
    ])
    const fresh = await updateWithEtag(c, { kind: 'instance', name: 'web', project: 'dom' }, [
      { field: 'profiles', from: [], to: ['default'] },
    ])
    expect(fresh.status).toBe('Running')
    expect(fake.get('profiles/dom/gui')?.devices).toEqual({ eth0: { type: 'nic', network: 'br' } })
    expect(fake.get('volumes/dom/pool1/data')?.config).toEqual({ size: '2GiB' })
    expect(fake.get('instances/dom/web')?.profiles).toEqual(['default'])
    expect(fake.writes()).toEqual([
      'PUT /1.0/profiles/gui?project=dom',
      'PUT /1.0/storage-pools/pool1/volumes/custom/data?project=dom',
      'PUT /1.0/instances/web?project=dom',
    ])
  })

  it('computes the changes from what was read when given a function', async () => {
    fake.seed('profiles/dom/default', {
      name: 'default',
      config: { a: 'b' },
      devices: { root: {}, eth0: {} },
    })
    await updateWithEtag(call(), { kind: 'profile', name: 'default', project: 'dom' }, (fresh) =>
      Object.keys(fresh.devices ?? {}).map((key) => ({ field: 'devices' as const, key })),
    )
    expect(fake.get('profiles/dom/default')).toMatchObject({ config: { a: 'b' }, devices: {} })
  })

  it('uses the default pool for a volume without one, and fails on an absent object', async () => {
    fake.seed('volumes/dom/default/v', { name: 'v', config: {} })
    await updateWithEtag(call(), { kind: 'volume', name: 'v', project: 'dom' }, setLimit)
    expect(fake.get('volumes/dom/default/v')?.config).toEqual({ 'limits.cpu': '2' })
    await expect(updateWithEtag(call(), { kind: 'network', name: 'nope' }, setLimit)).rejects.toMatchObject({
      code: 'INCUS_NOT_FOUND',
    })
  })
})
