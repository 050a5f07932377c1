import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { desired } from './desired.js'

describe('desired', () => {
  it('builds bridge, project, default profile and instance of a small domain', () => {
    const infra = makeInfra([
      makeDomain(
        'pro',
        2,
        { 'pro-dev': { ip: '10.100.2.10', description: 'dev box', bootAutostart: true } },
        {
          description: 'Work',
          nat: false,
        },
      ),
    ])
    const d = desired(infra, { level: 1 })
    expect(d.networks).toMatchInlineSnapshot(`
      [
        {
          "config": {
            "ipv4.address": "10.100.2.254/24",
            "ipv4.dhcp.ranges": "10.100.2.100-10.100.2.249",
            "ipv4.nat": "false",
            "ipv6.address": "none",
            "user.anklume.domain": "pro",
            "user.anklume.managed": "true",
            "user.anklume.project": "lab",
          },
          "description": "Work",
          "domain": "pro",
          "name": "net-pro",
        },
      ]
    `)
    expect(d.projects[0]?.config).toMatchInlineSnapshot(`
      {
        "features.images": "false",
        "features.networks": "false",
        "features.profiles": "true",
        "features.storage.volumes": "true",
        "user.anklume.domain": "pro",
        "user.anklume.managed": "true",
        "user.anklume.project": "lab",
      }
    `)
    expect(d.profiles).toMatchInlineSnapshot(`
      [
        {
          "config": {
            "user.anklume.domain": "pro",
            "user.anklume.managed": "true",
            "user.anklume.project": "lab",
          },
          "description": "Default Incus profile for project pro",
          "devices": {
            "eth0": {
              "name": "eth0",
              "network": "net-pro",
              "security.ipv4_filtering": "true",
              "security.mac_filtering": "true",
              "type": "nic",
            },
            "root": {
              "path": "/",
              "pool": "default",
              "type": "disk",
            },
          },
          "domain": "pro",
          "name": "default",
          "project": "pro",
        },
      ]
    `)
    expect(d.instances).toMatchInlineSnapshot(`
      [
        {
          "config": {
            "boot.autostart": "true",
            "security.protection.delete": "true",
            "user.anklume.domain": "pro",
            "user.anklume.image": "images:debian/13",
            "user.anklume.managed": "true",
            "user.anklume.project": "lab",
          },
          "description": "dev box",
          "devices": {
            "eth0": {
              "ipv4.address": "10.100.2.10",
              "name": "eth0",
              "network": "net-pro",
              "security.ipv4_filtering": "true",
              "security.mac_filtering": "true",
              "type": "nic",
            },
          },
          "domain": "pro",
          "image": "images:debian/13",
          "machine": "pro-dev",
          "name": "pro-dev",
          "needsSocketDir": false,
          "profiles": [
            "default",
          ],
          "project": "pro",
          "protected": true,
          "source": {
            "alias": "debian/13",
            "protocol": "simplestreams",
            "server": "https://images.linuxcontainers.org",
            "type": "image",
          },
          "type": "container",
        },
      ]
    `)
  })

  it('prefixes every name with the nesting level when nesting_prefix is on', () => {
    const infra = makeInfra([makeDomain('pro', 2, { 'pro-dev': {} })], { nestingPrefix: true })
    const d = desired(infra, { level: 2 })
    expect(d.networks.map((n) => n.name)).toEqual(['002-net-pro'])
    expect(d.projects.map((p) => p.name)).toEqual(['002-pro'])
    expect(d.instances.map((i) => [i.project, i.name])).toEqual([['002-pro', '002-pro-dev']])
    expect(d.profiles[0]?.devices.eth0?.network).toBe('002-net-pro')
  })

  it('produces nothing for a disabled domain and records it', () => {
    const infra = makeInfra([
      makeDomain('pro', 2, { 'pro-dev': {} }),
      makeDomain('old', 3, { x: {} }, { enabled: false }),
    ])
    const d = desired(infra, { level: 1 })
    expect(d.projects.map((p) => p.name)).toEqual(['pro'])
    expect(d.instances.map((i) => i.name)).toEqual(['pro-dev'])
    expect(d.disabledDomains).toEqual(['old'])
  })

  it('adds volume disks, gpu, socket proxy, cloud-init and schedule keys', () => {
    const infra = makeInfra([
      makeDomain('ai', 5, {
        'ai-gpu': {
          gpu: true,
          ephemeral: true,
          incusSocket: true,
          snapshotsSchedule: '0 2 * * *',
          snapshotsExpiry: '30d',
          bootPriority: 10,
          cloudInit: {
            userData: '#cloud-config\npackages: [git]\n',
            vendorData: undefined,
            networkConfig: undefined,
          },
          storageVolumes: [{ name: 'models', pool: 'default', size: '20GiB', path: '/srv/models' }],
          config: { 'limits.cpu': '2' },
        },
        'ai-vm': { type: 'vm', gpu: true, gpuPci: '0000:01:00.0', osImage: 'my-local-image' },
      }),
    ])
    const d = desired(infra, { level: 1 })
    const [lxc, vm] = d.instances
    expect(lxc?.config).toMatchObject({
      'limits.cpu': '2',
      'security.nesting': 'true',
      'security.protection.delete': 'false',
      'snapshots.schedule': '0 2 * * *',
      'snapshots.expiry': '30d',
      'boot.autostart.priority': '10',
      'cloud-init.user-data': '#cloud-config\npackages: [git]\n',
    })
    expect(lxc?.devices).toEqual({
      models: { type: 'disk', pool: 'default', source: 'models', path: '/srv/models' },
      gpu: { type: 'gpu', gputype: 'physical' },
      'incus-socket': {
        type: 'proxy',
        connect: 'unix:/var/lib/incus/unix.socket',
        listen: 'unix:/var/lib/incus/unix.socket',
        bind: 'instance',
        'security.uid': '0',
        'security.gid': '0',
        mode: '0660',
      },
    })
    expect(lxc?.needsSocketDir).toBe(true)
    expect(lxc?.protected).toBe(false)
    expect(vm?.type).toBe('virtual-machine')
    expect(vm?.devices.gpu).toEqual({ type: 'gpu', gputype: 'physical', pci: '0000:01:00.0' })
    expect(vm?.source).toEqual({ type: 'image', alias: 'my-local-image' })
    expect(d.volumes).toEqual([
      {
        project: 'ai',
        pool: 'default',
        name: 'models',
        domain: 'ai',
        description: '',
        config: {
          size: '20GiB',
          'user.anklume.managed': 'true',
          'user.anklume.project': 'lab',
          'user.anklume.domain': 'ai',
        },
      },
    ])
  })

  it('skips the LXC gpu device when a listed profile already has one', () => {
    const infra = makeInfra([
      makeDomain(
        'ai',
        5,
        { a: { gpu: true, profiles: ['default', 'gpu'] } },
        { profiles: [{ name: 'gpu', description: '', config: {}, devices: { g: { type: 'gpu' } } }] },
      ),
    ])
    expect(desired(infra, { level: 1 }).instances[0]?.devices).toEqual({})
  })

  it('opens exactly what a restricted domain uses', () => {
    const infra = makeInfra([
      makeDomain(
        'lab',
        7,
        {
          a: {
            incusSocket: true,
            storageVolumes: [{ name: 'v', pool: 'default', size: undefined, path: '/v' }],
          },
          b: { gpu: true, devices: { shm: { type: 'disk', source: '/dev/shm', path: '/mnt/shm' } } },
        },
        { restricted: true, limits: { cpu: '4', memory: '8GiB' } },
      ),
    ])
    const cfg = desired(infra, { level: 1 }).projects[0]?.config ?? {}
    const keys = Object.fromEntries(
      Object.entries(cfg).filter(([k]) => k.startsWith('restricted') || k.startsWith('limits')),
    )
    expect(keys).toEqual({
      'limits.cpu': '4',
      'limits.memory': '8GiB',
      restricted: 'true',
      'restricted.networks.access': 'net-lab',
      'restricted.containers.nesting': 'allow',
      'restricted.devices.proxy': 'allow',
      'restricted.devices.gpu': 'allow',
      'restricted.devices.disk': 'allow',
      'restricted.devices.disk.paths': '/dev/shm',
    })
  })

  it('warns and writes no limits when resource_policy is set without host resources', () => {
    const policy = {
      hostReserve: { cpu: '20%', memory: '20%' },
      mode: 'proportional' as const,
      cpuMode: 'allowance' as const,
      memoryEnforce: 'soft' as const,
      overcommit: false,
    }
    const infra = makeInfra([makeDomain('pro', 2, { a: {} })], { resourcePolicy: policy })
    const off = desired(infra, { level: 1 })
    expect(off.warnings).toEqual([expect.stringContaining('host resources are unknown')])
    expect(off.instances[0]?.config['limits.memory']).toBeUndefined()
    const on = desired(infra, { level: 1, hostResources: { cpuCount: 10, memoryBytes: 10 * 1024 ** 3 } })
    expect(on.instances[0]?.config).toMatchObject({
      'limits.cpu.allowance': '80%',
      'limits.memory': '8192MiB',
      'limits.memory.enforce': 'soft',
    })
    expect(on.errors).toEqual([])
    const greedy = makeInfra([makeDomain('pro', 2, { a: { config: { 'limits.cpu': '64' } } })], {
      resourcePolicy: policy,
    })
    const over = desired(greedy, { level: 1, hostResources: { cpuCount: 10, memoryBytes: 10 * 1024 ** 3 } })
    expect(over.errors).toEqual([expect.stringContaining('machines get 64 CPUs but only 8 are available')])
  })
})
