import type { Machine } from '@anklume/schema'
import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { observedFrom } from './converged.js'
import { desired } from './desired.js'
import { diff } from './diff.js'
import { formatPlan } from './format.js'
import { emptyObserved } from './observed.js'

const lab = () =>
  makeInfra([
    makeDomain(
      'pro',
      2,
      {
        'pro-dev': {
          ip: '10.100.2.10',
          profiles: ['default', 'gui'],
          storageVolumes: [{ name: 'data', pool: 'default', size: '1GiB', path: '/data' }],
        },
      },
      {
        profiles: [
          {
            name: 'gui',
            description: 'GUI',
            config: { 'limits.cpu': '2' },
            devices: { shm: { type: 'disk', source: '/dev/shm', path: '/mnt/shm' } },
          },
        ],
      },
    ),
    makeDomain('perso', 3, { 'perso-web': { ephemeral: true } }),
  ])

const opts = { projectName: 'lab' }

describe('diff against an empty Incus', () => {
  it('creates everything in dependency order', () => {
    const plan = diff(desired(lab(), { level: 1 }), emptyObserved(), opts)
    expect(formatPlan(plan)).toMatchInlineSnapshot(`
      "+ create network net-pro
            address: 10.100.2.254/24
            nat:     true
      + create network net-perso
            address: 10.100.3.254/24
            nat:     true
      + create project pro
      + create project perso
      ~ update profile pro/default
            config user.anklume.domain = "pro"
            config user.anklume.managed = "true"
            config user.anklume.project = "lab"
            devices eth0 = {type: nic, network: net-pro, name: eth0, security.mac_filtering: true, security.ipv4_filtering: true}
            devices root = {type: disk, path: /, pool: default}
      ~ update profile perso/default
            config user.anklume.domain = "perso"
            config user.anklume.managed = "true"
            config user.anklume.project = "lab"
            devices eth0 = {type: nic, network: net-perso, name: eth0, security.mac_filtering: true, security.ipv4_filtering: true}
            devices root = {type: disk, path: /, pool: default}
      + create profile pro/gui
            limits:  cpu=2
            volumes: /dev/shm at /mnt/shm
      + create volume pro/data
            pool: default
            size: 1GiB
      + create instance pro/pro-dev
            image:    images:debian/13
            type:     container
            ip:       10.100.2.10
            profiles: default, gui
            volumes:  data at /data (pool default)
      + create instance perso/perso-web
            image:    images:debian/13
            type:     container
            profiles: default

      Plan: 8 to create, 2 to update, 0 to replace, 0 to delete, 0 to start, 0 to restart, 0 to rebuild."
    `)
    expect(Object.fromEntries(plan.actions.map((a) => [a.id, a.dependsOn]))).toMatchInlineSnapshot(`
      {
        "instance:perso/perso-web:create": [
          "network:net-perso:create",
          "profile:perso/default:update",
          "project:perso:create",
        ],
        "instance:pro/pro-dev:create": [
          "network:net-pro:create",
          "profile:pro/default:update",
          "profile:pro/gui:create",
          "project:pro:create",
          "volume:pro/default/data:create",
        ],
        "network:net-perso:create": [],
        "network:net-pro:create": [],
        "profile:perso/default:update": [
          "network:net-perso:create",
          "project:perso:create",
        ],
        "profile:pro/default:update": [
          "network:net-pro:create",
          "project:pro:create",
        ],
        "profile:pro/gui:create": [
          "project:pro:create",
        ],
        "project:perso:create": [],
        "project:pro:create": [],
        "volume:pro/default/data:create": [
          "project:pro:create",
        ],
      }
    `)
    const create = plan.actions.find((a) => a.id === 'instance:pro/pro-dev:create')
    expect(create?.desired).toMatchObject({ name: 'pro-dev', project: 'pro', protected: true })
    // Every instance waits for every bridge to be built (whatever the outcome): no veth
    // churn of starting containers beside a bridge create (Incus 6.0's race).
    for (const a of plan.actions.filter((x) => x.kind === 'instance'))
      expect(a.after).toEqual(['network:net-perso:create', 'network:net-pro:create'])
    expect(plan.actions.filter((x) => x.kind !== 'instance' && x.kind !== 'nft-table' && x.after)).toEqual([])
  })
})

describe('diff against a converged Incus', () => {
  it('plans zero changes', () => {
    const d = desired(lab(), { level: 1 })
    const plan = diff(d, observedFrom(d), opts)
    expect(plan.actions).toEqual([])
    expect(plan.skipped).toEqual([])
    expect(formatPlan(plan)).toBe('No changes. Incus matches the infra file.')
  })

  it('shows one changed key as exactly one change', () => {
    const d = desired(lab(), { level: 1 })
    const o = observedFrom(d)
    const dev = o.instances.find((i) => i.name === 'pro-dev')!
    dev.config['boot.autostart'] = 'true'
    const plan = diff(desired(makeInfraWith({ bootAutostart: false }), { level: 1 }), o, opts)
    expect(plan.actions.map((a) => [a.id, a.changes])).toEqual([
      [
        'instance:pro/pro-dev:update',
        [{ field: 'config', key: 'boot.autostart', from: 'true', to: 'false' }],
      ],
    ])
    expect(formatPlan(plan).split('\n')[0]).toBe(
      '~ update instance pro/pro-dev  config boot.autostart: "true" -> "false"',
    )
  })

  it('removes a key that is no longer declared, but leaves server-filled keys alone', () => {
    const d = desired(lab(), { level: 1 })
    const o = observedFrom(d)
    const dev = o.instances.find((i) => i.name === 'pro-dev')!
    Object.assign(dev.config, {
      'limits.cpu': '4',
      'volatile.eth0.host_name': 'veth1',
      'image.serial': '2026',
    })
    o.projects.find((p) => p.name === 'pro')!.config['features.networks.zones'] = 'false'
    o.networks[0]!.config['ipv6.nat'] = 'true'
    o.volumes.default![0]!.config['block.filesystem'] = 'ext4'
    const plan = diff(d, o, opts)
    expect(plan.actions).toHaveLength(1)
    expect(plan.actions[0]?.changes).toEqual([
      { field: 'config', key: 'limits.cpu', from: '4', to: undefined },
    ])
  })

  it('restarts a running instance whose devices change, and starts a stopped one after the change', () => {
    const d = desired(makeInfraWith({ ip: '10.100.2.11' }), { level: 1 })
    const running = observedFrom(desired(lab(), { level: 1 }))
    const plan = diff(d, running, opts)
    expect(plan.actions).toHaveLength(1)
    expect(plan.actions[0]).toMatchObject({ op: 'update', restart: true })
    expect(plan.actions[0]?.reason).toContain('restart to take effect')
    expect(plan.summary).toMatchObject({ update: 1, restart: 1 })
    const stopped = observedFrom(desired(lab(), { level: 1 }), { status: 'Stopped' })
    const plan2 = diff(d, stopped, opts)
    expect(
      plan2.actions.filter((a) => a.name === 'pro-dev').map((a) => [a.op, a.restart ?? false, a.dependsOn]),
    ).toEqual([
      ['update', false, []],
      ['start', false, ['instance:pro/pro-dev:update']],
    ])
  })

  it('restarts running users of a profile whose devices change', () => {
    const o = observedFrom(desired(lab(), { level: 1 }))
    o.profiles.find((p) => p.name === 'gui')!.devices.shm!.path = '/old'
    const plan = diff(desired(lab(), { level: 1 }), o, opts)
    expect(plan.actions.map((a) => [a.id, a.dependsOn])).toEqual([
      ['profile:pro/gui:update', []],
      ['instance:pro/pro-dev:restart', ['profile:pro/gui:update']],
    ])
  })

  it('adopts a declared object without labels by adding them', () => {
    const d = desired(lab(), { level: 1 })
    const o = observedFrom(d)
    const net = o.networks.find((n) => n.name === 'net-perso')!
    for (const k of Object.keys(net.config)) if (k.startsWith('user.')) delete net.config[k]
    const plan = diff(d, o, opts)
    expect(plan.actions.map((a) => a.id)).toEqual(['network:net-perso:update'])
    expect(plan.actions[0]?.reason).toMatch(/^adopt/)
    expect(plan.actions[0]?.changes.map((c) => c.key)).toEqual([
      'user.anklume.domain',
      'user.anklume.managed',
      'user.anklume.project',
    ])
  })
})

function makeInfraWith(m: Partial<Machine>) {
  const inf = lab()
  const dev = inf.domains[0]!.machines[0]!
  Object.assign(dev, m)
  return inf
}
