import { makeDomain, makeInfra, type NetworkPolicy } from '@anklume/schema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { desired } from './desired.js'
import { diff } from './diff.js'
import { formatPlan } from './format.js'
import type { ObservedInstance, ObservedMember, ObservedState } from './observed.js'
import { emptyObserved } from './observed.js'
import {
  type ClusterInput,
  clusterInput,
  defaultMembers,
  placeInstance,
  placementProblem,
  tunnelIds,
} from './placement.js'

const member = (name: string, groups = ['default'], online = true): ObservedMember => ({
  name,
  online,
  status: online ? 'Online' : 'Offline',
  groups,
})
const MEMBERS = [member('m1', ['default', 'gpu']), member('m2'), member('m3', ['default', 'gpu'])]

const input = (locations: Record<string, string> = {}, members = MEMBERS): ClusterInput => ({
  members,
  locations: new Map(Object.entries(locations)),
  localPools: new Set(['local']),
})

const policy = (from: string, to: string): NetworkPolicy => ({
  description: '',
  from,
  to,
  ports: [80],
  protocol: 'tcp',
  bidirectional: false,
  pos: undefined,
})

describe('placement', () => {
  it('a declared member is where the instance goes, and an instance elsewhere is not allowed to stay', () => {
    const home = { domain: 'a', member: 'm1' }
    expect(placeInstance(input(), 'a/x', home, 'm2')).toEqual({
      target: 'm2',
      allowed: ['m2'],
      declared: 'm2',
    })
    expect(placeInstance(input({ 'a/x': 'm3' }), 'a/x', home, 'm2')).toMatchObject({
      target: 'm2',
      allowed: ['m2'],
    })
  })

  it('a group keeps an instance already on one of its members, and picks the default member when it is in the group', () => {
    expect(placeInstance(input({ 'a/x': 'm3' }), 'a/x', { domain: 'a', member: 'm1' }, '@gpu')).toEqual({
      target: 'm3',
      allowed: ['m1', 'm3'],
      declared: '@gpu',
    })
    expect(placeInstance(input(), 'a/x', { domain: 'a', member: 'm1' }, '@gpu').target).toBe('m1')
    expect(['m1', 'm3']).toContain(
      placeInstance(input(), 'a/x', { domain: 'a', member: 'm2' }, '@gpu').target,
    )
  })

  it('nothing declared: an existing instance is never moved, a new one goes to its domain member', () => {
    expect(placeInstance(input({ 'a/x': 'm3' }), 'a/x', { domain: 'a', member: 'm1' }, undefined)).toEqual({
      target: 'm3',
    })
    expect(placeInstance(input(), 'a/x', { domain: 'a', member: 'm2' }, undefined)).toEqual({ target: 'm2' })
  })

  it('is stable: the same file on the same members places the same way, whatever the member order', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 6 }), (names) => {
        const infra = makeInfra(names.map((n, i) => makeDomain(`${n}${i}`, i + 1)))
        const a = defaultMembers(infra, MEMBERS)
        const b = defaultMembers(infra, [...MEMBERS].reverse())
        expect([...b]).toEqual([...a])
        for (const m of a.values()) expect(['m1', 'm2', 'm3']).toContain(m)
      }),
    )
  })

  it('domains a policy links share a member, the one a domain of the group declares', () => {
    const infra = makeInfra([
      makeDomain('web', 1, { 'web-1': {} }),
      makeDomain('db', 2, { 'db-1': {} }, { placement: 'm3' }),
      makeDomain('lone', 3),
    ])
    infra.networkPolicies.push(policy('web-1', 'db'))
    const homes = defaultMembers(infra, MEMBERS)
    expect(homes.get('web')).toBe('m3')
    expect(homes.get('db')).toBe('m3')
  })

  it('names what is wrong with a placement', () => {
    expect(placementProblem(MEMBERS, 'm2')).toBeUndefined()
    expect(placementProblem(MEMBERS, '@gpu')).toBeUndefined()
    expect(placementProblem(MEMBERS, 'm9')).toBe('"m9" is not a member of this cluster (members: m1, m2, m3)')
    expect(placementProblem(MEMBERS, '@fast')).toBe(
      'cluster group "fast" has no member (groups: @default, @gpu)',
    )
  })

  it('gives each bridge its own VXLAN id, stable', () => {
    const ids = tunnelIds(['net-a', 'net-b', 'net-c'])
    expect(new Set(ids.values()).size).toBe(3)
    expect(tunnelIds(['net-c', 'net-a', 'net-b'])).toEqual(ids)
    for (const id of ids.values()) expect(id).toBeGreaterThan(0)
  })
})

describe('desired state on a cluster', () => {
  const infra = () =>
    makeInfra([
      makeDomain('a', 1, {
        'a-1': {
          placement: 'm1',
          storageVolumes: [{ name: 'data', pool: 'local', size: undefined, path: '/d' }],
        },
        'a-2': { placement: 'm2' },
      }),
      makeDomain('b', 2, { 'b-1': {} }, { placement: 'm3' }),
    ])

  it('places instances and their local volumes, and tunnels only the bridge whose domain spans members', () => {
    const d = desired(infra(), { level: 1, cluster: input() })
    expect(d.instances.map((i) => [i.name, i.target])).toEqual([
      ['a-1', 'm1'],
      ['a-2', 'm2'],
      ['b-1', 'm3'],
    ])
    expect(d.volumes[0]?.target).toBe('m1')
    const [na, nb] = d.networks
    expect(na?.config['tunnel.t.protocol']).toBe('vxlan')
    expect(na?.config['tunnel.t.group']).toMatch(/^239\.\d+\.\d+\.\d+$/)
    expect(na?.config['raw.dnsmasq']).toBe('dhcp-ignore=tag:!known')
    expect(nb?.config['tunnel.t.protocol']).toBeUndefined()
  })

  it('warns when a policy links ends on different members', () => {
    const inf = infra()
    inf.networkPolicies.push(policy('a-1', 'b-1'))
    const d = desired(inf, { level: 1, cluster: input() })
    expect(d.warnings.join('\n')).toMatch(
      /network policy a-1 -> b-1: its ends run on different cluster members/,
    )
  })

  it('is unchanged on a single host', () => {
    const d = desired(infra(), { level: 1 })
    expect(d.instances.every((i) => i.target === undefined)).toBe(true)
    expect(d.networks.every((n) => n.config['tunnel.t.protocol'] === undefined)).toBe(true)
  })
})

describe('diff on a cluster', () => {
  const inst = (name: string, project: string, over: Partial<ObservedInstance>): ObservedInstance => ({
    name,
    project,
    type: 'container',
    status: 'Running',
    config: {},
    devices: {},
    profiles: ['default'],
    ...over,
  })

  function converged(infra: ReturnType<typeof makeInfra>, locations: Record<string, string>): ObservedState {
    const d = desired(infra, { level: 1, cluster: input(locations) })
    const o = emptyObserved()
    o.cluster = { members: MEMBERS }
    o.networks = d.networks.map((n) => ({ name: n.name, config: n.config, description: n.description }))
    o.projects = d.projects.map((p) => ({ name: p.name, config: p.config, description: p.description }))
    o.profiles = d.profiles.map((p) => ({ ...p }))
    o.instances = d.instances.map((i) =>
      inst(i.name, i.project, {
        config: i.config,
        devices: i.devices,
        profiles: i.profiles,
        description: i.description,
        location: locations[`${i.project}/${i.name}`] as string,
      }),
    )
    return o
  }

  const two = () =>
    makeInfra([makeDomain('a', 1, { 'a-1': { placement: 'm1' }, 'a-2': { placement: 'm1' } })])

  it('plans nothing on a converged cluster, and a move when a placement changes', () => {
    const infra = two()
    const obs = converged(infra, { 'a/a-1': 'm1', 'a/a-2': 'm1' })
    const plan0 = diff(desired(infra, { level: 1, cluster: clusterInput(obs) }), obs, { projectName: 'lab' })
    expect(plan0.actions).toEqual([])
    const moved = two()
    ;(moved.domains[0]?.machines[1] as { placement?: string }).placement = 'm2'
    const d = desired(moved, { level: 1, cluster: clusterInput(obs) })
    const plan = diff(d, obs, { projectName: 'lab' })
    const move = plan.actions.find((a) => a.op === 'move')
    expect(move).toMatchObject({ name: 'a-2', changes: [{ field: 'location', from: 'm1', to: 'm2' }] })
    expect(plan.summary.move).toBe(1)
    expect(formatPlan(plan)).toMatch(/^>> move instance a\/a-2 {2}location: "m1" -> "m2"$/m)
    expect(formatPlan(plan)).toMatch(/1 to move\./)
  })

  it('leaves an instance of an offline member alone, and says why', () => {
    const infra = two()
    const obs = converged(infra, { 'a/a-1': 'm1', 'a/a-2': 'm1' })
    obs.cluster = { members: [member('m1', ['default'], false), member('m2'), member('m3')] }
    obs.instances = obs.instances.map((i) => ({
      ...i,
      status: 'Error',
      config: {},
      devices: {},
      unreachable: true,
    }))
    const plan = diff(desired(infra, { level: 1, cluster: clusterInput(obs) }), obs, {
      projectName: 'lab',
      prune: true,
    })
    expect(plan.actions).toEqual([])
    expect(plan.skipped.map((s) => s.reason)).toEqual([
      'cluster member m1 is offline: instance not read, left alone',
      'cluster member m1 is offline: instance not read, left alone',
    ])
  })

  it('does not create an instance on an offline member', () => {
    const infra = two()
    const obs = converged(infra, {})
    obs.instances = []
    obs.cluster = { members: [member('m1', ['default'], false), member('m2'), member('m3')] }
    const plan = diff(desired(infra, { level: 1, cluster: clusterInput(obs) }), obs, { projectName: 'lab' })
    expect(plan.actions.filter((a) => a.kind === 'instance')).toEqual([])
    expect(plan.skipped[0]?.reason).toBe(
      'placed on cluster member m1, which is offline: created once it is back',
    )
  })
})
