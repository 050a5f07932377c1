import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { observedFrom } from './converged.js'
import { desired } from './desired.js'
import { diff } from './diff.js'
import type { ObservedState } from './observed.js'

const opts = { projectName: 'lab' }

const full = () =>
  makeInfra([
    makeDomain('pro', 2, { 'pro-dev': {} }),
    makeDomain(
      'old',
      9,
      {
        'old-box': {
          storageVolumes: [{ name: 'data', pool: 'default', size: undefined, path: '/d' }],
          profiles: ['default', 'x'],
        },
        'old-tmp': { ephemeral: true },
      },
      { profiles: [{ name: 'x', description: '', config: {}, devices: {} }] },
    ),
  ])

/** Incus after applying `full()`, then `old` removed from the file. */
function world(): { observed: ObservedState; d: ReturnType<typeof desired> } {
  const observed = observedFrom(desired(full(), { level: 1 }))
  const infra = full()
  infra.domains = infra.domains.filter((x) => x.name !== 'old')
  return { observed, d: desired(infra, { level: 1 }) }
}

describe('orphans', () => {
  it('are listed, not deleted, without prune', () => {
    const { observed, d } = world()
    const plan = diff(d, observed, opts)
    expect(plan.actions).toEqual([])
    expect(plan.skipped.map((s) => `${s.kind} ${s.name}: ${s.reason}`)).toEqual([
      'instance old-box: orphan: no longer declared; apply --prune to delete',
      'instance old-tmp: orphan: no longer declared; apply --prune to delete',
      'volume data: orphan: no longer declared; apply --prune to delete',
      'profile x: orphan: no longer declared; apply --prune to delete',
      'project old: orphan: no longer declared; apply --prune to delete',
      'network net-old: orphan: no longer declared; apply --prune to delete',
    ])
  })

  it('with prune, deletes unprotected ones and keeps what a protected instance still needs', () => {
    const { observed, d } = world()
    const plan = diff(d, observed, { ...opts, prune: true })
    expect(plan.actions.map((a) => a.id)).toEqual(['instance:old/old-tmp:delete'])
    expect(plan.skipped.map((s) => `${s.kind} ${s.name}: ${s.reason}`)).toEqual([
      'instance old-box: orphan, protected (ephemeral: false): needs --prune --force',
      'volume data: orphan, still attached to instance old-box',
      'profile x: orphan, still used by instance old-box',
      'project old: orphan, still holds instance old-box',
      'network net-old: orphan, still used by profile old/default',
    ])
  })

  it('with prune and force, deletes everything in reverse order with dependencies', () => {
    const { observed, d } = world()
    const plan = diff(d, observed, { ...opts, prune: true, force: true })
    expect(plan.skipped).toEqual([])
    expect(plan.actions.map((a) => [a.id, a.dependsOn, a.protected])).toEqual([
      ['instance:old/old-box:delete', [], true],
      ['instance:old/old-tmp:delete', [], false],
      [
        'volume:old/default/data:delete',
        ['instance:old/old-box:delete', 'instance:old/old-tmp:delete'],
        undefined,
      ],
      ['profile:old/x:delete', ['instance:old/old-box:delete', 'instance:old/old-tmp:delete'], undefined],
      [
        'project:old:delete',
        [
          'instance:old/old-box:delete',
          'instance:old/old-tmp:delete',
          'profile:old/x:delete',
          'volume:old/default/data:delete',
        ],
        undefined,
      ],
      ['network:net-old:delete', ['project:old:delete'], undefined],
    ])
    expect(plan.summary.delete).toBe(6)
  })

  it('never touches objects without our labels or labelled for another infra', () => {
    const { observed, d } = world()
    for (const i of observed.instances) if (i.name === 'old-tmp') i.config['user.anklume.project'] = 'other'
    for (const i of observed.instances) if (i.name === 'old-box') delete i.config['user.anklume.managed']
    observed.instances.push({
      name: 'hand-made',
      project: 'pro',
      type: 'container',
      status: 'Running',
      config: {},
      devices: {},
      profiles: ['default'],
    })
    const plan = diff(d, observed, { ...opts, prune: true, force: true })
    const names = plan.actions.map((a) => a.name)
    expect(names).not.toContain('old-tmp')
    expect(names).not.toContain('old-box')
    expect(names).not.toContain('hand-made')
    expect(plan.skipped.find((s) => s.kind === 'project')?.reason).toBe(
      'orphan, still holds instance old-box',
    )
  })

  it('leaves the objects of a disabled domain alone', () => {
    const observed = observedFrom(desired(full(), { level: 1 }))
    const infra = full()
    infra.domains[1]!.enabled = false
    const plan = diff(desired(infra, { level: 1 }), observed, { ...opts, prune: true, force: true })
    expect(plan.actions).toEqual([])
    expect(plan.skipped).toEqual([])
  })

  it('honours extra disabled domains given by the caller', () => {
    const { observed, d } = world()
    const plan = diff(d, observed, { ...opts, prune: true, force: true, disabledDomains: ['old'] })
    expect(plan.actions).toEqual([])
  })

  it('deletes an orphan profile once the declared instance that used it drops it', () => {
    const observed = observedFrom(desired(full(), { level: 1 }))
    const infra = full()
    const old = infra.domains[1]!
    old.profiles = []
    old.machines[0]!.profiles = ['default']
    const plan = diff(desired(infra, { level: 1 }), observed, { ...opts, prune: true })
    expect(plan.actions.map((a) => [a.id, a.dependsOn])).toEqual([
      ['instance:old/old-box:update', []],
      ['profile:old/x:delete', ['instance:old/old-box:update']],
    ])
  })
})
