import { describe, expect, test } from 'vitest'
import { type AnyObj, baseInfra, check, lineOf, only, yaml } from '../test/helpers.js'

function infra(global: AnyObj, mutate?: (i: AnyObj) => void): AnyObj {
  const i: AnyObj = baseInfra()
  i.global = { ...i.global, ...global }
  mutate?.(i)
  return i
}

const twoGpus = (i: AnyObj) => {
  i.domains.pro.machines['pro-dev'].gpu = true
  i.domains.admin.machines['admin-ctl'].gpu = true
}

describe('global rules', () => {
  test('base_subnet must be private and of the form A.B', () => {
    const text = yaml(infra({ base_subnet: '8.8' }))
    const e = only(check(text), 'BASE_SUBNET_NOT_PRIVATE')
    expect(e).toMatchObject({ path: 'global.base_subnet', line: lineOf(text, 'base_subnet') })
    expect(only(check(infra({ base_subnet: '10.100.1' })), 'INVALID_BASE_SUBNET').path).toBe(
      'global.base_subnet',
    )
    expect(only(check(infra({ base_subnet: 10.1 })), 'INVALID_TYPE').message).toContain('quoted string')
    for (const ok of ['172.16', '172.31', '192.168']) {
      const r = check(
        infra({ base_subnet: ok }, (i) => {
          i.domains.admin.machines['admin-ctl'].ip = `${ok}.0.10`
          i.domains.pro.machines['pro-dev'].ip = `${ok}.1.10`
          i.domains.pro.machines['pro-db'].ip = `${ok}.1.11`
        }),
      )
      expect(r.issues).toEqual([])
    }
    expect(only(check(infra({ base_subnet: '172.32' })), 'BASE_SUBNET_NOT_PRIVATE').path).toBe(
      'global.base_subnet',
    )
  })

  test('schema_version newer than 1 is refused with one clear error', () => {
    const data = infra({}, (i) => {
      i.schema_version = 2
      i.future_key = {}
    })
    const r = check(data)
    expect(r.issues).toHaveLength(1)
    expect(r.issues[0]).toMatchObject({ code: 'SCHEMA_VERSION_UNSUPPORTED', path: 'schema_version' })
    expect(check(infra({}, (i) => (i.schema_version = 1))).ok).toBe(true)
  })

  test('gpu_policy exclusive: a second GPU machine is an error; shared: a warning', () => {
    const e = only(check(infra({}, twoGpus)), 'GPU_EXCLUSIVE')
    expect(e.path).toBe('domains.pro.machines.pro-dev.gpu')
    expect(e.hint).toContain('gpu_policy: shared')
    const shared = check(infra({ gpu_policy: 'shared' }, twoGpus))
    expect(shared.ok).toBe(true)
    expect(only(shared, 'GPU_SHARED')).toMatchObject({ severity: 'warning', path: 'global.gpu_policy' })
  })

  test('a gpu device in a listed profile counts as a GPU machine', () => {
    const data = infra({}, (i) => {
      i.domains.pro.profiles.small.devices = { gpu: { type: 'gpu' } }
      i.domains.admin.machines['admin-ctl'].gpu = true
    })
    expect(only(check(data), 'GPU_EXCLUSIVE').path).toBe('domains.pro.machines.pro-dev')
  })

  test('GPU machines of disabled domains do not count', () => {
    const data = infra({}, (i) => {
      twoGpus(i)
      i.domains.admin.enabled = false
    })
    expect(check(data).ok).toBe(true)
  })

  test('base_subnet and addressing together are refused', () => {
    const e = only(check(infra({ addressing: { base_octet: 10 } })), 'ADDRESSING_CONFLICT')
    expect(e.path).toBe('global.addressing')
  })

  test('resource_policy: true, {} or a map; reserves N% 1–99 or absolute', () => {
    expect(check(infra({ resource_policy: true })).infra?.global.resourcePolicy).toEqual({
      hostReserve: { cpu: '20%', memory: '20%' },
      mode: 'proportional',
      cpuMode: 'allowance',
      memoryEnforce: 'soft',
      overcommit: false,
    })
    expect(check(infra({ resource_policy: {} })).infra?.global.resourcePolicy?.mode).toBe('proportional')
    expect(check(infra({})).infra?.global.resourcePolicy).toBeUndefined()
    const ok = check(infra({ resource_policy: { host_reserve: { cpu: 2, memory: '4GiB' }, mode: 'equal' } }))
    expect(ok.infra?.global.resourcePolicy?.hostReserve).toEqual({ cpu: '2', memory: '4GiB' })
    const pct = only(check(infra({ resource_policy: { host_reserve: { cpu: '100%' } } })), 'INVALID_RESERVE')
    expect(pct).toMatchObject({ path: 'global.resource_policy.host_reserve.cpu' })
    expect(pct.message).toContain('between 1% and 99%')
    expect(
      only(check(infra({ resource_policy: { host_reserve: { memory: 'lots' } } })), 'INVALID_RESERVE').path,
    ).toBe('global.resource_policy.host_reserve.memory')
    expect(only(check(infra({ resource_policy: { mode: 'fair' } })), 'INVALID_VALUE').path).toBe(
      'global.resource_policy.mode',
    )
    expect(only(check(infra({ resource_policy: 'yes' })), 'INVALID_TYPE').path).toBe('global.resource_policy')
  })

  test('isolation defaults and table name', () => {
    expect(check(infra({})).infra?.global.isolation).toEqual({
      table: 'anklume_demo', // one table per infra: anklume_<project_name>
      egress: true,
      networkAcls: false,
    })
    expect(only(check(infra({ isolation: { table: 'bad table' } })), 'INVALID_FORMAT').path).toBe(
      'global.isolation.table',
    )
    for (const table of ['dup', 'ct', 'reject', 'Anklume', 'anklume-lab', 'fw_anklume'])
      expect(only(check(infra({ isolation: { table } })), 'INVALID_FORMAT').message).toBe(
        `must be "anklume", then lowercase letters, digits and "_" (e.g. anklume_lab; at most 64), got the string "${table}"`,
      )
    for (const table of ['anklume', 'anklume_lab2', 'anklumedup'])
      expect(check(infra({ isolation: { table } })).infra?.global.isolation.table).toBe(table)
  })

  test('firewall_mode vm adds sys-firewall to the anklume domain', () => {
    const data = infra({ firewall_mode: 'vm' }, (i) => {
      i.domains.anklume = i.domains.admin
      delete i.domains.admin
      i.network_policies[0].from = 'anklume'
    })
    const r = check(data)
    expect(r.issues).toEqual([])
    const anklume = r.infra?.domains.find((d) => d.name === 'anklume')
    expect(anklume?.machines.find((m) => m.name === 'sys-firewall')).toMatchObject({
      type: 'vm',
      ip: '10.100.0.253',
      ephemeral: false,
      config: { 'limits.cpu': '2', 'limits.memory': '2GiB' },
      profiles: ['default', 'firewall-multi-nic'],
    })
    expect(anklume?.profiles.find((p) => p.name === 'firewall-multi-nic')?.devices).toEqual({
      eth0: { type: 'nic', network: 'net-anklume', name: 'eth0' },
      eth1: { type: 'nic', network: 'net-pro', name: 'eth1' },
    })
    const prefixed = check(
      { ...data, global: { ...data.global, nesting_prefix: true } },
      { absoluteLevel: 2 },
    ).infra?.domains.find((d) => d.name === 'anklume')
    expect(prefixed?.profiles.at(-1)?.devices.eth1?.network).toBe('002-net-pro')
  })

  test('the added sys-firewall can be a policy target', () => {
    const data = infra({ firewall_mode: 'vm' }, (i) => {
      i.domains.anklume = i.domains.admin
      delete i.domains.admin
      i.network_policies = [{ from: 'pro', to: 'sys-firewall', ports: [53], protocol: 'udp' }]
    })
    expect(check(data).issues).toEqual([])
    data.global.firewall_mode = 'host'
    expect(only(check(data), 'UNKNOWN_TARGET').path).toBe('network_policies[0].to')
  })

  test('firewall_mode vm without an anklume domain is an error', () => {
    expect(only(check(infra({ firewall_mode: 'vm' })), 'FIREWALL_DOMAIN_MISSING').path).toBe(
      'global.firewall_mode',
    )
  })

  test('unknown global key with suggestion', () => {
    const text = yaml(infra({ default_os_imag: 'x' }))
    expect(only(check(text), 'UNKNOWN_KEY')).toMatchObject({
      path: 'global.default_os_imag',
      hint: 'did you mean "default_os_image"?',
      line: lineOf(text, 'default_os_imag'),
    })
  })

  test('top-level shared_volumes is a compatibility key', () => {
    const r = check(infra({}, (i) => (i.shared_volumes = { docs: { consumers: { pro: 'ro' } } })))
    expect(r.ok).toBe(true)
    expect(only(r, 'COMPAT_KEY').path).toBe('shared_volumes')
  })
})
