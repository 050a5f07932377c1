import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nesting } from '../testing/actions.test-util.js'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { auxInfra } from '../testing/infra.test-util.js'
import { applyInfra, planInfra, poolsOf, ResourcePolicyError } from './apply.js'

let fake: FakeIncus
beforeEach(async () => {
  fake = await fakeIncus()
})
afterEach(() => fake.close())

const applyOpts = { nesting, level: 1, nft: false, hostOverlapGuard: false }

describe('planInfra and applyInfra', () => {
  it('plans offline against an empty Incus, ACL and zone changes beside the plan', async () => {
    const planned = await planInfra(undefined, auxInfra(true), { level: 1 })
    expect(planned.online).toBe(false)
    expect(planned.plan.summary.create).toBeGreaterThan(4)
    expect(planned.auxiliary.filter((c) => c.kind === 'zone')).toEqual([
      { op: 'create', kind: 'zone', name: 'front.lab.internal' },
    ])
    expect(planned.auxiliary.some((c) => c.kind === 'acl' && c.op === 'create')).toBe(true)
  })

  it('applies a plan (ACLs and zones first) and then plans nothing more', async () => {
    const infra = auxInfra(true)
    const planned = await planInfra(fake.client, infra, { level: 1 })
    expect(planned.online).toBe(true)
    const result = await applyInfra(fake.client, infra, planned, applyOpts)
    expect(result.execution.ok).toBe(true)
    expect(result.nft).toBeUndefined()
    expect(result.auxiliary).toContain('zone front.lab.internal')
    const firstBridge = fake.writes().indexOf('POST /1.0/networks')
    const lastAux = Math.max(...fake.writes().map((w, i) => (/network-(acls|zones)/.test(w) ? i : -1)))
    expect(lastAux).toBeLessThan(firstBridge)
    expect(fake.get('networks/net-front')?.config).toMatchObject({ 'dns.zone.forward': 'front.lab.internal' })
    expect(fake.get('instances/front/web')?.status).toBe('Running')

    const again = await planInfra(fake.client, infra, { level: 1 })
    expect(again.plan.actions).toEqual([])
    expect(again.auxiliary).toEqual([])
  })

  it('deletes the ACLs and zones the infra no longer asks for, after the plan', async () => {
    await applyInfra(
      fake.client,
      auxInfra(true),
      await planInfra(fake.client, auxInfra(true), { level: 1 }),
      applyOpts,
    )
    const off = auxInfra(false)
    const planned = await planInfra(fake.client, off, { level: 1 })
    expect(planned.auxiliary.every((c) => c.op === 'delete')).toBe(true)
    const result = await applyInfra(fake.client, off, planned, applyOpts)
    expect(result.auxiliary).toContain('zone front.lab.internal')
    expect([...fake.objects.keys()].filter((k) => k.startsWith('network-'))).toEqual([])
    expect(fake.get('networks/net-front')?.config).not.toHaveProperty('dns.zone.forward')
  })

  it('hides a declared bridge left Pending so the plan creates it again', async () => {
    fake.seed('networks/net-front', { name: 'net-front', status: 'Pending', config: {} })
    const planned = await planInfra(fake.client, auxInfra(false), { level: 1 })
    expect(planned.plan.actions.map((a) => a.id)).toContain('network:net-front:create')
    expect(planned.observed.networks.map((n) => n.name)).not.toContain('net-front')
  })

  it('lists the pools the infra uses and refuses a resource policy the host cannot hold', async () => {
    expect(poolsOf(auxInfra(false))).toEqual(['default'])
    const err = new ResourcePolicyError(['memory: 64GiB asked, 8GiB available'])
    expect(err).toMatchObject({
      code: 'ANKLUME_RESOURCE_OVERCOMMIT',
      errors: ['memory: 64GiB asked, 8GiB available'],
    })
    expect(err.message).toBe('resource_policy: memory: 64GiB asked, 8GiB available')
  })
})
