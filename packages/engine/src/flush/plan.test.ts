import { emptyObserved, type ObservedState } from '@anklume/planner'
import { describe, expect, it } from 'vitest'
import { describePlan } from './execute.js'
import { inScope, keepsAnything, planFlush } from './plan.js'

const L = (project: string, domain: string) => ({
  'user.anklume.managed': 'true',
  'user.anklume.project': project,
  'user.anklume.domain': domain,
})

function observed(): ObservedState {
  return {
    ...emptyObserved(),
    projects: [
      { name: 'default', config: {} },
      { name: 'pro', config: { ...L('lab', 'pro'), 'features.images': 'false' } },
      { name: 'perso', config: { ...L('lab', 'perso'), 'features.images': 'true' } },
      { name: 'theirs', config: L('other', 'theirs') },
      { name: 'hand', config: {} },
    ],
    networks: [
      {
        name: 'net-pro',
        config: L('lab', 'pro'),
        used_by: ['/1.0/profiles/default?project=pro', '/1.0/instances/pro-dev?project=pro'],
      },
      { name: 'net-perso', config: L('lab', 'perso'), used_by: ['/1.0/instances/perso-box?project=perso'] },
      { name: 'net-theirs', config: L('other', 'theirs'), used_by: [] },
      { name: 'lxdbr0', config: {}, used_by: [] },
    ],
    profiles: [
      { name: 'default', project: 'pro', config: L('lab', 'pro'), devices: {} },
      {
        name: 'small',
        project: 'pro',
        config: L('lab', 'pro'),
        devices: {},
        used_by: ['/1.0/instances/pro-db?project=pro'],
      } as never,
      { name: 'default', project: 'perso', config: L('lab', 'perso'), devices: {} },
      { name: 'mine', project: 'perso', config: {}, devices: {} },
    ],
    instances: [
      {
        name: 'pro-dev',
        project: 'pro',
        type: 'container',
        status: 'Running',
        config: L('lab', 'pro'),
        devices: {},
        profiles: [],
      },
      {
        name: 'pro-db',
        project: 'pro',
        type: 'container',
        status: 'Frozen',
        config: { ...L('lab', 'pro'), 'security.protection.delete': 'true' },
        devices: {},
        profiles: [],
      },
      {
        name: 'perso-box',
        project: 'perso',
        type: 'container',
        status: 'Stopped',
        config: L('lab', 'perso'),
        devices: {},
        profiles: [],
      },
      {
        name: 'handmade',
        project: 'hand',
        type: 'container',
        status: 'Running',
        config: {},
        devices: {},
        profiles: [],
      },
    ],
    volumes: {
      default: [
        {
          name: 'data',
          project: 'pro',
          type: 'custom',
          config: L('lab', 'pro'),
          used_by: ['/1.0/instances/pro-db?project=pro'],
        } as never,
        { name: 'pro-dev', project: 'pro', type: 'container', config: {} },
      ],
    },
  }
}

describe('inScope', () => {
  it('needs the managed label, then the project and domain labels when scoped', () => {
    expect(inScope(L('lab', 'pro'), {})).toBe(true)
    expect(inScope({ 'user.anklume.managed': 'false' }, {})).toBe(false)
    expect(inScope(undefined, {})).toBe(false)
    expect(inScope(L('lab', 'pro'), { projectName: 'x' })).toBe(false)
    expect(inScope(L('lab', 'pro'), { projectName: 'lab', domain: 'perso' })).toBe(false)
  })
})

describe('planFlush', () => {
  it('without force: protected instances and what holds them stay, with the reason', () => {
    const plan = planFlush(observed(), { projectName: 'lab' })
    expect(plan.instances.map((i) => i.name)).toEqual(['perso-box', 'pro-dev'])
    expect(plan.skippedInstances).toEqual([expect.objectContaining({ name: 'pro-db', project: 'pro' })])
    // The protected instance still uses the volume and the profile: they stay too.
    expect(plan.volumes).toEqual([])
    expect(plan.profiles).toEqual([])
    expect(plan.keptObjects).toEqual([
      {
        kind: 'volume',
        name: 'default/data',
        project: 'pro',
        reason: 'still used by /1.0/instances/pro-db?project=pro',
      },
      {
        kind: 'profile',
        name: 'small',
        project: 'pro',
        reason: 'still used by /1.0/instances/pro-db?project=pro',
      },
    ])
    // perso holds a profile anklume did not make: kept, and so its bridge (used by nothing left) still goes.
    expect(plan.projects).toEqual([])
    expect(plan.keptProjects).toEqual([
      { name: 'perso', reason: "still holds profile mine (not anklume's)" },
      { name: 'pro', reason: 'still holds protected instance pro-db, volume default/data, profile small' },
    ])
    expect(plan.networks).toEqual(['net-perso'])
    expect(plan.keptNetworks).toEqual([
      { name: 'net-pro', reason: 'still used by /1.0/profiles/default?project=pro' },
    ])
    expect(keepsAnything(plan)).toBe(true)
  })

  it('with force: everything labelled for the infra goes, in order; other infras and hand-made objects never', () => {
    const obs = observed()
    obs.profiles = obs.profiles.filter((p) => p.name !== 'mine')
    const plan = planFlush(obs, { projectName: 'lab' }, { force: true })
    expect(plan.instances.map((i) => [i.name, i.protected, i.status])).toEqual([
      ['perso-box', false, 'Stopped'],
      ['pro-db', true, 'Frozen'],
      ['pro-dev', false, 'Running'],
    ])
    expect(plan.projects).toEqual(['perso', 'pro'])
    expect(plan.volumes).toEqual([{ name: 'data', project: 'pro', pool: 'default' }])
    expect(plan.profiles).toEqual([{ name: 'small', project: 'pro' }])
    expect(plan.keptObjects).toEqual([])
    expect(plan.imageProjects).toEqual(['perso'])
    expect(plan.defaultProfiles).toEqual(['perso', 'pro'])
    expect(plan.networks).toEqual(['net-perso', 'net-pro'])
    expect(keepsAnything(plan)).toBe(false)
    expect(describePlan(plan, 'anklume').map((i) => `${i.status} ${i.kind} ${i.name}`)).toEqual([
      'would-delete instance perso-box',
      'would-delete instance pro-db',
      'would-delete instance pro-dev',
      'would-delete image (all images)',
      'would-delete volume default/data',
      'would-delete profile small',
      'would-delete default-profile default (devices)',
      'would-delete default-profile default (devices)',
      'would-delete project perso',
      'would-delete project pro',
      'would-delete network net-perso',
      'would-delete network net-pro',
      'would-delete nft-table inet anklume',
    ])
  })

  it('without an infra file every anklume object is in scope; a domain scope takes one domain', () => {
    const all = planFlush(observed(), {}, { force: true })
    expect(all.projects).toContain('theirs')
    expect(all.networks).toContain('net-theirs')
    expect(all.networks).not.toContain('lxdbr0')
    const one = planFlush(observed(), { projectName: 'lab', domain: 'pro' }, { force: true })
    expect(one.instances.map((i) => i.name)).toEqual(['pro-db', 'pro-dev'])
    expect(one.projects).toEqual(['pro'])
    expect(one.networks).toEqual(['net-pro'])
  })

  it('an unlabelled instance in an anklume project keeps the project and the bridge it uses', () => {
    const obs = observed()
    obs.profiles = obs.profiles.filter((p) => p.name !== 'mine')
    obs.instances.push({
      name: 'stray',
      project: 'pro',
      type: 'container',
      status: 'Running',
      config: {},
      devices: {},
      profiles: [],
    })
    const net = obs.networks[0]
    if (net) net.used_by = [...(net.used_by ?? []), '/1.0/instances/stray?project=pro']
    const plan = planFlush(obs, { projectName: 'lab' }, { force: true })
    expect(plan.keptProjects).toEqual([{ name: 'pro', reason: "still holds instance stray (not anklume's)" }])
    expect(plan.keptNetworks.map((n) => n.name)).toEqual(['net-pro'])
    expect(plan.instances.map((i) => i.name)).not.toContain('stray')
  })
})
