import { generateRuleset } from '@anklume/nftables'
import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { observedFrom } from './converged.js'
import { desired } from './desired.js'
import { diff } from './diff.js'
import type { IsolationInput } from './diff-isolation.js'
import { formatPlan, summaryLine } from './format.js'
import { emptyObserved } from './observed.js'

const infra = makeInfra(
  [makeDomain('a', 2, { 'a-1': {} }, { dnsZone: 'lab' }), makeDomain('b', 3, { 'b-1': {} })],
  { isolation: { table: 'anklume', egress: true, networkAcls: true } },
)
const want = desired(infra, { level: 1 })

function isolation(live: IsolationInput['live']): IsolationInput {
  const ruleset = generateRuleset(infra, { level: 1 })
  return {
    desired: { table: 'anklume', text: ruleset.text, bridges: ['net-a', 'net-b'] },
    generated: ruleset.json,
    live,
  }
}

/** What Incus holds once the infra is applied, ACLs and zones included. */
function converged() {
  const observed = observedFrom(want)
  observed.acls = want.acls.map((a) => ({ ...a }))
  observed.zones = want.zones.map(({ domain: _, ...z }) => ({ ...z }))
  return observed
}

describe('ACL and zone actions', () => {
  it('are created before the bridges that name them, which depend on them', () => {
    const plan = diff(want, emptyObserved(), { projectName: 'lab' })
    const ids = plan.actions.map((a) => a.id)
    expect(ids.slice(0, 3)).toEqual(['acl:acl-net-a:create', 'acl:acl-net-b:create', 'zone:a.lab:create'])
    const netA = plan.actions.find((a) => a.id === 'network:net-a:create')
    const netB = plan.actions.find((a) => a.id === 'network:net-b:create')
    expect(netA?.dependsOn).toEqual(['acl:acl-net-a:create', 'zone:a.lab:create'])
    expect(netB?.dependsOn).toEqual(['acl:acl-net-b:create'])
    expect(plan.summary).toMatchObject({ create: 6, auxiliary: 3, isolation: 0 })
  })

  it('compare rules as Incus filters them: rule order and list order are not a change, a port is', () => {
    const observed = converged()
    for (const acl of observed.acls ?? []) {
      acl.ingress = [...((acl.ingress as object[]) ?? [])].reverse()
      acl.egress = ((acl.egress as Array<Record<string, string>>) ?? []).map((r) =>
        r.destination ? { ...r, destination: r.destination.split(',').reverse().join(', ') } : r,
      )
    }
    expect(diff(want, observed, { projectName: 'lab' }).actions).toEqual([])
    const acl = observed.acls?.[0]
    if (acl) acl.ingress = [...((acl.ingress as object[]) ?? []), { action: 'allow', destination_port: '22' }]
    expect(diff(want, observed, { projectName: 'lab' }).actions.map((a) => a.id)).toEqual([
      'acl:acl-net-a:update',
    ])
  })

  it('plan nothing on a converged host, an update when the rules differ, deletes of stale ones after every bridge', () => {
    expect(diff(want, converged(), { projectName: 'lab' }).actions).toEqual([])
    const observed = converged()
    const acl = observed.acls?.[0]
    if (acl) acl.egress = []
    observed.acls?.push({
      name: 'acl-old',
      config: { 'user.anklume.managed': 'true', 'user.anklume.project': 'lab' },
    })
    observed.acls?.push({ name: 'acl-theirs', config: { 'user.anklume.project': 'other' } })
    observed.networks.push({
      name: 'net-gone',
      config: { 'user.anklume.managed': 'true', 'user.anklume.project': 'lab' },
    })
    const plan = diff(want, observed, { projectName: 'lab', prune: true })
    expect(plan.actions.map((a) => a.id)).toEqual([
      'acl:acl-net-a:update',
      'network:net-gone:delete',
      'acl:acl-old:delete',
    ])
    expect(plan.actions[2]?.dependsOn).toEqual(['network:net-gone:delete'])
    expect(plan.summary).toMatchObject({ update: 0, delete: 1, auxiliary: 2 })
  })

  it('are kept under --domain, which filters the bridges', () => {
    const plan = diff(want, emptyObserved(), { projectName: 'lab', domains: ['b'] })
    const ids = plan.actions.map((a) => a.id)
    expect(ids).toContain('zone:a.lab:create')
    expect(ids).toContain('acl:acl-net-a:create')
    expect(ids).not.toContain('network:net-a:create')
    expect(plan.actions.find((a) => a.id === 'network:net-b:create')?.dependsOn).toEqual([
      'acl:acl-net-b:create',
    ])
  })

  it('print one line each after the other actions, and a note in the summary', () => {
    const plan = diff(
      want,
      { ...converged(), acls: [], zones: [{ name: 'a.lab', config: {} }] },
      { projectName: 'lab' },
    )
    expect(formatPlan(plan).split('\n')).toEqual([
      '+ create network-acl acl-net-a',
      '+ create network-acl acl-net-b',
      '~ update network-zone a.lab',
      '',
      'Plan: 3 network ACL/zone changes.',
    ])
    const bridge = diff(want, emptyObserved(), { projectName: 'lab', domains: ['a'] }).actions.find(
      (a) => a.kind === 'network',
    )
    if (!bridge) throw new Error('no bridge action')
    const withBridge = {
      ...plan,
      actions: [...plan.actions, bridge],
      summary: { ...plan.summary, create: 1 },
    }
    expect(summaryLine(withBridge)).toBe(
      'Plan: 1 to create, 0 to update, 0 to replace, 0 to delete, 0 to start, 0 to restart, 0 to rebuild. Plus 3 network ACL/zone changes.',
    )
  })
})

describe('the isolation table action', () => {
  it('loads a missing table after every bridge action, whatever their outcome', () => {
    const plan = diff(want, emptyObserved(), { projectName: 'lab', isolation: isolation(undefined) })
    const table = plan.actions.at(-1)
    expect(table).toMatchObject({
      id: 'nft-table:anklume:create',
      kind: 'nft-table',
      op: 'create',
      dependsOn: [],
    })
    expect(table?.after).toEqual(['network:net-a:create', 'network:net-b:create'])
    expect(plan.summary.isolation).toBe(1)
    expect(formatPlan(plan)).toContain('\n+ load nftables table inet anklume\n')
    expect(summaryLine(plan)).toMatch(
      / Plus 3 network ACL\/zone changes\. nftables table inet anklume to load\.$/,
    )
  })

  it('reloads a matching table that must be replaced (unmarked, or an earlier table to drop)', () => {
    const iso = isolation(undefined)
    const stale = { ...iso, live: iso.generated, stale: 'replaces inet anklume' }
    const plan = diff(want, converged(), { projectName: 'lab', isolation: stale })
    expect(plan.actions.map((a) => [a.id, a.reason])).toEqual([
      ['nft-table:anklume:update', 'replaces inet anklume'],
    ])
  })

  it('is absent when the live table matches, a reload naming the difference when not', () => {
    const same = isolation(undefined)
    expect(
      diff(want, converged(), { projectName: 'lab', isolation: { ...same, live: same.generated } }).actions,
    ).toEqual([])
    const live = structuredClone(same.generated)
    type SetCmd = { add?: { set?: { name: string; elem?: unknown[] } } }
    const bridges = (live.nftables as SetCmd[]).find((c) => c.add?.set?.name === 'domain_bridges')?.add?.set
    expect(bridges?.elem).toEqual(['net-a', 'net-b'])
    if (bridges) bridges.elem = ['net-a']
    const plan = diff(want, converged(), { projectName: 'lab', isolation: { ...same, live } })
    expect(plan.actions.map((a) => a.id)).toEqual(['nft-table:anklume:update'])
    expect(plan.actions[0]?.after).toEqual([])
    expect(formatPlan(plan).split('\n')).toEqual([
      '~ reload nftables table inet anklume (1 element differs)',
      '',
      'Plan: nftables table inet anklume to reload.',
    ])
  })
})
