import { describe, expect, test } from 'vitest'
import { type AnyObj, baseInfra, check, lineOf, yaml } from '../test/helpers.js'

function infra(mutate: (i: AnyObj) => void): AnyObj {
  const i: AnyObj = baseInfra()
  mutate(i)
  return i
}

describe('normalisation', () => {
  test('defaults of global, domain and machine', () => {
    const r = check(baseInfra())
    const inf = r.infra
    expect(inf?.schemaVersion).toBe(1)
    expect(inf?.global).toMatchObject({
      baseSubnet: '10.100',
      defaultOsImage: 'images:debian/13',
      storagePool: 'default',
      nestingPrefix: false,
      gpuPolicy: 'exclusive',
      firewallMode: 'host',
      aiAccessPolicy: 'open',
      aiVramFlush: true,
      resourcePolicy: undefined,
    })
    const pro = inf?.domains[1]
    expect(pro).toMatchObject({
      name: 'pro',
      description: '',
      subnetId: 1,
      subnet: '10.100.1.0/24',
      gateway: '10.100.1.254',
      enabled: true,
      ephemeral: false,
      trustLevel: undefined,
      restricted: false,
      nat: true,
      dnsZone: false,
      limits: {},
    })
    expect(pro?.profiles).toEqual([
      { name: 'small', description: '', config: { 'limits.cpu': '2' }, devices: {} },
    ])
    expect(pro?.machines[1]).toMatchObject({
      name: 'pro-db',
      domain: 'pro',
      type: 'lxc',
      osImage: 'images:debian/13',
      ephemeral: false,
      gpu: false,
      profiles: ['default'],
      config: {},
      devices: {},
      storageVolumes: [],
      weight: 1,
      incusSocket: false,
      roles: [],
      cloudInit: undefined,
    })
    expect(inf?.networkPolicies[0]).toMatchObject({
      description: '',
      ports: [5432],
      protocol: 'tcp',
      bidirectional: false,
    })
  })

  test('ephemeral and os_image are inherited; machines can override', () => {
    const r = check(
      infra((i) => {
        i.global.default_os_image = 'local-img'
        i.domains.pro.ephemeral = true
        i.domains.pro.machines['pro-db'].ephemeral = false
        i.domains.pro.machines['pro-db'].os_image = 'images:alpine/3.20'
      }),
    )
    const [dev, db] = r.infra?.domains[1]?.machines ?? []
    expect([dev?.ephemeral, dev?.osImage]).toEqual([true, 'local-img'])
    expect([db?.ephemeral, db?.osImage]).toEqual([false, 'images:alpine/3.20'])
  })

  test('storage volume pool defaults to global storage_pool', () => {
    const r = check(
      infra((i) => {
        i.global.storage_pool = 'fast'
        i.domains.pro.machines['pro-dev'].storage_volumes = {
          data: { path: '/srv', size: '10GiB' },
          logs: { path: '/var/log/app', pool: 'slow' },
        }
      }),
    )
    expect(r.infra?.domains[1]?.machines[0]?.storageVolumes).toEqual([
      { name: 'data', pool: 'fast', size: '10GiB', path: '/srv' },
      { name: 'logs', pool: 'slow', size: undefined, path: '/var/log/app' },
    ])
  })

  test('cloud_init maps become #cloud-config YAML; strings are kept', () => {
    const r = check(
      infra((i) => {
        i.domains.pro.machines['pro-dev'].cloud_init = {
          user_data: { packages: ['git'] },
          vendor_data: '#!/bin/sh\necho hi\n',
          network_config: { version: 2 },
        }
      }),
    )
    expect(r.infra?.domains[1]?.machines[0]?.cloudInit).toEqual({
      userData: '#cloud-config\npackages:\n  - git\n',
      vendorData: '#!/bin/sh\necho hi\n',
      networkConfig: 'version: 2\n',
    })
  })

  test('snapshot keys: schedule kept, expiry written in Incus units', () => {
    const r = check(
      infra((i) => {
        Object.assign(i.domains.pro.machines['pro-dev'], {
          snapshots_schedule: '0 3 * * *',
          snapshots_expiry: '24h',
          boot_autostart: true,
          boot_priority: 50,
        })
        i.domains.pro.machines['pro-db'].snapshots_expiry = '60m'
      }),
    )
    const [dev, db] = r.infra?.domains[1]?.machines ?? []
    expect(dev).toMatchObject({
      snapshotsSchedule: '0 3 * * *',
      snapshotsExpiry: '24H',
      bootAutostart: true,
      bootPriority: 50,
    })
    expect(db?.snapshotsExpiry).toBe('60M')
  })

  test('dns_zone true maps to the project name; limits are strings', () => {
    const r = check(
      infra((i) => {
        i.domains.pro.dns_zone = true
        i.domains.admin.dns_zone = 'lab.internal'
        i.domains.pro.limits = { cpu: 4, memory: '8GiB', instances: 10 }
      }),
    )
    expect(r.infra?.domains.map((d) => d.dnsZone)).toEqual(['lab.internal', 'demo'])
    expect(r.infra?.domains[1]?.limits).toEqual({ cpu: '4', memory: '8GiB', instances: '10' })
  })

  test('devices are stringified; gpu and gpu_pci carried', () => {
    const r = check(
      infra((i) => {
        i.domains.pro.machines['pro-dev'] = {
          ip: '10.100.1.10',
          type: 'vm',
          gpu: true,
          gpu_pci: '01:00.0',
          devices: { data: { type: 'disk', source: '/srv', path: '/srv', readonly: true } },
        }
      }),
    )
    expect(r.infra?.domains[1]?.machines[0]).toMatchObject({
      type: 'vm',
      gpu: true,
      gpuPci: '01:00.0',
      devices: { data: { type: 'disk', source: '/srv', path: '/srv', readonly: 'true' } },
    })
  })

  test('compatibility keys are carried for the inventory', () => {
    const r = check(
      infra((i) => {
        i.domains.pro.file_portal = { allowed_paths: ['/shared'], read_only: true }
        i.domains.pro.ai_provider = 'local'
        i.domains.pro.machines['pro-dev'].vars = { port: 80 }
        i.domains.pro.machines['pro-dev'].export_apps = ['firefox']
      }),
    )
    expect(r.infra?.domains[1]).toMatchObject({
      filePortal: { allowedPaths: ['/shared'], readOnly: true },
      aiProvider: 'local',
    })
    expect(r.infra?.domains[1]?.machines[0]).toMatchObject({ vars: { port: 80 }, exportApps: ['firefox'] })
  })

  test('source positions of domains, machines and policies', () => {
    const text = yaml(baseInfra())
    const r = check(text)
    expect(r.infra?.domains[1]?.pos).toEqual({ file: 'infra.yml', line: lineOf(text, '  pro:'), col: 3 })
    expect(r.infra?.domains[1]?.machines[0]?.pos).toEqual({
      file: 'infra.yml',
      line: lineOf(text, 'pro-dev:'),
      col: 7,
    })
    expect(r.infra?.networkPolicies[0]?.pos?.line).toBe(lineOf(text, '- from: admin'))
    expect(r.infra?.sources).toEqual(['infra.yml'])
  })
})
