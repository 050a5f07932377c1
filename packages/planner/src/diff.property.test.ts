import type { Domain, Machine } from '@anklume/schema'
import { makeDomain, makeInfra } from '@anklume/schema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { observedFrom } from './converged.js'
import { desired } from './desired.js'
import { diff } from './diff.js'
import { emptyObserved } from './observed.js'
import { rank } from './order.js'
import type { Plan } from './plan-types.js'

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/)

const machineArb = fc.record({
  type: fc.constantFrom('lxc' as const, 'vm' as const),
  withIp: fc.boolean(),
  ephemeral: fc.boolean(),
  gpu: fc.boolean(),
  incusSocket: fc.boolean(),
  useProfile: fc.boolean(),
  volume: fc.boolean(),
  config: fc.dictionary(
    fc.constantFrom('limits.cpu', 'limits.memory', 'user.note', 'security.nesting'),
    fc.constantFrom('1', '2', 'true', '512MiB'),
    { maxKeys: 3 },
  ),
  image: fc.constantFrom('images:debian/13', 'images:alpine/3.20', 'local-alias', 'a'.repeat(64)),
  status: fc.constantFrom('Running', 'Stopped'),
})

const domainArb = fc.record({
  machines: fc.array(machineArb, { maxLength: 4 }),
  restricted: fc.boolean(),
  nat: fc.boolean(),
  enabled: fc.boolean(),
  withProfile: fc.boolean(),
  limits: fc.boolean(),
})

const infraArb = fc
  .record({ domains: fc.uniqueArray(name, { minLength: 1, maxLength: 5 }), nesting: fc.boolean() })
  .chain(({ domains, nesting }) =>
    fc
      .record({ specs: fc.array(domainArb, { minLength: domains.length, maxLength: domains.length }) })
      .map(({ specs }) => {
        const list: Domain[] = domains.map((dn, i) => {
          const spec = specs[i]!
          const machines: Record<string, Partial<Machine>> = {}
          spec.machines.forEach((m, j) => {
            machines[`${dn}-m${j}`] = {
              type: m.type,
              ip: m.withIp ? `10.100.${i}.${j + 1}` : undefined,
              ephemeral: m.ephemeral,
              gpu: m.gpu,
              gpuPci: m.gpu && m.type === 'vm' ? '0000:01:00.0' : undefined,
              incusSocket: m.incusSocket,
              profiles: m.useProfile && spec.withProfile ? ['default', 'extra'] : ['default'],
              storageVolumes: m.volume
                ? [{ name: 'shared', pool: 'default', size: '1GiB', path: `/v${j}` }]
                : [],
              config: m.config,
              osImage: m.image,
            }
          })
          return makeDomain(dn, i, machines, {
            restricted: spec.restricted,
            nat: spec.nat,
            enabled: spec.enabled,
            limits: spec.limits ? { cpu: '4', memory: '4GiB' } : {},
            profiles: spec.withProfile
              ? [
                  {
                    name: 'extra',
                    description: 'x',
                    config: { 'user.x': '1' },
                    devices: { tmp: { type: 'disk', source: '/tmp', path: '/mnt/tmp' } },
                  },
                ]
              : [],
          })
        })
        return {
          infra: makeInfra(list, { nestingPrefix: nesting }),
          statuses: specs.flatMap((s) => s.machines.map((m) => m.status)),
        }
      }),
  )

function checkOrder(plan: Plan): void {
  const position = new Map(plan.actions.map((a, i) => [a.id, i]))
  expect(position.size).toBe(plan.actions.length) // ids are unique
  plan.actions.forEach((a, i) => {
    for (const dep of a.dependsOn) {
      const at = position.get(dep)
      expect(at, `${a.id} depends on missing ${dep}`).toBeDefined()
      expect(at!).toBeLessThan(i)
      expect(rank(plan.actions[at!]!)).toBeLessThan(rank(a))
    }
    if (i > 0) expect(rank(plan.actions[i - 1]!)).toBeLessThanOrEqual(rank(a))
  })
}

describe('diff properties (random infras)', () => {
  it('a converged Incus plans zero changes, whatever the instance states', () => {
    fc.assert(
      fc.property(infraArb, ({ infra }) => {
        const d = desired(infra, { level: 2 })
        const plan = diff(d, observedFrom(d), { projectName: 'lab', prune: true, force: true })
        expect(plan.actions).toEqual([])
        expect(plan.skipped).toEqual([])
      }),
      { numRuns: 150 },
    )
  })

  it('a cold plan is a DAG that follows the creation order', () => {
    fc.assert(
      fc.property(infraArb, ({ infra }) => {
        const d = desired(infra, { level: 1 })
        const plan = diff(d, emptyObserved(), { projectName: 'lab' })
        checkOrder(plan)
        const creates = plan.actions.filter((a) => a.op === 'create')
        expect(creates.length).toBe(
          d.networks.length +
            d.projects.length +
            d.volumes.length +
            d.instances.length +
            d.profiles.length -
            d.projects.length,
        )
        for (const a of plan.actions.filter((x) => x.kind === 'instance')) {
          expect(a.dependsOn).toContain(`project:${a.project}:create`)
          expect(a.dependsOn).toContain(`profile:${a.project}/default:update`)
        }
      }),
      { numRuns: 150 },
    )
  })

  it('removing the file empties Incus with prune+force, in deletion order', () => {
    fc.assert(
      fc.property(infraArb, ({ infra }) => {
        const d = desired(infra, { level: 1 })
        const o = observedFrom(d)
        const empty = desired({ ...infra, domains: [] }, { level: 1 })
        const plan = diff(empty, o, { projectName: 'lab', prune: true, force: true })
        checkOrder(plan)
        expect(plan.skipped).toEqual([])
        const removable = d.profiles.filter((p) => p.name !== 'default').length
        expect(plan.summary.delete).toBe(
          d.networks.length + d.projects.length + d.volumes.length + d.instances.length + removable,
        )
      }),
      { numRuns: 100 },
    )
  })

  it('one drifted instance key gives exactly one change', () => {
    fc.assert(
      fc.property(infraArb, fc.nat(), ({ infra }, pick) => {
        const d = desired(infra, { level: 1 })
        fc.pre(d.instances.length > 0)
        const o = observedFrom(d)
        const target = o.instances[pick % o.instances.length]!
        target.config['limits.processes'] = '42'
        const plan = diff(d, o, { projectName: 'lab' })
        expect(plan.actions.map((a) => [a.op, a.name, a.changes])).toEqual([
          ['update', target.name, [{ field: 'config', key: 'limits.processes', from: '42', to: undefined }]],
        ])
      }),
      { numRuns: 100 },
    )
  })
})
