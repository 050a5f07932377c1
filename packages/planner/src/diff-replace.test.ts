import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { observedFrom } from './converged.js'
import { desired } from './desired.js'
import { diff } from './diff.js'
import { formatPlan } from './format.js'

const opts = { projectName: 'lab' }

const infra = (
  over: { type?: 'lxc' | 'vm'; osImage?: string; ephemeral?: boolean; domain?: string } = {},
) => {
  const home = over.domain ?? 'pro'
  const m = {
    type: over.type ?? 'lxc',
    osImage: over.osImage ?? 'images:debian/13',
    ephemeral: over.ephemeral ?? false,
  }
  return makeInfra([
    makeDomain('pro', 2, home === 'pro' ? { box: m } : {}),
    makeDomain('perso', 3, home === 'perso' ? { box: m } : {}),
  ])
}
const observed = (i = infra()) => observedFrom(desired(i, { level: 1 }))
const plan = (i: ReturnType<typeof infra>, o = observed(), extra = {}) =>
  diff(desired(i, { level: 1 }), o, { ...opts, ...extra })

describe('replace', () => {
  it('replaces an unprotected instance whose type changes', () => {
    const p = plan(infra({ type: 'vm', ephemeral: true }), observed(infra({ ephemeral: true })))
    expect(p.actions.map((a) => [a.id, a.changes])).toEqual([
      ['instance:pro/box:replace', [{ field: 'type', from: 'container', to: 'virtual-machine' }]],
    ])
    expect(formatPlan(p).split('\n')[0]).toBe(
      '-/+ replace instance pro/box  type: "container" -> "virtual-machine"',
    )
    expect(p.summary.replace).toBe(1)
  })

  it('skips a protected instance without force and replaces it with force', () => {
    const skipped = plan(infra({ type: 'vm' }))
    expect(skipped.actions).toEqual([])
    expect(skipped.skipped).toEqual([
      {
        kind: 'instance',
        project: 'pro',
        name: 'box',
        domain: 'pro',
        op: 'replace',
        reason: 'type changed (container -> virtual-machine); protected (ephemeral: false): needs --force',
      },
    ])
    const forced = plan(infra({ type: 'vm' }), observed(), { force: true })
    expect(forced.actions.map((a) => [a.op, a.protected])).toEqual([['replace', true]])
  })

  it('replaces an instance that moves to another domain, without listing it as an orphan', () => {
    const p = plan(infra({ domain: 'perso', ephemeral: true }), observed(infra({ ephemeral: true })), {
      prune: true,
    })
    expect(p.actions.map((a) => [a.id, a.changes])).toEqual([
      ['instance:perso/box:replace', [{ field: 'project', from: 'pro', to: 'perso' }]],
    ])
    expect(p.skipped).toEqual([])
  })
})

describe('os_image drift', () => {
  it('is shown as skipped without --rebuild', () => {
    const p = plan(infra({ osImage: 'images:debian/12' }))
    expect(p.actions).toEqual([])
    expect(p.skipped.map((s) => [s.op, s.reason])).toEqual([
      ['rebuild', 'os_image changed (images:debian/13 -> images:debian/12): apply --rebuild to rebuild it'],
    ])
  })

  it('becomes a rebuild with --rebuild, then an update of the image label', () => {
    const p = plan(infra({ osImage: 'images:debian/12' }), observed(), { rebuild: true })
    expect(p.actions.map((a) => [a.id, a.dependsOn, a.changes])).toEqual([
      [
        'instance:pro/box:rebuild',
        [],
        [
          {
            field: 'source',
            from: 'images:debian/13',
            to: {
              type: 'image',
              alias: 'debian/12',
              server: 'https://images.linuxcontainers.org',
              protocol: 'simplestreams',
            },
          },
        ],
      ],
      [
        'instance:pro/box:update',
        ['instance:pro/box:rebuild'],
        [{ field: 'config', key: 'user.anklume.image', from: 'images:debian/13', to: 'images:debian/12' }],
      ],
    ])
    expect(p.summary).toMatchObject({ rebuild: 1, update: 1 })
    // Once rebuilt and relabelled, nothing is left to do.
    const after = observed(infra({ osImage: 'images:debian/12' }))
    expect(plan(infra({ osImage: 'images:debian/12' }), after, { rebuild: true }).actions).toEqual([])
  })

  it('does not plan a separate start for a stopped instance being rebuilt', () => {
    const stopped = observedFrom(desired(infra(), { level: 1 }), { status: 'Stopped' })
    const p = plan(infra({ osImage: 'images:debian/12' }), stopped, { rebuild: true })
    expect(p.actions.map((a) => a.op)).toEqual(['rebuild', 'update'])
  })

  it('without the image label, compares the base image with the image cache', () => {
    const o = observed()
    delete o.instances[0]!.config['user.anklume.image']
    const same = plan(infra(), o)
    expect(same.skipped).toEqual([])
    expect(same.actions.map((a) => a.changes)).toEqual([
      [{ field: 'config', key: 'user.anklume.image', to: 'images:debian/13' }],
    ])
    const other = plan(infra({ osImage: 'images:alpine/3.20' }), o)
    expect(other.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/^os_image changed \(debian\/13 \([0-9a-f]{12}\) -> images:alpine\/3\.20\)/),
    ])
  })
})

describe('start and domain filter', () => {
  it('starts declared instances that are stopped', () => {
    const p = plan(infra(), observedFrom(desired(infra(), { level: 1 }), { status: 'Stopped' }))
    expect(p.actions.map((a) => [a.id, a.reason])).toEqual([['instance:pro/box:start', 'declared, stopped']])
    expect(formatPlan(p).split('\n')[0]).toBe('> start instance pro/box')
  })

  it('leaves frozen instances frozen', () => {
    expect(plan(infra(), observedFrom(desired(infra(), { level: 1 }), { status: 'Frozen' })).actions).toEqual(
      [],
    )
  })

  it('keeps only the actions of the selected domains, and drops edges to the others', () => {
    const d = desired(infra(), { level: 1 })
    const all = diff(
      d,
      { projects: [], networks: [], profiles: [], instances: [], volumes: {}, images: [] },
      opts,
    )
    const only = diff(
      d,
      { projects: [], networks: [], profiles: [], instances: [], volumes: {}, images: [] },
      {
        ...opts,
        domains: ['perso'],
      },
    )
    expect(all.actions.length).toBeGreaterThan(only.actions.length)
    expect(only.actions.every((a) => a.domain === 'perso')).toBe(true)
    const ids = new Set(only.actions.map((a) => a.id))
    expect(only.actions.every((a) => a.dependsOn.every((x) => ids.has(x)))).toBe(true)
  })
})
