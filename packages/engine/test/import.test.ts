/**
 * `anklume import` round trips on the real daemon:
 * 1. apply an infra, import it, and the imported file plans zero changes;
 * 2. a project built by hand with the client imports, and applying the
 *    imported file only adopts (adds anklume labels), after which the plan
 *    is empty;
 * 3. an infra with dns_zone, network ACLs (egress: false) and host access
 *    grants, applied with its isolation table: the imported file keeps them
 *    and plans zero changes against the live host, table included.
 */
import { execFile } from 'node:child_process'
import { randomInt } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { deleteTable } from '@anklume/host'
import type { IncusClient } from '@anklume/incus-client'
import { diffRulesets } from '@anklume/nftables'
import { defaultIsolationTable } from '@anklume/schema'
import { freeBaseSubnet, loadInfra, runPrefix, TEST_IMAGE } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { applyInfra, importIncus, planInfra, readIsolation } from '../src/index.js'
import { apply, cliPath, newClient, noNesting, plan, removeInfra } from './helpers.js'

const prefix = runPrefix()
let client: IncusClient
let base = ''
const a = `${prefix}ia`
const b = `${prefix}ib`
const h = `${prefix}ih`
// nesting_prefix at level 1: Incus names get `001-`.
const n = `${prefix}in`
// dns_zone, network ACLs, host access: its own infra (isolation is global).
const z = `${prefix}iz`
const zoneProject = `${prefix}-zone`
const nested = `001-${n}`
const tmp = mkdtempSync(join(tmpdir(), 'anklume-import-'))
const run = promisify(execFile)

beforeAll(async () => {
  client = newClient()
  base = await freeBaseSubnet()
})

async function unprotectAndDelete(project: string): Promise<void> {
  for (const i of await client.instances.list({ project }).catch(() => [])) {
    await client.instances.patch(i.name, { config: { 'security.protection.delete': 'false' } }, { project })
    await client.instances.delete(i.name, { project, force: true }).catch(() => undefined)
  }
  for (const v of await client.storage.volumes.list('default', { project }).catch(() => [])) {
    await client.storage.volumes.delete('default', v.name, { project }).catch(() => undefined)
  }
  for (const p of await client.profiles.list({ project }).catch(() => [])) {
    if (p.name !== 'default') await client.profiles.delete(p.name, { project }).catch(() => undefined)
  }
  await client.projects.delete(project, { force: true }).catch(() => undefined)
  const bridge = project.startsWith('001-') ? `001-net-${project.slice(4)}` : `net-${project}`
  await client.networks.delete(bridge).catch(() => undefined)
}

afterAll(async () => {
  await removeInfra(client, zoneProject).catch(() => undefined)
  await deleteTable(defaultIsolationTable(zoneProject)).catch(() => undefined)
  for (const p of [a, b, h, nested, z]) await unprotectAndDelete(p)
  rmSync(tmp, { recursive: true, force: true })
  await client.close()
})

function sourceInfra(): string {
  return `
project_name: ${prefix}-imp
global:
  base_subnet: "${base}"
  default_os_image: ${TEST_IMAGE}
domains:
  ${a}:
    description: import round trip
    subnet_id: 31
    nat: false
    trust_level: trusted
    limits: { instances: "5" }
    profiles:
      tools:
        description: tools
        config: { limits.processes: "500" }
        devices: { tmp: { type: disk, source: /tmp, path: /mnt/host-tmp } }
    machines:
      ${prefix}-m1:
        description: static address, volume, schedule
        ip: ${base}.31.10
        profiles: [default, tools]
        config: { limits.memory: 128MiB }
        storage_volumes: { data: { size: 64MiB, path: /data } }
        snapshots_schedule: "0 2 * * *"
        snapshots_expiry: 7d
        boot_autostart: false
        boot_priority: 10
      ${prefix}-m2:
        ephemeral: true
  ${b}:
    subnet_id: 32
    nat: false
    ephemeral: true
    machines:
      ${prefix}-m3:
        ip: ${base}.32.20
        incus_socket: true
`
}

describe('anklume import', () => {
  it('imports an applied infra into a file that plans zero changes', async () => {
    const source = loadInfra(sourceInfra())
    const { result } = await apply(client, source)
    expect(result.execution.ok).toBe(true)
    expect((await plan(client, source)).plan.actions).toEqual([])

    const imported = await importIncus(client, { projects: [a, b], level: 1 })
    expect(imported.errors).toEqual([])
    // Two domains, no ACLs: the one note is that policies (none here) live only in the host's table.
    expect(imported.warnings).toEqual([
      expect.stringMatching(/^network_policies are not read back: without network ACLs/),
    ])
    expect([imported.domains, imported.machines]).toEqual([2, 3])
    const doc = parse(imported.text)
    expect(doc.project_name).toBe(`${prefix}-imp`)
    expect(doc.global).toEqual({ base_subnet: base, default_os_image: TEST_IMAGE })
    expect(doc.domains[a]).toMatchObject({
      subnet_id: 31,
      nat: false,
      trust_level: 'trusted',
      limits: { instances: '5' },
    })
    expect(doc.domains[a].machines[`${prefix}-m1`]).toEqual({
      description: 'static address, volume, schedule',
      ip: `${base}.31.10`,
      boot_autostart: false,
      boot_priority: 10,
      snapshots_schedule: '0 2 * * *',
      snapshots_expiry: '7d',
      profiles: ['default', 'tools'],
      config: { 'limits.memory': '128MiB' },
      storage_volumes: { data: { size: '64MiB', path: '/data' } },
    })
    expect(doc.domains[a].machines[`${prefix}-m2`]).toEqual({ ephemeral: true })
    expect(doc.domains[b]).toMatchObject({
      ephemeral: true,
      machines: { [`${prefix}-m3`]: { ip: `${base}.32.20`, incus_socket: true } },
    })

    const again = loadInfra(imported.text, 'imported.yml')
    const replanned = await plan(client, again)
    expect(replanned.plan.actions).toEqual([])
    expect(replanned.plan.skipped).toEqual([])
  })

  it('imports a project built by hand; applying it only adds labels, then plans nothing', async () => {
    const third = randomInt(40, 200)
    const net = `${base}.${third}`
    const bridge = `net-${h}`
    await client.networks.create({
      name: bridge,
      description: 'hand made',
      config: {
        'ipv4.address': `${net}.254/24`,
        'ipv4.nat': 'false',
        'ipv4.dhcp.ranges': `${net}.100-${net}.249`,
        'ipv6.address': 'none',
      },
    })
    await client.projects.create({
      name: h,
      description: 'hand made',
      config: {
        'features.profiles': 'true',
        'features.storage.volumes': 'true',
        'features.networks': 'false',
        'features.images': 'false',
      },
    })
    const nic = { type: 'nic', network: bridge, name: 'eth0' }
    await client.profiles.update(
      'default',
      {
        description: `Default Incus profile for project ${h}`,
        config: {},
        devices: {
          root: { type: 'disk', path: '/', pool: 'default' },
          eth0: { ...nic, 'security.mac_filtering': 'true', 'security.ipv4_filtering': 'true' },
        },
      },
      { project: h },
    )
    const make = (name: string, ip: string, config: Record<string, string>) =>
      client.instances.create(
        {
          name,
          source: { type: 'image', alias: TEST_IMAGE },
          start: true,
          profiles: ['default'],
          devices: { eth0: { ...nic, 'ipv4.address': ip } },
          config: { 'security.protection.delete': 'true', ...config },
        },
        { project: h },
      )
    await make(`${prefix}-h1`, `${net}.11`, { 'limits.memory': '64MiB', 'limits.cpu': '1' })
    await make(`${prefix}-h2`, `${net}.12`, { 'boot.autostart': 'false' })

    const imported = await importIncus(client, { projects: [h], projectName: `${prefix}-hand`, level: 1 })
    expect(imported.errors).toEqual([])
    expect(imported.warnings).toEqual([])
    const doc = parse(imported.text)
    expect(doc.domains[h]).toEqual({
      description: 'hand made',
      subnet_id: third,
      nat: false,
      machines: {
        [`${prefix}-h1`]: {
          ip: `${net}.11`,
          config: { 'limits.cpu': '1', 'limits.memory': '64MiB' },
          devices: { eth0: nic },
        },
        [`${prefix}-h2`]: { ip: `${net}.12`, boot_autostart: false, devices: { eth0: nic } },
      },
    })
    expect(doc.global.default_os_image).toBe(TEST_IMAGE)

    const infra = loadInfra(imported.text, 'hand.yml')
    const first = await plan(client, infra)
    // The planner adopts unlabelled objects: the only changes are anklume's labels.
    expect(first.plan.actions.length).toBeGreaterThan(0)
    for (const action of first.plan.actions) {
      expect(action.op).toBe('update')
      for (const c of action.changes ?? []) {
        expect(c.field).toBe('config')
        expect(c.key).toMatch(/^user\.anklume\./)
        expect(c.from).toBeUndefined()
      }
    }
    const { result } = await apply(client, infra)
    expect(result.execution.ok).toBe(true)
    expect((await plan(client, infra)).plan.actions).toEqual([])
    const h1 = await client.instances.get(`${prefix}-h1`, { project: h })
    expect(h1.config['user.anklume.managed']).toBe('true')
    expect(h1.devices.eth0?.['ipv4.address']).toBe(`${net}.11`)
  })
  it('strips the nesting prefix; the CLI writes the file once (exit 2 without --force)', async () => {
    const source = loadInfra(`
project_name: ${prefix}-nest
global:
  base_subnet: "${base}"
  default_os_image: ${TEST_IMAGE}
  nesting_prefix: true
domains:
  ${n}:
    subnet_id: 33
    nat: false
    ephemeral: true
    machines:
      ${prefix}-p1: { ip: ${base}.33.10 }
`)
    const { result } = await apply(client, source)
    expect(result.execution.ok).toBe(true)
    expect((await client.instances.get(`001-${prefix}-p1`, { project: nested })).status).toBe('Running')

    const bin = cliPath()
    const file = join(tmp, 'nested.yml')
    const first = await run('node', [bin, 'import', '--project', nested, '-o', file])
    expect(first.stdout).toContain(`wrote ${file}: 1 domain(s), 1 machine(s), 0 warning(s), 0 left out`)
    const text = readFileSync(file, 'utf8')
    const doc = parse(text)
    expect(doc.project_name).toBe(`${prefix}-nest`)
    expect(doc.global).toEqual({ base_subnet: base, default_os_image: TEST_IMAGE, nesting_prefix: true })
    expect(doc.domains).toEqual({
      [n]: {
        subnet_id: 33,
        nat: false,
        ephemeral: true,
        machines: { [`${prefix}-p1`]: { ip: `${base}.33.10` } },
      },
    })
    expect((await plan(client, loadInfra(text, 'nested.yml'))).plan.actions).toEqual([])

    writeFileSync(file, 'mine\n')
    const refused = await run('node', [bin, 'import', '--project', nested, '-o', file]).catch((e) => e)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('ANKLUME_OUTPUT_EXISTS')
    expect(readFileSync(file, 'utf8')).toBe('mine\n')
    await run('node', [bin, 'import', '--project', nested, '-o', file, '--force'])
    expect(readFileSync(file, 'utf8')).toBe(text)

    const unknown = await run('node', [bin, 'import', '--project', `${prefix}-nope`]).catch((e) => e)
    expect(unknown.code).toBe(2)
    expect(unknown.stdout).toBe('')
    expect(unknown.stderr).toMatch(
      /^error \[ANKLUME_IMPORT_NO_PROJECT\]: no Incus project named .*\n {2}hint: projects: /,
    )
  })

  it('keeps dns_zone, the network ACLs and egress, writes host_access; plans nothing, table included', async () => {
    const zone = `${prefix}.lab.internal`
    const source = loadInfra(`
project_name: ${zoneProject}
global:
  base_subnet: "${base}"
  default_os_image: ${TEST_IMAGE}
  isolation: { egress: false, network_acls: true }
domains:
  ${z}:
    subnet_id: 34
    nat: false
    ephemeral: true
    dns_zone: ${zone}
    profiles:
      hosty:
        devices: { hn: { type: disk, source: /etc/hostname, path: /mnt/hostname, readonly: "true" } }
    machines:
      ${prefix}-z1:
        ip: ${base}.34.10
        profiles: [default, hosty]
        devices: { osr: { type: disk, source: /etc/os-release, path: /mnt/os-release, readonly: "true" } }
        host_access: [disk:/etc/os-release, disk:/etc/hostname]
      ${prefix}-z2: { ip: ${base}.34.11 }
`)
    const planned = await planInfra(client, source, { level: 1, hostIsolation: true })
    const result = await applyInfra(client, planned, { nesting: noNesting })
    expect(result.execution.ok).toBe(true)
    expect(result.nft).toMatchObject({ ok: true })
    expect((await client.networkAcls.list()).map((acl) => acl.name)).toContain(`acl-net-${z}`)

    const imported = await importIncus(client, { projects: [z], level: 1 })
    expect(imported.errors).toEqual([])
    expect(imported.warnings).toEqual([])
    const doc = parse(imported.text)
    expect(doc.project_name).toBe(zoneProject)
    expect(doc.global).toEqual({
      base_subnet: base,
      default_os_image: TEST_IMAGE,
      isolation: { egress: false, network_acls: true },
    })
    expect(doc.domains[z]).toMatchObject({ dns_zone: zone })
    expect(doc.domains[z].machines[`${prefix}-z1`].host_access).toEqual([
      'disk:/etc/os-release',
      'disk:/etc/hostname',
    ])
    expect(doc.domains[z].machines[`${prefix}-z2`]).toEqual({ ip: `${base}.34.11` })

    // The imported file validates (host access granted) and plans nothing on this host.
    const again = loadInfra(imported.text, 'zone.yml')
    const replanned = await planInfra(client, again, { level: 1, hostIsolation: true })
    expect(replanned.plan.actions.filter((x) => x.kind !== 'nft-table')).toEqual([])
    expect(replanned.plan.skipped).toEqual([])
    // The table: the same rules (egress: false included); only other runs' bridges,
    // which come and go on this shared daemon, may differ in the foreign set.
    const { input, state } = await readIsolation(client, again, replanned.observed, { level: 1 })
    expect(input?.live, JSON.stringify(state)).toBeDefined()
    const d = diffRulesets(input?.live, input?.generated ?? { nftables: [] })
    expect([...d.added, ...d.removed].filter((l) => !l.startsWith('element foreign_bridges '))).toEqual([])
    expect(d.reordered).toBe(false)
  })
})
