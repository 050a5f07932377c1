import type { ObservedInstance, ObservedState } from '@anklume/planner'
import { loadFromString } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { importFromObserved } from './convert.js'
import { renderImported } from './render.js'

const FP = 'a'.repeat(64)
const nic = (network: string) => ({
  type: 'nic',
  network,
  name: 'eth0',
  'security.mac_filtering': 'true',
  'security.ipv4_filtering': 'true',
})

/** A project with its bridge (`A.B.C.254/24`) and an anklume-shaped default profile. */
function domain(state: ObservedState, project: string, bridge: string, abc: string, pool = 'default') {
  state.projects.push({
    name: project,
    description: '',
    config: {
      'features.networks': 'false',
      'features.profiles': 'true',
      'features.storage.volumes': 'true',
      'features.images': 'false',
    },
  })
  state.networks.push({
    name: bridge,
    managed: true,
    description: '',
    config: {
      'ipv4.address': `${abc}.254/24`,
      'ipv4.nat': 'true',
      'ipv4.dhcp.ranges': `${abc}.100-${abc}.249`,
      'ipv6.address': 'none',
    },
  })
  state.profiles.push({
    name: 'default',
    project,
    config: {},
    devices: { root: { type: 'disk', path: '/', pool }, eth0: nic(bridge) },
  })
}

function instance(name: string, project: string, over: Partial<ObservedInstance> = {}): ObservedInstance {
  return {
    name,
    project,
    type: 'container',
    status: 'Running',
    config: { 'volatile.base_image': FP, 'image.os': 'busybox', 'volatile.eth0.hwaddr': '00:16:3e:00:00:01' },
    devices: {},
    profiles: ['default'],
    ...over,
  }
}

function empty(): ObservedState {
  return {
    projects: [{ name: 'default', config: {} }],
    networks: [],
    profiles: [],
    instances: [],
    volumes: {},
    images: [],
  }
}

describe('importFromObserved', () => {
  it('strips a common nesting prefix and sets nesting_prefix', () => {
    const s = empty()
    domain(s, '002-work', '002-net-work', '10.120.3')
    s.instances.push(
      instance('002-dev', '002-work', {
        devices: { eth0: { ...nic('002-net-work'), 'ipv4.address': '10.120.3.7' } },
      }),
    )
    const r = importFromObserved(s, { level: 2 })
    expect(r.errors).toEqual([])
    expect(r.warnings).toEqual([])
    expect(r.infra.global).toMatchObject({
      base_subnet: '10.120',
      nesting_prefix: true,
      default_os_image: FP,
    })
    expect(r.infra.domains).toEqual({
      work: { subnet_id: 3, nat: true, ephemeral: true, machines: { dev: { ip: '10.120.3.7' } } },
    })
    const loaded = loadFromString(renderImported(r, 'test'), 'x.yml', { absoluteLevel: 2 })
    expect(loaded.ok).toBe(true)
  })

  it('warns when the prefix is for another level', () => {
    const s = empty()
    domain(s, '003-work', '003-net-work', '10.120.3')
    expect(importFromObserved(s, { level: 1 }).warnings.join('\n')).toContain('003-')
  })

  it('keeps the majority base subnet and leaves the other domains out, saying why', () => {
    const s = empty()
    domain(s, 'a', 'net-a', '10.120.1')
    domain(s, 'b', 'net-b', '10.120.2')
    domain(s, 'c', 'net-c', '192.168.7')
    const r = importFromObserved(s)
    expect(r.infra.global).toMatchObject({ base_subnet: '10.120' })
    expect(Object.keys(r.infra.domains as object)).toEqual(['a', 'b'])
    expect(r.errors).toEqual([
      expect.stringMatching(/project c: bridge net-c is 192\.168\.7\.254\/24, outside base_subnet 10\.120/),
    ])
  })

  it('names the image by alias, by images: remote, else by fingerprint', () => {
    const s = empty()
    domain(s, 'a', 'net-a', '10.120.1')
    const fp2 = 'b'.repeat(64)
    const fp3 = 'c'.repeat(64)
    s.images.push(
      { fingerprint: FP, aliases: [{ name: 'zeta' }, { name: 'alpha' }] },
      {
        fingerprint: fp2,
        aliases: [],
        update_source: { alias: 'debian/13', server: 'https://images.linuxcontainers.org' },
      },
    )
    const withBase = (fp: string) => ({ config: { 'volatile.base_image': fp } })
    s.instances.push(
      instance('m1', 'a', withBase(FP)),
      instance('m2', 'a', withBase(fp2)),
      instance('m3', 'a', withBase(fp3)),
    )
    s.instances.push(
      instance('m4', 'a', {
        config: { 'user.anklume.image': 'images:alpine/3.20', 'volatile.base_image': FP },
      }),
    )
    const machines = (r: ReturnType<typeof importFromObserved>) =>
      (r.infra.domains as Record<string, { machines: Record<string, { os_image?: string }> }>).a?.machines
    const r = importFromObserved(s)
    const images = Object.values(machines(r) ?? {}).map(
      (m) => m.os_image ?? (r.infra.global as { default_os_image: string }).default_os_image,
    )
    expect(images.sort()).toEqual(['alpha', 'images:alpine/3.20', 'images:debian/13', fp3].sort())
  })

  it('reads first-class keys back, keeps the rest as config and devices, and maps volumes', () => {
    const s = empty()
    domain(s, 'a', 'net-a', '10.120.1', 'fast')
    s.volumes = {
      fast: [
        { name: 'data', project: 'a', type: 'custom', config: { size: '1GiB', 'block.filesystem': 'ext4' } },
      ],
      default: [{ name: 'logs', project: 'a', type: 'custom', config: {} }],
    }
    s.instances.push(
      instance('m1', 'a', {
        type: 'virtual-machine',
        status: 'Stopped',
        description: 'vm',
        config: {
          'volatile.base_image': FP,
          'boot.autostart': 'true',
          'boot.autostart.priority': '7',
          'snapshots.schedule': '@daily',
          'snapshots.expiry': '2m',
          'security.protection.delete': 'true',
          'limits.cpu': '2',
          'user.anklume.managed': 'true',
        },
        devices: {
          data: { type: 'disk', pool: 'fast', source: 'data', path: '/data' },
          logs: { type: 'disk', pool: 'default', source: 'logs', path: '/logs' },
          eth0: { type: 'nic', network: 'net-a', name: 'eth0', 'ipv4.address': '10.99.0.5' },
          gpu: { type: 'gpu', gputype: 'physical' },
        },
      }),
    )
    const r = importFromObserved(s)
    expect((r.infra.domains as Record<string, { machines: object }>).a?.machines).toEqual({
      m1: {
        description: 'vm',
        type: 'vm',
        boot_autostart: true,
        boot_priority: 7,
        snapshots_schedule: '@daily',
        config: { 'limits.cpu': '2', 'snapshots.expiry': '2m' },
        devices: {
          eth0: { type: 'nic', network: 'net-a', name: 'eth0', 'ipv4.address': '10.99.0.5' },
          gpu: { type: 'gpu', gputype: 'physical' },
        },
        storage_volumes: { data: { size: '1GiB', path: '/data' }, logs: { pool: 'default', path: '/logs' } },
      },
    })
    expect(r.infra.global).toMatchObject({ storage_pool: 'fast' })
    expect(r.warnings).toEqual([expect.stringContaining('m1 is Stopped')])
  })

  it('reports what apply would change outside the file, and refuses unknown projects', () => {
    const s = empty()
    domain(s, 'a', 'bridge0', '10.120.1')
    const bridge = s.networks[0]
    if (bridge) bridge.config['dns.domain'] = 'lab'
    const profile = s.profiles[0]
    if (profile) profile.devices.eth0 = { type: 'nic', network: 'bridge0', name: 'eth0' }
    const r = importFromObserved(s)
    const text = r.warnings.join('\n')
    expect(text).toContain('anklume names it net-a')
    expect(text).toContain('dns.domain')
    expect(text).toContain('default profile devices eth0 differ')
    expect(renderImported(r, 'here')).toContain('# - project a: its bridge is bridge0')
    expect(() => importFromObserved(s, { projects: ['nope'] })).toThrow(/no Incus project named nope/)
  })
  it('leaves out projects sharing the default profiles, and skips disposable instances', () => {
    const s = empty()
    domain(s, 'a', 'net-a', '10.120.1')
    domain(s, 'b', 'net-b', '10.120.2')
    const b = s.projects.find((p) => p.name === 'b')
    if (b) b.config['features.profiles'] = 'false'
    s.instances.push({ ...instance('disp-1', 'a'), ephemeral: true } as ObservedInstance)
    const r = importFromObserved(s)
    expect(Object.keys(r.infra.domains as object)).toEqual(['a'])
    expect(r.errors).toEqual([expect.stringContaining('project b uses the default project')])
    expect(r.warnings).toEqual([expect.stringContaining('disp-1 (project a) is an Incus ephemeral')])
    expect(r.machines).toBe(0)
  })

  it('keeps dns_zone and network ACLs (egress from their default action)', () => {
    const s = empty()
    domain(s, 'a', 'net-a', '10.120.1')
    domain(s, 'b', 'net-b', '10.120.2')
    for (const n of s.networks)
      Object.assign(n.config, {
        'security.acls': `acl-${n.name}`,
        'security.acls.default.ingress.action': 'reject',
        'security.acls.default.egress.action': 'reject',
      })
    const a = s.networks.find((n) => n.name === 'net-a')
    if (a) a.config['dns.zone.forward'] = 'a.lab.internal'
    const r = importFromObserved(s)
    expect(r.warnings).toEqual([])
    expect(r.infra.global).toMatchObject({ isolation: { egress: false, network_acls: true } })
    expect((r.infra.domains as Record<string, object>).a).toMatchObject({ dns_zone: 'lab.internal' })
    expect((r.infra.domains as Record<string, object>).b).not.toHaveProperty('dns_zone')
    const loaded = loadFromString(renderImported(r, 'test'), 'x.yml')
    expect(loaded.ok).toBe(true)
    expect(loaded.infra?.global.isolation).toMatchObject({ egress: false, networkAcls: true })
    expect(loaded.infra?.domains.find((d) => d.name === 'a')?.dnsZone).toBe('lab.internal')

    // Egress allowed everywhere: the default (not written). ACLs on one bridge only: a warning.
    for (const n of s.networks) n.config['security.acls.default.egress.action'] = 'allow'
    expect(importFromObserved(s).infra.global).toMatchObject({ isolation: { network_acls: true } })
    const b = s.networks.find((n) => n.name === 'net-b')
    if (b) b.config['security.acls'] = 'someone-elses'
    const partial = importFromObserved(s)
    expect(partial.infra.global).not.toHaveProperty('isolation')
    expect(partial.warnings.join('\n')).toContain('a carry anklume')
    expect(partial.warnings.join('\n')).toContain('bridge net-b: config security.acls')
  })

  it("writes host_access for host-handing config and devices, its own and its profiles'", () => {
    const s = empty()
    domain(s, 'a', 'net-a', '10.120.1')
    s.profiles.push({
      name: 'hosty',
      project: 'a',
      config: { 'raw.lxc': 'lxc.environment = X=1' },
      devices: { hn: { type: 'disk', source: '/etc/hostname', path: '/mnt/hostname' } },
    })
    s.profiles.push({
      name: 'orphan',
      project: 'a',
      config: { 'linux.kernel_modules': 'br_netfilter' },
      devices: {},
    })
    s.instances.push(
      instance('m1', 'a', {
        profiles: ['default', 'hosty'],
        devices: { etc: { type: 'disk', source: '/etc/', path: '/mnt/etc', readonly: 'true' } },
      }),
      instance('m2', 'a'),
    )
    const r = importFromObserved(s)
    const ms = (r.infra.domains as Record<string, { machines: Record<string, Record<string, unknown>> }>).a
      ?.machines as Record<string, Record<string, unknown>>
    expect(ms.m1?.host_access).toEqual(['disk:/etc', 'raw.lxc', 'disk:/etc/hostname'])
    expect(ms.m2).not.toHaveProperty('host_access')
    expect(r.warnings).toEqual([expect.stringContaining('profile orphan (project a) has host access')])
    const loaded = loadFromString(renderImported(r, 'test'), 'x.yml')
    expect(loaded.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual(['HOST_ACCESS'])

    delete s.profiles.find((p) => p.name === 'orphan')?.config['linux.kernel_modules']
    const clean = importFromObserved(s)
    expect(clean.warnings).toEqual([])
    expect(loadFromString(renderImported(clean, 'test'), 'x.yml').ok).toBe(true)

    const project = s.projects.find((p) => p.name === 'a')
    if (project) project.config['user.anklume.trust_level'] = 'untrusted'
    expect(importFromObserved(s).warnings).toEqual([
      expect.stringContaining(
        'instance m1 (project a) has host access (disk:/etc, raw.lxc, disk:/etc/hostname) in a untrusted domain',
      ),
    ])
  })
})

describe('importFromObserved on an Incus holding several anklume projects', () => {
  /** Two infras on one host: `alpha` (10.120.x) and `beta` (10.130.x), each labelled with its project_name. */
  function twoInfras(): ObservedState {
    const s = empty()
    domain(s, 'a-web', 'net-a-web', '10.120.1')
    domain(s, 'b-one', 'net-b-one', '10.130.1')
    domain(s, 'b-two', 'net-b-two', '10.130.2')
    domain(s, 'hand', 'net-hand', '10.130.3')
    for (const p of s.projects) {
      if (p.name.startsWith('a-')) p.config['user.anklume.project'] = 'alpha'
      if (p.name.startsWith('b-')) p.config['user.anklume.project'] = 'beta'
    }
    return s
  }

  it('refuses without --project-name, listing each project_name and its Incus projects', () => {
    expect(() => importFromObserved(twoInfras())).toThrow(
      expect.objectContaining({
        code: 'ANKLUME_IMPORT_SEVERAL_PROJECTS',
        message: expect.stringContaining('2 anklume projects: alpha (a-web); beta (b-one, b-two)'),
        hint: expect.stringContaining('anklume import --project-name alpha -o alpha.yml'),
      }),
    )
  })

  it('with --project-name takes only the objects of that project: its name, domains and base_subnet', () => {
    const alpha = importFromObserved(twoInfras(), { projectName: 'alpha' })
    expect(alpha.infra.project_name).toBe('alpha')
    expect(alpha.infra.global).toMatchObject({ base_subnet: '10.120' })
    expect(Object.keys(alpha.infra.domains as object)).toEqual(['a-web'])
    expect([alpha.errors, alpha.warnings]).toEqual([[], []])
    const beta = importFromObserved(twoInfras(), { projectName: 'beta' })
    expect(beta.infra.project_name).toBe('beta')
    expect(beta.infra.global).toMatchObject({ base_subnet: '10.130' })
    expect(Object.keys(beta.infra.domains as object)).toEqual(['b-one', 'b-two'])
  })

  it('reads the owner from the instances when the project itself has no label', () => {
    const s = twoInfras()
    const hand = s.projects.find((p) => p.name === 'hand')
    s.instances.push(instance('m', 'hand', { config: { 'user.anklume.project': 'beta', 'image.os': 'x' } }))
    expect(hand?.config['user.anklume.project']).toBeUndefined()
    const beta = importFromObserved(s, { projectName: 'beta' })
    expect(Object.keys(beta.infra.domains as object)).toEqual(['b-one', 'b-two', 'hand'])
  })

  it('refuses a --project-name no project carries while several are there; names the file otherwise', () => {
    expect(() => importFromObserved(twoInfras(), { projectName: 'gamma' })).toThrow(
      /no Incus project is labelled project_name gamma; this Incus holds 2 anklume projects/,
    )
    const one = importFromObserved(twoInfras(), { projects: ['b-one', 'hand'], projectName: 'gamma' })
    expect(one.infra.project_name).toBe('gamma')
    expect(Object.keys(one.infra.domains as object)).toEqual(['b-one', 'hand'])
    const chosen = importFromObserved(twoInfras(), { projects: ['a-web', 'b-one'], projectName: 'beta' })
    expect(Object.keys(chosen.infra.domains as object)).toEqual(['b-one'])
  })
})
