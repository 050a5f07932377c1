import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { type AnyObj, check, errors, lineOf, only, warnings, yaml } from '../test/helpers.js'

const M = 'domains.pro.machines.pro-dev'

/** One domain, one machine with `machine` merged in; `domain` merged into the domain. */
function infra(machine: AnyObj, domain: AnyObj = {}): AnyObj {
  return {
    project_name: 'demo',
    global: { base_subnet: '10.100' },
    domains: { pro: { subnet_id: 1, ...domain, machines: { 'pro-dev': { ...machine } } } },
  }
}

const disk = (source: string) => ({ devices: { d: { type: 'disk', source, path: '/mnt/d' } } })

describe('config keys that hand the host over', () => {
  test.each([
    'raw.lxc',
    'raw.idmap',
    'raw.apparmor',
    'raw.seccomp',
    'raw.qemu',
    'raw.qemu.conf',
    'linux.kernel_modules',
  ])('%s is refused without host_access, with its position and a hint naming the grant', (key) => {
    const text = yaml(infra({ config: { [key]: 'both 0 0' } }))
    const e = only(check(text), 'HOST_ACCESS')
    expect(e).toMatchObject({ severity: 'error', path: `${M}.config.${key}`, line: lineOf(text, key) })
    expect(e.message).toMatch(
      new RegExp(`^${key.replaceAll('.', '\\.')} .*: refused for "pro-dev" unless allowed$`),
    )
    expect(e.hint).toBe(`if this machine must have it, add host_access: [${key}] to "pro-dev"`)
  })

  test('allowed by name: the machine validates and carries the grant', () => {
    const r = check(
      infra({ config: { 'raw.lxc': 'lxc.apparmor.profile=unconfined' }, host_access: ['raw.lxc'] }),
    )
    expect(errors(r)).toEqual([])
    expect(r.infra?.domains[0]?.machines[0]?.hostAccess).toEqual(['raw.lxc'])
  })

  test('ordinary keys (security.nesting, limits.*) need nothing; security.privileged keeps its own rule', () => {
    expect(check(infra({ config: { 'security.nesting': 'true', 'limits.cpu': '2' } })).ok).toBe(true)
    const r = check(infra({ config: { 'security.privileged': 'true' } }))
    expect(only(r, 'PRIVILEGED_LXC').message).toBe(
      'security.privileged on LXC container "pro-dev" is refused outside a VM boundary',
    )
    expect(r.issues.filter((i) => i.code === 'HOST_ACCESS')).toEqual([])
  })
})

describe('devices that hand the host over', () => {
  test.each([
    ['/', 'disk:/'],
    ['/etc', 'disk:/etc'],
    ['/etc/ssl/', 'disk:/etc/ssl'],
    ['/root', 'disk:/root'],
    ['/var/lib/incus', 'disk:/var/lib/incus'],
    ['/var/run/incus/unix.socket', 'disk:/run/incus/unix.socket'],
    ['/srv/../proc', 'disk:/proc'],
    ['/sys/kernel', 'disk:/sys/kernel'],
    ['/run', 'disk:/run'],
    ['/dev', 'disk:/dev'],
    ['/dev/sda1', 'disk:/dev/sda1'],
    ['/dev/mapper/vg-root', 'disk:/dev/mapper/vg-root'],
  ])('a disk with source %s is refused (grant %s)', (source, grant) => {
    const e = only(check(infra(disk(source))), 'HOST_ACCESS')
    expect(e.path).toBe(`${M}.devices.d.source`)
    expect(e.hint).toContain(`host_access: [${grant}]`)
    expect(check(infra({ ...disk(source), host_access: [grant] })).ok).toBe(true)
  })

  test.each(['/srv/data', '/home/me/share', '/dev/shm', '/run/user/1000/wayland-0', '/var/cache/apt'])(
    'a disk with source %s is ordinary',
    (source) => {
      expect(check(infra(disk(source))).issues).toEqual([])
    },
  )

  test('a custom volume (pool + source name) is never host access', () => {
    expect(
      check(infra({ devices: { v: { type: 'disk', pool: 'default', source: 'etc', path: '/etc' } } })).ok,
    ).toBe(true)
  })

  test.each([
    [{ type: 'unix-block', source: '/dev/sda' }, 'unix-block:/dev/sda', 'source'],
    [{ type: 'unix-block', path: '/dev/nvme0n1' }, 'unix-block:/dev/nvme0n1', 'path'],
    [{ type: 'unix-char', source: '/dev/mem' }, 'unix-char:/dev/mem', 'source'],
    [{ type: 'unix-char', path: '/dev/kmsg' }, 'unix-char:/dev/kmsg', 'path'],
    [
      { type: 'proxy', connect: 'unix:/var/lib/incus/unix.socket', listen: 'unix:/s' },
      'proxy:/var/lib/incus/unix.socket',
      'connect',
    ],
    [
      { type: 'proxy', listen: 'unix:/run/incus/unix.socket', connect: 'unix:/s', bind: 'instance' },
      'proxy:/run/incus/unix.socket',
      'listen',
    ],
  ])('device %o is refused (grant %s)', (dev, grant, field) => {
    const e = only(check(infra({ devices: { x: dev } })), 'HOST_ACCESS')
    expect(e.path).toBe(`${M}.devices.x.${field}`)
    expect(e.hint).toContain(`host_access: [${grant}]`)
  })

  test('a device named config is still named as a device', () => {
    const e = only(
      check(infra({ devices: { config: { type: 'disk', source: '/etc', path: '/e' } } })),
      'HOST_ACCESS',
    )
    expect(e.message).toBe('device "config" exposes host /etc: refused for "pro-dev" unless allowed')
  })

  test('unix-char for a serial port or fuse is ordinary', () => {
    const devices = {
      s: { type: 'unix-char', source: '/dev/ttyUSB0' },
      f: { type: 'unix-char', path: '/dev/fuse' },
    }
    expect(check(infra({ devices })).issues).toEqual([])
  })

  test('a root disk from the host in a profile is refused for every machine using it, at the profile', () => {
    const root = { type: 'disk', path: '/', source: '/' }
    const text = yaml(infra({ profiles: ['hostroot'] }, { profiles: { hostroot: { devices: { root } } } }))
    const e = only(check(text), 'HOST_ACCESS')
    expect(e.path).toBe('domains.pro.profiles.hostroot.devices.root.source')
    expect(e.message).toBe(
      `device "root" mounts the host's root filesystem: refused for "pro-dev" (through profile "hostroot") unless allowed`,
    )
  })

  test('a profile with host access that no machine lists is refused', () => {
    const r = check(infra({}, { profiles: { lowlevel: { config: { 'raw.lxc': 'x' } } } }))
    expect(only(r, 'HOST_ACCESS').path).toBe('domains.pro.profiles.lowlevel.config.raw.lxc')
  })

  test('a device grant covers what is under it; the grant list is what the plan shows', () => {
    const devices = {
      a: { type: 'disk', source: '/etc/ssl', path: '/a' },
      b: { type: 'disk', source: '/etc/pki', path: '/b' },
    }
    const r = check(infra({ devices, host_access: ['disk:/etc'] }))
    expect(errors(r)).toEqual([])
    expect(r.infra?.domains[0]?.machines[0]?.hostAccess).toEqual(['disk:/etc/ssl', 'disk:/etc/pki'])
  })
})

describe('the host_access key', () => {
  test('an unused grant is a warning; a malformed one an error', () => {
    const r = check(infra({ host_access: ['raw.lxc', 'disk:etc', 'everything'] }))
    expect(warnings(r).map((i) => [i.code, i.path])).toEqual([['HOST_ACCESS_UNUSED', `${M}.host_access[0]`]])
    expect(errors(r).map((i) => [i.code, i.path, i.message])).toEqual([
      ['HOST_ACCESS_INVALID', `${M}.host_access[1]`, '"disk:etc" is not a host access grant'],
      ['HOST_ACCESS_INVALID', `${M}.host_access[2]`, '"everything" is not a host access grant'],
    ])
  })

  test.each(['untrusted', 'disposable'])(
    'in a %s domain host access is refused whatever the key',
    (trust) => {
      const r = check(infra({ config: { 'raw.lxc': 'x' }, host_access: ['raw.lxc'] }, { trust_level: trust }))
      expect(errors(r).map((i) => [i.code, i.path])).toEqual([
        ['HOST_ACCESS_UNTRUSTED', `${M}.config.raw.lxc`],
        ['HOST_ACCESS_UNTRUSTED', `${M}.host_access`],
      ])
    },
  )

  test('property: any path under a host tree is refused without a grant and allowed with its own', () => {
    const tree = fc.constantFrom('/etc', '/root', '/boot', '/proc', '/sys', '/var/lib/incus', '/run/incus')
    const tail = fc.array(
      fc.stringMatching(/^[a-z0-9._-]{1,8}$/).filter((s) => s !== '.' && s !== '..'),
      {
        maxLength: 3,
      },
    )
    fc.assert(
      fc.property(tree, tail, (t, rest) => {
        const source = [t, ...rest].join('/')
        expect(only(check(infra(disk(source))), 'HOST_ACCESS').path).toBe(`${M}.devices.d.source`)
        expect(errors(check(infra({ ...disk(source), host_access: [`disk:${t}`] })))).toEqual([])
      }),
      { numRuns: 40 },
    )
  })
})
