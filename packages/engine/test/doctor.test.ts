/**
 * `anklume doctor` on this host: the facts are read from the real daemon
 * and host (socket, version, extensions, pool, id maps, nft, firewall
 * driver); an infra whose subnet overlaps a host route (another bridge) is
 * an error (exit 1) and a never-applied infra shows as drift, while a
 * converged one (its isolation table loaded) shows neither. Also through the CLI.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deleteTable } from '@anklume/host'
import { createClient, resolveSocketPath } from '@anklume/incus-client'
import { loadInfra, runPrefix, type TestInfraDriver, testInfraYaml, useTestInfra } from '@anklume/test-utils'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../apps/cli/src/run-cli.test-util.js'
import {
  ANKLUME_EXTENSIONS,
  applyInfra,
  doctorFailed,
  evaluateDoctor,
  type Finding,
  gatherDoctorFacts,
  planInfra,
} from '../src/index.js'
import { engineDriver, newClient, noNesting } from './helpers.js'

const P = runPrefix()
const tmp = mkdtempSync(join(tmpdir(), 'anklume-doctor-'))
const client = newClient()

/** Domain `dom` on subnet .1 of the base subnet. */
const domainYaml = (dom: string) => `  ${dom}:
    subnet_id: 1
    nat: false
    ephemeral: true
    machines: {}
`
const K = `${P}k` // applied: its bridge is a host route
const M = `${P}m` // never applied: same subnet as K, so it overlaps K's route

/** Its own isolation table (other test files load the run's default one). */
const TABLE = `anklume_${P}_doctor`
/** Applied with its isolation table, as `anklume apply` does on this host; the table goes with the prune. */
const withTable: TestInfraDriver = {
  apply: async (t) => {
    const planned = await planInfra(client, t.infra, { level: 1, hostIsolation: true })
    const result = await applyInfra(client, planned, { nesting: noNesting })
    if (!result.execution.ok || !result.nft?.ok) throw new Error(`apply of ${t.project} failed`)
  },
  prune: async (t) => {
    await engineDriver.prune(t)
    await deleteTable(TABLE)
  },
}
const k = useTestInfra(withTable, { name: `doctor-${K}`, domains: () => domainYaml(K), table: TABLE })
/** Domain `dom` alone, on K's base subnet (project_name per domain). */
const yaml = (dom: string) =>
  testInfraYaml({
    project: `${P}-doctor-${dom}`,
    base: k.current.base,
    domains: domainYaml(dom),
    table: TABLE,
  })

const run = runCli

const byCheck = (findings: Finding[], check: string) => findings.filter((f) => f.check === check)

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true })
  await client.close()
})

describe('anklume doctor', () => {
  it('reads the real host: socket, Incus version and extensions, pool, id maps, nft, firewall driver', async () => {
    const facts = await gatherDoctorFacts(client, { socketPath: resolveSocketPath() })
    expect(facts.socket).toEqual({ path: resolveSocketPath(), exists: true, accessible: true })
    expect(facts.incus.ok).toBe(true)
    const server = await client.server()
    if (!facts.incus.ok) throw new Error('unreachable')
    expect(facts.incus.value.version).toBe(server.environment?.server_version)
    expect(facts.incus.value.storagePools).toContain('default')
    const findings = evaluateDoctor(facts)
    const status = (check: string) => byCheck(findings, check).map((f) => f.status)
    expect(status('incus-socket')).toEqual(['ok'])
    expect(status('storage-pool')).toEqual(['ok'])
    expect(status('nft')).toEqual(['ok'])
    const ext = byCheck(findings, 'api-extensions')[0]
    const missing = ANKLUME_EXTENSIONS.filter((x) => !server.api_extensions.includes(x.name))
    expect(ext?.status).toBe(missing.length === 0 ? 'ok' : 'warn')
    expect(status('firewall-driver')).toEqual([server.environment?.firewall === 'nftables' ? 'ok' : 'error'])
    const subuid = readFileSync('/etc/subuid', 'utf8').includes('root:') ? 'ok' : 'warn'
    expect(status('subuid')).toEqual([subuid])
    expect(status('infra')).toEqual(['ok'])
  })

  it('a converged infra: no overlap (its own bridge is not a conflict), no drift', async () => {
    const facts = await gatherDoctorFacts(client, {
      infra: { infra: loadInfra(yaml(K)), level: 1, source: 'k.yml' },
    })
    const findings = evaluateDoctor(facts)
    expect(byCheck(findings, 'subnet-overlap').map((f) => f.status)).toEqual(['ok'])
    expect(byCheck(findings, 'drift')).toEqual([
      expect.objectContaining({ status: 'ok', message: expect.stringMatching(/^No changes/) }),
    ])
    expect(byCheck(findings, 'isolation')).toEqual([
      expect.objectContaining({
        status: 'ok',
        message: `isolation table inet ${TABLE} loaded, as the infra file generates it`,
      }),
    ])
  })

  it('an overlapping subnet is an error; an unapplied infra is drift', async () => {
    const infra = loadInfra(yaml(M))
    const facts = await gatherDoctorFacts(client, { infra: { infra, level: 1, source: 'm.yml' } })
    const findings = evaluateDoctor(facts)
    const overlap = byCheck(findings, 'subnet-overlap')
    expect(overlap).toEqual([
      expect.objectContaining({
        status: 'error',
        message: expect.stringContaining(`bridge net-${M} (${k.current.base}.1.0/24) overlaps`),
      }),
    ])
    const drift = byCheck(findings, 'drift')[0]
    expect(drift?.status).toBe('warn')
    expect(drift?.message).toMatch(/to create/)
    expect(doctorFailed(findings)).toBe(true)
  })

  it('CLI: --json findings and exit 1 on the overlap', async () => {
    const file = join(tmp, 'infra.yml')
    writeFileSync(file, yaml(M))
    const r = await run('doctor', '--json', '-f', file)
    expect(r.code).toBe(1)
    const envelope = JSON.parse(r.out) as { ok: boolean; command: string; result: { findings: Finding[] } }
    expect([envelope.ok, envelope.command]).toEqual([false, 'doctor'])
    const json = envelope.result
    expect(byCheck(json.findings, 'subnet-overlap')[0]?.status).toBe('error')
    for (const f of json.findings) expect(['ok', 'warn', 'error']).toContain(f.status)

    const text = await run('doctor', '-f', file)
    expect(text.code).toBe(1)
    expect(text.out).toMatch(/^ERROR\s+subnet-overlap\s+bridge net-/m)
    expect(text.out).toMatch(/\d+ error\(s\), \d+ warning\(s\), \d+ ok/)
  })

  it('a socket that does not exist: two errors with hints, the host checks still run', async () => {
    const path = join(tmp, 'nope.sock')
    const down = createClient({ socketPath: path })
    try {
      const findings = evaluateDoctor(await gatherDoctorFacts(down, { socketPath: path }))
      expect(findings.filter((f) => f.status === 'error').map((f) => f.check)).toEqual([
        'incus-socket',
        'incus-api',
      ])
      expect(findings[1]?.message).toContain(path)
      expect(findings.every((f) => f.status === 'ok' || f.hint)).toBe(true)
      expect(byCheck(findings, 'nft').map((f) => f.status)).toEqual(['ok'])
      expect(doctorFailed(findings)).toBe(true)
    } finally {
      await down.close()
    }
  })
})
