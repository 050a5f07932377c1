/**
 * anklume against a real 3-member Incus cluster (tooling/cluster-rig.sh):
 * apply from empty (two-phase bridges, the cluster's `local` pool found
 * without being declared, instances and volumes on the declared members,
 * static IPs), a converged re-plan, machines of one domain talking across
 * members through the bridge's VXLAN tunnel, isolation by Incus network
 * ACLs with real packets, a move, a stopped member (plan and status clean,
 * apply leaves it alone, converges once it is back), and flush.
 *
 * The tests run in order and share the cluster; everything they create
 * carries the run prefix and goes at the end.
 */
import { readFileSync } from 'node:fs'
import { createClient, type IncusClient } from '@anklume/incus-client'
import { freeBaseSubnet, loadInfra, runPrefix, TEST_IMAGE } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  applyInfra,
  evaluateDoctor,
  flush,
  gatherDoctorFacts,
  infraStatus,
  lockTarget,
  planInfra,
} from '../../src/index.js'
import { noNesting } from '../helpers.js'
import { memberPower, openRig, type Rig, waitMembers } from './rig.js'

const P = runPrefix()
const A = `${P}a` // spans m1 and m2 (tunnel), one machine on m3
const B = `${P}b` // pinned to m3
let rig: Rig
let client: IncusClient
let base: string

/** The infra file; `a2` and `a1` placements vary between tests. */
function yaml(place: { a1: string; a2: string }): string {
  return `project_name: ${P}-cluster
global:
  base_subnet: "${base}"
  default_os_image: ${TEST_IMAGE}
domains:
  ${A}:
    subnet_id: 1
    nat: false
    ephemeral: true
    machines:
      ${P}a1:
        ip: ${base}.1.11
        placement: ${place.a1}
        storage_volumes: { ${P}data: { path: /data } }
      ${P}a2: { ip: ${base}.1.12, placement: ${place.a2} }
      ${P}a3: { ip: ${base}.1.13, placement: m3 }
  ${B}:
    subnet_id: 2
    nat: false
    ephemeral: true
    placement: m3
    machines:
      ${P}b1: { ip: ${base}.2.11 }
network_policies:
  - description: A reaches the web server of b1
    from: ${A}
    to: ${P}b1
    ports: [8080]
`
}

const infraAt = (place: { a1: string; a2: string }) => loadInfra(yaml(place), 'cluster.yml')
const HOME = { a1: 'm1', a2: 'm2' }

async function plan(place = HOME) {
  return planInfra(client, infraAt(place), { level: 1 })
}

async function apply(place = HOME) {
  const planned = await plan(place)
  const result = await applyInfra(client, planned, { nesting: noNesting, hostOverlapGuard: false })
  const failed = result.execution.results
    .filter((r) => r.status !== 'done')
    .map((r) => `${r.id}: ${r.status} ${r.error instanceof Error ? r.error.message : String(r.error ?? '')}`)
  expect(failed, 'every action done').toEqual([])
  return planned
}

const sh = (project: string, instance: string, script: string) =>
  client.exec(instance, ['/bin/sh', '-c', script], { project })

async function waitIp(project: string, instance: string, ip: string) {
  let last = ''
  for (let i = 0; i < 80; i++) {
    last = (await sh(project, instance, 'ip -4 addr show eth0')).stdout
    if (last.includes(`inet ${ip}/`)) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${instance} never got ${ip}; last: ${last}`)
}

/** An HTTP answer through busybox nc: the first line, or '' when nothing came back. */
async function http(project: string, from: string, ip: string, port: number): Promise<string> {
  const r = await sh(project, from, `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} ${port} | head -1`)
  return r.stdout.trim()
}

const ping = async (project: string, from: string, ip: string) =>
  (await sh(project, from, `ping -c 2 -W 2 ${ip} >/dev/null 2>&1 && echo ok || echo lost`)).stdout.trim()

async function locations(): Promise<Record<string, string>> {
  const all = await client.instances.list({ allProjects: true })
  return Object.fromEntries(all.filter((i) => i.name.startsWith(P)).map((i) => [i.name, i.location]))
}

beforeAll(async () => {
  ;({ rig, client } = await openRig())
  base = await freeBaseSubnet()
})

afterAll(async () => {
  if (!client) return
  // Whatever happened: the stopped member back, and everything of this run gone.
  await memberPower(rig, 'm3', 'start').catch(() => undefined)
  await waitMembers(client, { m1: true, m2: true, m3: true }).catch(() => undefined)
  await flush(client, {
    scope: { projectName: `${P}-cluster` },
    force: true,
    nft: false,
    hostInterfaces: false,
    lockPath: `anklume-cluster-test-${P}`,
  }).catch(() => undefined)
  await client.close()
})

describe.sequential('an Incus cluster of 3 members', () => {
  it('applies from empty: bridges in two phases, the discovered pool, declared members, static IPs', async () => {
    const first = await plan()
    expect(first.observed.cluster?.members.map((m) => m.name).sort()).toEqual(['m1', 'm2', 'm3'])
    // The file declares no pool; the cluster's is `local`.
    expect(first.infra.global.storagePool).toBe(rig.pool)
    // Under a cluster the isolation is Incus network ACLs.
    expect(
      first.plan.actions
        .filter((a) => a.kind === 'acl')
        .map((a) => a.name)
        .sort(),
    ).toEqual([`acl-net-${A}`, `acl-net-${B}`])
    // A declared flow whose ends run on different members cannot be routed there: said so.
    expect(first.plan.warnings.join('\n')).toMatch(/network policy .* different cluster members/)
    await apply()
    expect(await locations()).toMatchObject({
      [`${P}a1`]: 'm1',
      [`${P}a2`]: 'm2',
      [`${P}a3`]: 'm3',
      [`${P}b1`]: 'm3',
    })
    const net = await client.networks.get(`net-${A}`)
    expect(net.status).toBe('Created')
    expect(net.config['tunnel.t.protocol']).toBe('vxlan')
    // B runs on one member: no tunnel.
    expect((await client.networks.get(`net-${B}`)).config['tunnel.t.protocol']).toBeUndefined()
    const vols = await client.storage.volumes.list(rig.pool, { project: A })
    expect(vols.find((v) => v.name === `${P}data`)?.location).toBe('m1')
    await Promise.all([
      waitIp(A, `${P}a1`, `${base}.1.11`),
      waitIp(A, `${P}a2`, `${base}.1.12`),
      waitIp(A, `${P}a3`, `${base}.1.13`),
      waitIp(B, `${P}b1`, `${base}.2.11`),
    ])
  })

  it('plans zero changes on the converged cluster', async () => {
    const again = await plan()
    expect(again.plan.actions.map((a) => a.id)).toEqual([])
  })

  it('machines of one domain reach each other across members (VXLAN tunnel of the bridge)', async () => {
    expect(await ping(A, `${P}a1`, `${base}.1.12`)).toBe('ok') // m1 -> m2
    expect(await ping(A, `${P}a2`, `${base}.1.13`)).toBe('ok') // m2 -> m3
  })

  it('isolates the domains with network ACLs: a declared flow passes, undeclared ones do not', async () => {
    await sh(
      B,
      `${P}b1`,
      'mkdir -p /www && echo ok > /www/index.html && httpd -p 8080 -h /www && httpd -p 9090 -h /www',
    )
    // Within one member (m3): the declared flow passes, an undeclared port and the reverse direction do not.
    expect(await http(A, `${P}a3`, `${base}.2.11`, 8080)).toMatch(/^HTTP\/1\.[01] 200/)
    expect(await http(A, `${P}a3`, `${base}.2.11`, 9090)).toBe('')
    expect(await ping(B, `${P}b1`, `${base}.1.13`)).toBe('lost')
    // Across members (m1 -> m3): an undeclared flow does not pass either.
    expect(await http(A, `${P}a1`, `${base}.2.11`, 9090)).toBe('')
    expect(await ping(B, `${P}b1`, `${base}.1.11`)).toBe('lost')
  })

  it('doctor reports the members, their state and pools, and marks the checks about this machine', async () => {
    const facts = await gatherDoctorFacts(client, {
      remote: rig.url,
      infra: { infra: infraAt(HOME), level: 1, source: 'cluster.yml' },
    })
    const findings = evaluateDoctor(facts)
    const byCheck = new Map(findings.map((f) => [f.check, f]))
    expect(byCheck.get('cluster')).toMatchObject({ status: 'ok' })
    expect(byCheck.get('cluster')?.message).toMatch(/cluster of 3 members, 3 online/)
    for (const m of ['m1', 'm2', 'm3']) {
      expect(byCheck.get(`member ${m}`)).toMatchObject({ status: 'ok' })
      expect(byCheck.get(`member ${m}`)?.message).toMatch(new RegExp(`^Online.*pools: ${rig.pool}`))
    }
    expect(byCheck.get('storage-pool')).toMatchObject({
      status: 'ok',
      message: `storage pool "${rig.pool}" present`,
    })
    for (const c of ['subuid', 'subgid', 'nft', 'subnet-overlap'])
      expect(byCheck.get(c)?.scope).toBe('this machine')
    expect(byCheck.get('drift')).toMatchObject({ status: 'ok' })
  })

  it('locks per cluster: every member address maps to the same apply lock', async () => {
    const other = createClient({
      remote: {
        url: rig.url.replace(/\.11:/, '.12:'),
        cert: readFileSync(rig.cert),
        key: readFileSync(rig.key),
        serverCert: readFileSync(rig.serverCert),
      },
    })
    try {
      expect(other.target).not.toBe(client.target)
      const key = await lockTarget(client)
      expect(key).toMatch(/^incus-cluster:[0-9a-f]{64}$/)
      expect(await lockTarget(other)).toBe(key)
    } finally {
      await other.close()
    }
  })

  it('moves a machine whose placement changed, with its volume and its static IP', async () => {
    await sh(A, `${P}a1`, 'echo kept > /data/mark')
    const moved = { a1: 'm2', a2: 'm2' }
    const planned = await plan(moved)
    const ops = planned.plan.actions.map((a) => `${a.op} ${a.name}`)
    expect(ops).toContain(`move ${P}a1`)
    expect(ops.filter((o) => o.startsWith('delete') || o.startsWith('create'))).toEqual([])
    expect(planned.plan.summary.move).toBe(1)
    await apply(moved)
    expect((await locations())[`${P}a1`]).toBe('m2')
    const vols = await client.storage.volumes.list(rig.pool, { project: A })
    expect(vols.filter((v) => v.name === `${P}data`).map((v) => v.location)).toEqual(['m2'])
    await waitIp(A, `${P}a1`, `${base}.1.11`)
    expect((await sh(A, `${P}a1`, 'cat /data/mark')).stdout.trim()).toBe('kept')
    expect(await ping(A, `${P}a1`, `${base}.1.12`)).toBe('ok')
    expect((await plan(moved)).plan.actions.map((a) => a.id)).toEqual([])
  })

  it('with a member stopped: plan and status read it as offline, apply leaves it alone', async () => {
    const moved = { a1: 'm2', a2: 'm2' }
    await memberPower(rig, 'm3', 'stop')
    await waitMembers(client, { m1: true, m2: true, m3: false })
    const planned = await plan(moved)
    expect(planned.plan.actions.filter((a) => a.kind === 'instance')).toEqual([])
    const skipped = planned.plan.skipped.map((s) => `${s.name}: ${s.reason}`)
    expect(skipped).toEqual(
      expect.arrayContaining([
        `${P}a3: cluster member m3 is offline: instance not read, left alone`,
        `${P}b1: cluster member m3 is offline: instance not read, left alone`,
      ]),
    )
    expect(planned.plan.warnings[0]).toMatch(/^cluster member offline: m3 .*2 instances left alone/)
    const rows = await infraStatus(client, infraAt(moved), { level: 1 })
    const b1 = rows.flatMap((d) => d.instances).find((i) => i.instance === `${P}b1`)
    expect(b1).toMatchObject({ state: 'offline', offline: true, location: 'm3' })
    const result = await applyInfra(client, planned, { nesting: noNesting, hostOverlapGuard: false })
    expect(result.execution.results.filter((r) => r.action.kind === 'instance')).toEqual([])
    expect(result.execution.ok).toBe(true)
  })

  it('converges once the member is back', async () => {
    const moved = { a1: 'm2', a2: 'm2' }
    await memberPower(rig, 'm3', 'start')
    await waitMembers(client, { m1: true, m2: true, m3: true })
    await apply(moved)
    expect((await plan(moved)).plan.actions.map((a) => a.id)).toEqual([])
    await waitIp(B, `${P}b1`, `${base}.2.11`)
  })

  it('flush removes everything of the infra from every member', async () => {
    const report = await flush(client, {
      scope: { projectName: `${P}-cluster` },
      force: true,
      nft: false,
      hostInterfaces: false,
      lockPath: `anklume-cluster-test-${P}`,
    })
    expect(report.items.filter((i) => i.status === 'failed')).toEqual([])
    expect(Object.keys(await locations())).toEqual([])
    const nets = (await client.networks.list()).map((n) => n.name)
    expect(nets.filter((n) => n.includes(P))).toEqual([])
    const acls = (await client.networkAcls.list()).map((a) => a.name)
    expect(acls.filter((n) => n.includes(P))).toEqual([])
  })
})
