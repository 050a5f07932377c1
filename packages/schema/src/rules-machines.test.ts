import { describe, expect, test } from 'vitest'
import { type AnyObj, baseInfra, check, lineOf, only, warnings, yaml } from '../test/helpers.js'

/** Base infra with extra/overridden keys on machine pro-dev. */
function dev(extra: AnyObj, mutate?: (infra: AnyObj) => void): AnyObj {
  const infra: AnyObj = baseInfra()
  Object.assign(infra.domains.pro.machines['pro-dev'], extra)
  mutate?.(infra)
  return infra
}

describe('machine rules', () => {
  test('names: pattern, 63 characters, prefixed length', () => {
    expect(only(check(dev({}, (i) => (i.domains.pro.machines.Dev_1 = {}))), 'INVALID_NAME').path).toBe(
      'domains.pro.machines.Dev_1',
    )
    const long = 'a'.repeat(64)
    expect(only(check(dev({}, (i) => (i.domains.pro.machines[long] = {}))), 'NAME_TOO_LONG').hint).toBe(
      'shorten it by 1 characters',
    )
    const sixty = 'b'.repeat(60)
    const prefixed = dev({}, (i) => {
      i.global.nesting_prefix = true
      i.domains.pro.machines[sixty] = {}
    })
    expect(only(check(prefixed), 'NAME_TOO_LONG').message).toContain(`"001-${sixty}" is 64 characters`)
  })

  test('machine names are global: the error names both domains', () => {
    const data = dev({}, (i) => (i.domains.admin.machines['pro-db'] = {}))
    const text = yaml(data)
    const e = only(check(text), 'DUPLICATE_MACHINE')
    expect(e.message).toBe('machine "pro-db" is defined in domain "admin" and again in domain "pro"')
    expect(e.path).toBe('domains.pro.machines.pro-db')
    expect(e.line).toBe(lineOf(text, 'pro-db:', lineOf(text, 'pro:')))
  })

  test('ip inside the /24, not .0/.254/.255', () => {
    const text = yaml(dev({ ip: '10.100.2.10' }))
    const e = only(check(text), 'IP_OUTSIDE_SUBNET')
    expect(e).toMatchObject({ path: 'domains.pro.machines.pro-dev.ip', line: lineOf(text, '10.100.2.10') })
    expect(e.message).toContain("pro's subnet 10.100.1.0/24")
    for (const host of [0, 254, 255]) {
      expect(only(check(dev({ ip: `10.100.1.${host}` })), 'IP_RESERVED').path).toBe(
        'domains.pro.machines.pro-dev.ip',
      )
    }
  })

  test('ip format', () => {
    const e = only(check(dev({ ip: '10.100.1.300' })), 'INVALID_IP')
    expect(e.path).toBe('domains.pro.machines.pro-dev.ip')
    expect(only(check(dev({ ip: 42 })), 'INVALID_TYPE').message).toBe('expected a string, got the number 42')
  })

  test('ip outside .1–.99 is a warning', () => {
    const r = check(dev({ ip: '10.100.1.150' }))
    expect(r.ok).toBe(true)
    expect(only(r, 'IP_OUTSIDE_STATIC_RANGE')).toMatchObject({
      severity: 'warning',
      path: 'domains.pro.machines.pro-dev.ip',
    })
  })

  test('ips are globally unique', () => {
    const e = only(check(dev({ ip: '10.100.1.11' })), 'DUPLICATE_IP')
    expect(e.message).toContain('"pro-dev" (domain "pro")')
    expect(e.path).toBe('domains.pro.machines.pro-db.ip')
  })

  test('profiles must be defined in the same domain', () => {
    const text = yaml(dev({ profiles: ['default', 'smal'] }))
    const e = only(check(text), 'UNKNOWN_PROFILE')
    expect(e).toMatchObject({
      path: 'domains.pro.machines.pro-dev.profiles[1]',
      hint: 'did you mean "small"?',
    })
    expect(e.line).toBe(lineOf(text, '- smal'))
    const other = dev({}, (i) => (i.domains.admin.machines['admin-ctl'].profiles = ['small']))
    expect(only(check(other), 'UNKNOWN_PROFILE').message).toBe(
      'profile "small" is not defined in domain "admin"',
    )
    expect(only(check(dev({ profiles: ['default', 'default'] })), 'DUPLICATE_PROFILE').path).toBe(
      'domains.pro.machines.pro-dev.profiles[1]',
    )
  })

  test('gpu on a VM needs gpu_pci', () => {
    const e = only(check(dev({ type: 'vm', gpu: true })), 'GPU_PCI_REQUIRED')
    expect(e.path).toBe('domains.pro.machines.pro-dev.gpu')
    expect(check(dev({ type: 'vm', gpu: true, gpu_pci: '0000:01:00.0' })).ok).toBe(true)
    expect(only(check(dev({ type: 'vm', gpu: true, gpu_pci: 'card0' })), 'INVALID_PCI').path).toBe(
      'domains.pro.machines.pro-dev.gpu_pci',
    )
  })

  test('privileged LXC: error, warning with yolo, nothing under a VM boundary', () => {
    const data = dev({ config: { 'security.privileged': true } })
    const e = only(check(data), 'PRIVILEGED_LXC')
    expect(e).toMatchObject({
      severity: 'error',
      path: 'domains.pro.machines.pro-dev.config.security.privileged',
    })
    const yolo = check(data, { yolo: true })
    expect(yolo.ok).toBe(true)
    expect(only(yolo, 'PRIVILEGED_LXC').severity).toBe('warning')
    expect(check(data, { vmNested: true }).issues).toEqual([])
    expect(check(dev({ type: 'vm', config: { 'security.privileged': 'true' } })).ok).toBe(true)
    const viaProfile = dev({}, (i) => (i.domains.pro.profiles.small.config['security.privileged'] = 'yes'))
    expect(only(check(viaProfile), 'PRIVILEGED_LXC').message).toContain('through profile "small"')
  })

  test('config values may be YAML booleans/numbers and are stringified', () => {
    const r = check(dev({ config: { 'security.nesting': true, 'limits.cpu': 4 } }))
    expect(r.infra?.domains[1]?.machines[0]?.config).toEqual({
      'security.nesting': 'true',
      'limits.cpu': '4',
    })
    expect(only(check(dev({ config: { 'limits.cpu': null } })), 'INVALID_TYPE').path).toBe(
      'domains.pro.machines.pro-dev.config.limits.cpu',
    )
  })

  test('boot_priority, weight, snapshots', () => {
    expect(only(check(dev({ boot_priority: 101 })), 'OUT_OF_RANGE').path).toBe(
      'domains.pro.machines.pro-dev.boot_priority',
    )
    expect(only(check(dev({ weight: 0 })), 'OUT_OF_RANGE').path).toBe('domains.pro.machines.pro-dev.weight')
    const cron = only(check(dev({ snapshots_schedule: '0 25 * * *' })), 'INVALID_CRON')
    expect(cron.message).toBe('hour field: 25 is out of range 0–23')
    expect(only(check(dev({ snapshots_expiry: '3 days' })), 'INVALID_DURATION').path).toBe(
      'domains.pro.machines.pro-dev.snapshots_expiry',
    )
  })

  test('storage volumes: path required and absolute, unique per machine', () => {
    expect(only(check(dev({ storage_volumes: { data: { size: '1GiB' } } })), 'MISSING_KEY').path).toBe(
      'domains.pro.machines.pro-dev.storage_volumes.data.path',
    )
    expect(only(check(dev({ storage_volumes: { data: { path: 'srv' } } })), 'INVALID_PATH').path).toBe(
      'domains.pro.machines.pro-dev.storage_volumes.data.path',
    )
    const dup = dev({ storage_volumes: { a: { path: '/srv' }, b: { path: '/srv' } } })
    expect(only(check(dup), 'DUPLICATE_MOUNT_PATH').path).toBe(
      'domains.pro.machines.pro-dev.storage_volumes.b.path',
    )
    expect(
      only(check(dev({ storage_volumes: { a: { path: '/srv', size: '10 gigs' } } })), 'INVALID_SIZE').path,
    ).toBe('domains.pro.machines.pro-dev.storage_volumes.a.size')
  })

  test('devices need a type', () => {
    const e = only(check(dev({ devices: { data: { source: '/x', path: '/y' } } })), 'MISSING_KEY')
    expect(e.path).toBe('domains.pro.machines.pro-dev.devices.data.type')
  })

  test('compatibility keys are accepted with one warning each', () => {
    const data = dev({ export_apps: ['x'], vars: { a: 1 }, services: ['s'] }, (i) => {
      i.domains.pro.machines['pro-db'].export_apps = ['y']
      i.domains.pro.machines['pro-db'].persistent_data = { data: { path: '/data' } }
    })
    const r = check(data)
    expect(r.ok).toBe(true)
    const w = warnings(r).filter((i) => i.code === 'COMPAT_KEY')
    expect(w.map((i) => i.path).sort()).toEqual([
      'domains.pro.machines.pro-db.persistent_data',
      'domains.pro.machines.pro-dev.export_apps',
      'domains.pro.machines.pro-dev.services',
      'domains.pro.machines.pro-dev.vars',
    ])
    expect(w.find((i) => i.path.endsWith('export_apps'))?.message).toBe(
      '"export_apps" accepted, not acted on by apply (2 uses)',
    )
    expect(only(check(dev({ export_apps: 'x' })), 'INVALID_TYPE').path).toBe(
      'domains.pro.machines.pro-dev.export_apps',
    )
  })

  test('unknown machine key with suggestion, at the key position', () => {
    const text = yaml(dev({ os_imag: 'images:debian/12' }))
    const e = only(check(text), 'UNKNOWN_KEY')
    expect(e).toMatchObject({
      path: 'domains.pro.machines.pro-dev.os_imag',
      hint: 'did you mean "os_image"?',
      line: lineOf(text, 'os_imag:'),
      col: 9,
    })
  })

  test('a key written at the wrong level says where it belongs', () => {
    const e = only(check(dev({ subnet_id: 3 })), 'UNKNOWN_KEY')
    expect(e).toMatchObject({
      path: 'domains.pro.machines.pro-dev.subnet_id',
      hint: '"subnet_id" belongs to a domain (domains.<name>)',
    })
    const d = only(check(dev({}, (i) => (i.domains.pro.ip = '10.100.1.5'))), 'UNKNOWN_KEY')
    expect(d.hint).toBe('"ip" belongs to a machine (domains.<d>.machines.<name>)')
  })

  test('incus_socket on a VM is refused', () => {
    expect(only(check(dev({ type: 'vm', incus_socket: true })), 'INCUS_SOCKET_VM').path).toBe(
      'domains.pro.machines.pro-dev.incus_socket',
    )
    expect(check(dev({ incus_socket: true })).ok).toBe(true)
  })

  test('profiles without default and without a root disk: warning', () => {
    const r = check(dev({ profiles: ['small'] }))
    expect(r.ok).toBe(true)
    expect(only(r, 'NO_DEFAULT_PROFILE').path).toBe('domains.pro.machines.pro-dev.profiles')
    const withRoot = dev({
      profiles: ['small'],
      devices: { root: { type: 'disk', path: '/', pool: 'default' } },
    })
    expect(check(withRoot).issues).toEqual([])
  })

  test('Incus type names get a hint', () => {
    expect(only(check(dev({ type: 'container' })), 'INVALID_VALUE').hint).toBe('write "lxc"')
    expect(only(check(dev({ type: 'virtual-machine' })), 'INVALID_VALUE').hint).toBe('write "vm"')
  })
})
