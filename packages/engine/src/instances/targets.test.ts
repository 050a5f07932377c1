import { describe, expect, it } from 'vitest'
import { checkDispProject, dispName, domainProject } from './disp.js'
import { findInstance, type InstanceRef, mapSettled, parseTarget, resolveTargets } from './targets.js'

const labels = (project: string, domain: string) => ({
  'user.anklume.managed': 'true',
  'user.anklume.project': project,
  'user.anklume.domain': domain,
})

const listing: InstanceRef[] = [
  { name: 'pro-dev', project: 'pro', config: labels('lab', 'pro') },
  { name: 'pro-db', project: 'pro', config: labels('lab', 'pro') },
  { name: '002-web', project: '002-perso', config: labels('nested', 'perso') },
  { name: 'other', project: 'other', config: labels('elsewhere', 'pro') },
  { name: 'hand', project: 'default', config: {} },
  { name: 'twin', project: 'a', config: {} },
  { name: 'twin', project: 'b', config: {} },
]

describe('parseTarget', () => {
  it('maps each form and refuses none or several', () => {
    expect(parseTarget('x', {})).toEqual({ kind: 'instance', name: 'x' })
    expect(parseTarget('self', {})).toEqual({ kind: 'self' })
    expect(parseTarget(undefined, { domain: 'pro' })).toEqual({ kind: 'domain', domain: 'pro' })
    expect(parseTarget(undefined, { all: true })).toEqual({ kind: 'all' })
    expect(() => parseTarget(undefined, {})).toThrow(
      expect.objectContaining({ code: 'ANKLUME_TARGET_INVALID' }),
    )
    expect(() => parseTarget('x', { all: true })).toThrow(/only one target/)
  })
})

describe('resolveTargets', () => {
  it('finds an instance by Incus name or by machine name behind the nesting prefix', () => {
    expect(findInstance(listing, 'pro-dev')).toMatchObject({ project: 'pro' })
    expect(findInstance(listing, '002-web')).toMatchObject({ project: '002-perso' })
    expect(findInstance(listing, 'web')).toMatchObject({ name: '002-web' })
  })

  it('reports unknown and ambiguous names', () => {
    expect(() => findInstance(listing, 'nope')).toThrow(
      expect.objectContaining({ code: 'ANKLUME_TARGET_NOT_FOUND' }),
    )
    expect(() => findInstance(listing, 'twin')).toThrow('"twin" matches several instances: a/twin, b/twin')
  })

  it('--domain uses the domain label (restricted to the infra project_name when known), sorted', () => {
    const names = (xs: InstanceRef[]) => xs.map((i) => `${i.project}/${i.name}`)
    expect(names(resolveTargets(listing, { kind: 'domain', domain: 'pro' }))).toEqual([
      'other/other',
      'pro/pro-db',
      'pro/pro-dev',
    ])
    expect(names(resolveTargets(listing, { kind: 'domain', domain: 'pro' }, { projectName: 'lab' }))).toEqual(
      ['pro/pro-db', 'pro/pro-dev'],
    )
    expect(() => resolveTargets(listing, { kind: 'domain', domain: 'ghost' })).toThrow(/has no instances/)
    // The hint lists the domains there are (of this infra when known).
    expect(() =>
      resolveTargets(listing, { kind: 'domain', domain: 'ghost' }, { projectName: 'lab' }),
    ).toThrow(expect.objectContaining({ code: 'ANKLUME_TARGET_NOT_FOUND', hint: 'known domains: pro' }))
    expect(() => resolveTargets(listing, { kind: 'domain', domain: 'ghost' })).toThrow(
      expect.objectContaining({ hint: 'known domains: perso, pro' }),
    )
  })

  it('--domain falls back to the infra mapping for unlabelled instances', () => {
    const got = resolveTargets(listing, { kind: 'domain', domain: 'x' }, { domainProjects: { x: 'default' } })
    expect(got.map((i) => i.name)).toEqual(['hand'])
  })

  it('--all takes anklume instances only; self uses the hostname', () => {
    expect(resolveTargets(listing, { kind: 'all' }).map((i) => i.name)).toEqual([
      '002-web',
      'other',
      'pro-db',
      'pro-dev',
    ])
    expect(resolveTargets(listing, { kind: 'all' }, { projectName: 'nested' }).map((i) => i.name)).toEqual([
      '002-web',
    ])
    expect(resolveTargets(listing, { kind: 'self' }, { hostname: 'pro-db' })).toEqual([listing[1]])
    expect(() => resolveTargets(listing, { kind: 'self' }, { hostname: 'laptop' })).toThrow(
      /hostname "laptop"\) is not an instance/,
    )
  })
})

describe('mapSettled', () => {
  it('keeps order, never rejects, and bounds concurrency', async () => {
    let running = 0
    let peak = 0
    const res = await mapSettled([1, 2, 3, 4, 5], 2, async (n) => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, 5))
      running--
      if (n === 3) throw new Error('three')
      return n * 10
    })
    expect(res.map((r) => (r.ok ? r.value : (r.error as Error).message))).toEqual([10, 20, 'three', 40, 50])
    expect(peak).toBe(2)
  })
})

describe('disp helpers', () => {
  it('dispName is disp-<UTC time>-<suffix>', () => {
    expect(dispName(new Date(Date.UTC(2026, 10, 25, 21, 5, 9)), 'beef')).toBe('disp-20261125-210509-beef')
    expect(dispName()).toMatch(/^disp-\d{8}-\d{6}-[0-9a-f]{4}$/)
  })

  it('domainProject: the labelled project, else the infra mapping, else an error', () => {
    const projects = [
      { name: 'pro', config: labels('lab', 'pro') },
      { name: '001-pro', config: labels('nested', 'pro') },
      { name: 'plain', config: {} },
    ]
    expect(domainProject(projects, 'pro', { projectName: 'lab' })).toBe('pro')
    expect(() => domainProject(projects, 'pro')).toThrow(/labelled on several projects/)
    expect(domainProject(projects, 'x', { fromInfra: 'plain' })).toBe('plain')
    expect(() => domainProject(projects, 'x', { fromInfra: 'missing' })).toThrow(
      /no Incus project for domain "x"/,
    )
  })

  it('the default project needs force', () => {
    expect(() => checkDispProject('default', false)).toThrow(
      expect.objectContaining({ code: 'ANKLUME_DISP_DEFAULT_PROJECT' }),
    )
    expect(() => checkDispProject('default', true)).not.toThrow()
  })
})
