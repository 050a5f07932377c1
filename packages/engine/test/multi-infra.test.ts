/**
 * Two infras on one host, with real packets: A (2 domains) and B (2 domains),
 * each with its default table (`anklume_<project_name>`), through the
 * engine's planInfra/applyInfra and flush. After each step (A applied; B
 * applied; A re-applied; B flushed) every inner pair behaves as its infra's
 * policies say and every cross pair (A <-> B) is blocked while both exist.
 * Before B's table is loaded the cross pairs are open (routing works, A's
 * table alone does not know B): the blocks are B's table. Busybox
 * containers, no NAT, traffic only between this run's containers. Other
 * runs' anklume bridges on this host are foreign too (so no "unchanged"
 * reload is asserted: their bridges come and go).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deleteTable, listRuleset, listTable } from '@anklume/host'
import type { IncusClient } from '@anklume/incus-client'
import { liveIsolationTables } from '@anklume/nftables'
import { defaultIsolationTable, type Infra } from '@anklume/schema'
import { emptyInfraYaml, freeBaseSubnet, loadInfra, runPrefix, TEST_IMAGE } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApplyResult, applyInfra, flush, planInfra } from '../src/index.js'
import { execIn, newClient, noNesting, waitForIp } from './helpers.js'

const P = runPrefix()
const PA = `${P}-multi-a`
const PB = `${P}-multi-b`
const TA = defaultIsolationTable(PA)
const TB = defaultIsolationTable(PB)
const PORT = 7001
const tmp = mkdtempSync(join(tmpdir(), 'anklume-multi-'))
const lockPath = `anklume-test-${P}-multi`
let client: IncusClient
let infraA: Infra
let infraB: Infra
/** machine -> [domain (= Incus project), ip] */
const machines: Record<string, [string, string]> = {}

function infraYaml(project: string, base: string, side: 'a' | 'b', policy: string): string {
  const dom = (n: number) => `${P}${side}${n}`
  const m = (n: number) => `${P}-${side}${n}m`
  machines[m(1)] = [dom(1), `${base}.1.10`]
  machines[m(2)] = [dom(2), `${base}.2.10`]
  return `
project_name: ${project}
global:
  base_subnet: "${base}"
  default_os_image: ${TEST_IMAGE}
domains:
  ${dom(1)}:
    subnet_id: 1
    nat: false
    ephemeral: true
    machines:
      ${m(1)}: { ip: "${base}.1.10" }
  ${dom(2)}:
    subnet_id: 2
    nat: false
    ephemeral: true
    machines:
      ${m(2)}: { ip: "${base}.2.10" }
network_policies:
  - ${policy}
`
}

const a1 = `${P}-a1m`
const a2 = `${P}-a2m`
const b1 = `${P}-b1m`
const b2 = `${P}-b2m`

async function applyWithTable(infra: Infra, nft = true): Promise<ApplyResult> {
  const planned = await planInfra(client, infra, { level: 1, hostIsolation: nft })
  const result = await applyInfra(client, planned, { nesting: noNesting })
  expect(result.execution.ok).toBe(true)
  if (nft) expect(result.nft).toMatchObject({ ok: true })
  return result
}

/** Starts busybox httpd on PORT in each machine (idempotent: a second one fails to bind, harmless). */
async function serve(names: string[]) {
  for (const n of names) {
    const [project, ip] = machines[n] as [string, string]
    await waitForIp(client, project, n, ip)
    await execIn(client, project, n, `pgrep httpd >/dev/null || httpd -p ${PORT} -h /tmp`)
  }
}

/** Every probe at once: `from -> to` is true when a TCP connection to PORT succeeds. */
async function probe(pairs: Array<[string, string]>): Promise<Record<string, boolean>> {
  const results = await Promise.all(
    pairs.map(async ([from, to]) => {
      const [project] = machines[from] as [string, string]
      const ip = (machines[to] as [string, string])[1]
      const r = await execIn(
        client,
        project,
        from,
        `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} ${PORT}`,
      )
      return r.exitCode === 0
    }),
  )
  return Object.fromEntries(pairs.map(([f, t], i) => [`${f} -> ${t}`, results[i] as boolean]))
}

/** One ICMP echo from `from` to `to` gets an answer within 2 s. */
async function pings(from: string, to: string): Promise<boolean> {
  const [project] = machines[from] as [string, string]
  const ip = (machines[to] as [string, string])[1]
  return (await execIn(client, project, from, `ping -c 1 -W 2 ${ip}`)).exitCode === 0
}

const innerA = { [`${a1} -> ${a2}`]: true, [`${a2} -> ${a1}`]: false } // a1 -> a2 one-way
const innerB = { [`${b1} -> ${b2}`]: false, [`${b2} -> ${b1}`]: true } // b2 -> b1 one-way
const inner = (side: 'a' | 'b'): Array<[string, string]> =>
  side === 'a'
    ? [
        [a1, a2],
        [a2, a1],
      ]
    : [
        [b1, b2],
        [b2, b1],
      ]
const cross: Array<[string, string]> = [a1, a2].flatMap((x) =>
  [b1, b2].flatMap(
    (y): Array<[string, string]> => [
      [x, y],
      [y, x],
    ],
  ),
)
const crossAll = (open: boolean) => Object.fromEntries(cross.map(([f, t]) => [`${f} -> ${t}`, open]))

beforeAll(async () => {
  client = newClient()
  const baseA = await freeBaseSubnet()
  let baseB = await freeBaseSubnet()
  while (baseB === baseA) baseB = await freeBaseSubnet()
  infraA = loadInfra(infraYaml(PA, baseA, 'a', `{ from: ${P}a1, to: ${P}a2, ports: [${PORT}] }`))
  infraB = loadInfra(infraYaml(PB, baseB, 'b', `{ from: ${P}b2, to: ${P}b1, ports: [${PORT}] }`))
  writeFileSync(join(tmp, 'absolute_level'), '1\n') // a nested host: flush needs no --force
}, 60_000)

afterAll(async () => {
  // Whatever a failed step left: both infras' objects and tables.
  const empty = (p: string) => loadInfra(emptyInfraYaml(p))
  for (const p of [PA, PB]) {
    const e = empty(p)
    const planned = await planInfra(client, e, { level: 1, prune: true, force: true }).catch(() => undefined)
    if (planned) await applyInfra(client, planned, { nesting: noNesting }).catch(() => {})
  }
  for (const t of [TA, TB]) await deleteTable(t).catch(() => false)
  await client.close()
  rmSync(tmp, { recursive: true, force: true })
}, 240_000)

describe('two infras on one host, isolated from each other (real packets)', () => {
  it('A applied: its own table, its inner pairs per its policy', async () => {
    expect(TA).not.toBe(TB)
    const r = await applyWithTable(infraA)
    expect(r.nft).toMatchObject({ ok: true, result: { table: TA } })
    await serve([a1, a2])
    expect(await probe(inner('a'))).toEqual(innerA)
  }, 240_000)

  it('B applied: before its table the infras reach each other; with it every cross pair is dropped', async () => {
    await applyWithTable(infraB, false)
    await serve([b1, b2])
    // A's table knows nothing of B: open both ways (this is what B's table must close).
    expect(await probe(cross)).toEqual(crossAll(true))
    expect([await pings(a1, b1), await pings(b2, a2)]).toEqual([true, true])

    const r = await applyWithTable(infraB)
    expect(r.nft).toMatchObject({ ok: true, result: { table: TB, unchanged: false } })
    const warned = r.nft?.ok ? r.nft.result.warnings.find((w) => w.code === 'OTHER_INFRA_TABLES') : undefined
    expect(warned?.message).toContain(`inet ${TA} (project ${PA})`)
    expect(await probe([...inner('a'), ...inner('b'), ...cross])).toEqual({
      ...innerA,
      ...innerB,
      ...crossAll(false),
    })
    expect([await pings(a1, b1), await pings(b2, a2)]).toEqual([false, false])
  }, 240_000)

  it('A re-applied: its table now lists B as foreign, neither infra is weakened, cross pairs stay dropped', async () => {
    const r = await applyWithTable(infraA)
    expect(r.nft).toMatchObject({ ok: true, result: { table: TA, unchanged: false } })
    const tables = liveIsolationTables(await listRuleset())
    const mine = tables.find((t) => t.name === TA)
    // (Other runs' anklume bridges on this host are foreign too.)
    expect(mine?.foreign).toEqual(expect.arrayContaining([`net-${P}b1`, `net-${P}b2`]))
    expect(mine?.foreign).not.toContain(`net-${P}a1`)
    expect(tables.find((t) => t.name === TB)?.foreign).toEqual(
      expect.arrayContaining([`net-${P}a1`, `net-${P}a2`]),
    )
    expect(await probe([...inner('a'), ...inner('b'), ...cross])).toEqual({
      ...innerA,
      ...innerB,
      ...crossAll(false),
    })
  }, 240_000)

  it("B flushed: only B's table goes (A's is kept even when named), A keeps its isolation", async () => {
    const base = { scope: { projectName: PB }, contextDir: tmp, lockPath, force: true }
    const dry = await flush(client, { ...base, dryRun: true, nftTable: TA })
    expect(dry.items.find((i) => i.kind === 'nft-table')).toEqual({
      kind: 'nft-table',
      name: `inet ${TA}`,
      status: 'kept',
      reason: `kept: it isolates the domains of project ${PA}, another infra`,
    })
    const report = await flush(client, { ...base, nftTable: TB })
    expect(report.ok).toBe(true)
    expect(report.items.find((i) => i.kind === 'nft-table')).toMatchObject({
      name: `inet ${TB}`,
      status: 'deleted',
    })
    expect(await listTable(TB)).toBeUndefined()
    expect(await listTable(TA)).toBeDefined()
    expect(await probe(inner('a'))).toEqual(innerA)
  }, 240_000)
})
