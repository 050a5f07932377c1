import { generateRuleset } from '@anklume/nftables'
import type { DesiredTable } from '@anklume/planner'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nesting } from '../testing/actions.test-util.js'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { asListing, auxInfra } from '../testing/infra.test-util.js'
import { applyInfra, planInfra, poolsOf, ResourcePolicyError } from './apply.js'

let fake: FakeIncus
beforeEach(async () => {
  fake = await fakeIncus()
})
afterEach(() => fake.close())

const applyOpts = { nesting, hostOverlapGuard: false }
const besides = (ids: string[]) => ids.filter((id) => /^(acl|zone):/.test(id))

describe('planInfra and applyInfra', () => {
  it('plans offline against an empty Incus, ACL and zone creates in the plan', async () => {
    const planned = await planInfra(undefined, auxInfra(true), { level: 1, hostIsolation: true })
    expect(planned.online).toBe(false)
    expect(planned.isolation).toBeUndefined()
    expect(planned.plan.summary.create).toBeGreaterThan(4)
    const ids = planned.plan.actions.map((a) => a.id)
    expect(ids).toContain('zone:front.lab.internal:create')
    expect(ids.some((id) => /^acl:.*:create$/.test(id))).toBe(true)
    expect(ids.some((id) => id.startsWith('nft-table'))).toBe(false)
  })

  it('applies a plan (ACLs and zones before the bridges) and then plans nothing more', async () => {
    const infra = auxInfra(true)
    const planned = await planInfra(fake.client, infra, { level: 1 })
    expect(planned.online).toBe(true)
    const result = await applyInfra(fake.client, planned, applyOpts)
    expect(result.execution.ok).toBe(true)
    expect(result.nft).toBeUndefined()
    const done = result.execution.results.filter((r) => r.status === 'done').map((r) => r.id)
    expect(besides(done)).toContain('zone:front.lab.internal:create')
    const firstBridge = fake.writes().indexOf('POST /1.0/networks')
    const lastAux = Math.max(...fake.writes().map((w, i) => (/network-(acls|zones)/.test(w) ? i : -1)))
    expect(lastAux).toBeLessThan(firstBridge)
    expect(fake.get('networks/net-front')?.config).toMatchObject({ 'dns.zone.forward': 'front.lab.internal' })
    expect(fake.get('instances/front/web')?.status).toBe('Running')

    const again = await planInfra(fake.client, infra, { level: 1 })
    expect(again.plan.actions).toEqual([])
  })

  it('deletes the ACLs and zones the infra no longer asks for, after the bridges let go of them', async () => {
    await applyInfra(fake.client, await planInfra(fake.client, auxInfra(true), { level: 1 }), applyOpts)
    const off = auxInfra(false)
    const planned = await planInfra(fake.client, off, { level: 1 })
    const ids = besides(planned.plan.actions.map((a) => a.id))
    expect(ids.length).toBe(3)
    expect(ids.every((id) => id.endsWith(':delete'))).toBe(true)
    const result = await applyInfra(fake.client, planned, applyOpts)
    expect(result.execution.ok).toBe(true)
    expect([...fake.objects.keys()].filter((k) => k.startsWith('network-'))).toEqual([])
    expect(fake.get('networks/net-front')?.config).not.toHaveProperty('dns.zone.forward')
    const writes = fake.writes()
    const lastBridge = Math.max(...writes.map((w, i) => (/^PUT \/1\.0\/networks\//.test(w) ? i : -1)))
    const firstDelete = writes.findIndex((w) => /^DELETE \/1\.0\/network-(acls|zones)/.test(w))
    expect(firstDelete).toBeGreaterThan(lastBridge)
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

describe('the isolation table in the plan', () => {
  const infra = auxInfra(false)
  const generated = generateRuleset(infra, { level: 1 }).json

  it('plans loading a missing table after the bridges, and loads it through the loader', async () => {
    const planned = await planInfra(fake.client, infra, {
      level: 1,
      hostIsolation: true,
      listRuleset: async () => ({ nftables: [] }),
    })
    expect(planned.isolation).toEqual({ status: 'missing', table: 'anklume_lab', warnings: [] })
    const table = planned.plan.actions.at(-1)
    expect(table).toMatchObject({ id: 'nft-table:anklume_lab:create', dependsOn: [] })
    expect(table?.after).toEqual(['network:net-back:create', 'network:net-front:create'])
    const loaded: DesiredTable[] = []
    const events: string[] = []
    const result = await applyInfra(fake.client, planned, {
      ...applyOpts,
      onEvent: (e) => events.push(`${e.type} ${e.action.id}`),
      loadTable: async (t) => {
        loaded.push(t)
        return {
          table: t.table,
          warnings: [{ code: 'BR_NETFILTER' as const, message: 'br_netfilter is off' }],
        }
      },
    })
    expect(result.execution.ok).toBe(true)
    const load = events.indexOf('start nft-table:anklume_lab:create')
    const bridges = events.map((e, i) => (/^finish network:/.test(e) ? i : -1)).filter((i) => i >= 0)
    expect(bridges).toHaveLength(2)
    expect(load).toBeGreaterThan(Math.max(...bridges))
    expect(loaded.map((t) => [t.table, t.bridges])).toEqual([['anklume_lab', ['net-front', 'net-back']]])
    expect(loaded[0]?.text).toContain('table inet anklume_lab')
    expect(result.nft).toEqual({
      ok: true,
      result: {
        table: 'anklume_lab',
        warnings: [{ code: 'BR_NETFILTER', message: 'br_netfilter is off' }],
        unchanged: false,
      },
    })
  })

  it('still loads the table when a bridge fails', async () => {
    fake.fail('POST', /^\/1\.0\/networks$/, 400, 'no', { times: 100 })
    const planned = await planInfra(fake.client, infra, {
      level: 1,
      hostIsolation: true,
      listRuleset: async () => ({ nftables: [] }),
    })
    let loads = 0
    const result = await applyInfra(fake.client, planned, {
      ...applyOpts,
      loadTable: async () => void loads++,
    })
    expect(result.execution.ok).toBe(false)
    expect(loads).toBe(1)
    expect(result.nft).toMatchObject({ ok: true })
  })

  it('plans nothing for a table that matches, reports it up to date; an unreadable table is not a plan action', async () => {
    const same = await planInfra(fake.client, infra, {
      level: 1,
      hostIsolation: true,
      listRuleset: async () => asListing(generated),
    })
    expect(same.isolation?.status).toBe('same')
    expect(same.plan.actions.some((a) => a.kind === 'nft-table')).toBe(false)
    const result = await applyInfra(fake.client, same, applyOpts)
    expect(result.nft).toEqual({ ok: true, result: { table: 'anklume_lab', warnings: [], unchanged: true } })

    const denied = Object.assign(new Error('reading the nftables table needs root'), {
      code: 'ANKLUME_NFT_NOT_ROOT',
    })
    const unknown = await planInfra(fake.client, infra, {
      level: 1,
      hostIsolation: true,
      listRuleset: () => Promise.reject(denied),
    })
    expect(unknown.isolation).toEqual({ status: 'unknown', table: 'anklume_lab', error: denied })
    expect(unknown.plan.actions.some((a) => a.kind === 'nft-table')).toBe(false)
    expect((await applyInfra(fake.client, unknown, applyOpts)).nft).toEqual({ ok: false, error: denied })
  })

  it('reports a table load that failed', async () => {
    const planned = await planInfra(fake.client, infra, {
      level: 1,
      hostIsolation: true,
      listRuleset: async () => ({ nftables: [] }),
    })
    const boom = new Error('nft -f failed')
    const result = await applyInfra(fake.client, planned, {
      ...applyOpts,
      loadTable: () => Promise.reject(boom),
    })
    expect(result.execution.counts.failed).toBe(1)
    expect(result.nft).toEqual({ ok: false, error: boom })
    expect(boom.message).toBe('load nftables table inet anklume_lab: nft -f failed')
  })
})
