/**
 * `anklume nft diff` compares the live table with the one `nft apply` would
 * load, foreign_bridges set included: the other anklume infras' bridges are
 * read from Incus on both sides. Bridges labelled as another infra
 * (`<prefix>-other`) are made for the test, without addresses; the table is
 * this run's and is deleted afterwards. Other helpers' bridges come and go
 * on this daemon, so only this run's bridges are asserted on.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deleteTable } from '@anklume/host'
import type { IncusClient } from '@anklume/incus-client'
import { createClient } from '@anklume/incus-client'
import { runPrefix } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/run-cli.test-util.js'

const P = runPrefix()
const TABLE = `anklume_${P}nd`
const OTHER = `${P}-other`
const FX = `${P}fx`
const FY = `${P}fy`
let client: IncusClient
let dir: string
let file: string

/**
 * Incus 6.0 fails bridge creates and deletes now and then with "Failed to
 * delete bridge children interfaces … veth… does not exist" while other
 * runs' veths come and go (even for a bridge without children): retried.
 */
async function churn(call: () => Promise<unknown>): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await call()
      return
    } catch (e) {
      if (i >= 8 || !/children interfaces/.test(String((e as Error).message))) throw e
      await new Promise((r) => setTimeout(r, 600 * i))
    }
  }
}

async function foreign(name: string): Promise<void> {
  await churn(() =>
    client.networks.create({
      name,
      description: 'another anklume infra (nft diff test)',
      config: {
        'ipv4.address': 'none',
        'ipv6.address': 'none',
        'user.anklume.managed': 'true',
        'user.anklume.project': OTHER,
      },
    }),
  )
}

beforeAll(async () => {
  client = createClient()
  dir = await mkdtemp(join(tmpdir(), 'anklume-nft-diff-'))
  file = join(dir, 'infra.yml')
  await writeFile(
    file,
    `project_name: ${P}-nftdiff
global:
  base_subnet: "10.231"
  isolation: { table: ${TABLE} }
domains:
  ${P}nd:
    subnet_id: 1
    nat: false
`,
  )
  await writeFile(join(dir, 'bad.yml'), 'project_name: x\n')
})

afterAll(async () => {
  await deleteTable(TABLE).catch(() => undefined)
  for (const n of [FX, FY]) await churn(() => client.networks.delete(n)).catch(() => undefined)
  await client.close()
  await rm(dir, { recursive: true, force: true })
})

const element = (bridge: string) => `element foreign_bridges { "${bridge}" comment "project ${OTHER}" }`

describe('anklume nft diff', () => {
  it('against a table that is not loaded lists everything as added; a bad file exits 3', async () => {
    const r = await runCli('nft', 'diff', '-f', file)
    expect(r.code, r.err).toBe(0)
    const lines = r.out.split('\n')
    expect(lines[0]).toBe(`table inet ${TABLE} is not loaded: applying would create it`)
    expect(lines).toContain(
      '+ rule forward: iifname @domain_bridges oifname @domain_bridges counter drop comment "between domains without a policy"',
    )
    expect(lines.filter((l) => l.startsWith('- '))).toEqual([])
    expect((await runCli('nft', 'diff', '-f', file, '--detailed-exitcode')).code).toBe(2)
    expect((await runCli('nft', 'diff', '-f', join(dir, 'bad.yml'), '--detailed-exitcode')).code).toBe(3)
  })

  it("compares the foreign_bridges set: the other infras' bridges read from Incus, live vs generated", async () => {
    await foreign(FX)
    const loaded = await runCli('nft', 'apply', '-f', file)
    expect(loaded.code, loaded.err).toBe(0)

    // Just loaded: our foreign bridge is on both sides (before the fix it showed as removed).
    const same = await runCli('nft', 'diff', '-f', file, '--json')
    expect(same.code, same.err).toBe(0)
    const d = (JSON.parse(same.out) as { result: { exists: boolean; added: string[]; removed: string[] } })
      .result
    expect(d.exists).toBe(true)
    expect([...d.added, ...d.removed].filter((l) => l.includes(P))).toEqual([])

    // The other infra's bridge goes, another comes: the diff says so, line by line.
    await churn(() => client.networks.delete(FX))
    await foreign(FY)
    const changed = await runCli('nft', 'diff', '-f', file, '--detailed-exitcode')
    expect(changed.code, changed.err).toBe(2)
    const lines = changed.out.split('\n')
    expect(lines).toContain(`- ${element(FX)}`)
    expect(lines).toContain(`+ ${element(FY)}`)
    expect(lines.filter((l) => l.includes(P))).toEqual([`- ${element(FX)}`, `+ ${element(FY)}`])

    // Reloaded, the set matches again.
    expect((await runCli('nft', 'apply', '-f', file)).code).toBe(0)
    const after = (
      JSON.parse((await runCli('nft', 'diff', '-f', file, '--json')).out) as {
        result: { added: string[]; removed: string[] }
      }
    ).result
    expect([...after.added, ...after.removed].filter((l) => l.includes(P))).toEqual([])
  })

  it('refuses a --remote Incus: the table is this host’s', async () => {
    const r = await runCli('--remote', 'https://incus.example:8443', 'nft', 'diff', '-f', file)
    expect(r.code).toBe(2)
    expect(r.err).toContain('error [ANKLUME_USAGE]: nft diff reads the table of THIS host')
  })
})
