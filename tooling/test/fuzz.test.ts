/**
 * A short fuzz campaign in CI (issue 13): 300 mutants of the corpus with a
 * fixed seed, then 60 with a random seed printed here (replay it with
 * `pnpm fuzz --seed N --runs 60`). Every mutant: validate never throws a raw
 * error, never hangs, gives the same verdict twice, locates its issues and
 * escapes control characters; every valid one plans offline, keeps every
 * declared key, and its table passes `nft -c` (root). A long campaign:
 * docs/fuzz.md.
 */
import { randomInt } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runFuzz } from '../fuzz/fuzz.mjs'

interface Defect {
  seed: number
  index: number
  source: string
  mutations: string[]
  problems: string[]
}
interface Report {
  runs: number
  valid: number
  invalid: number
  nftTables: number
  hangs: number
  seconds: number
  defects: Defect[]
}

const shown = (d: Defect) =>
  `seed ${d.seed} mutant ${d.index} of ${d.source} (${d.mutations.join('; ')}): ${d.problems.join(' | ')}`

async function campaign(seed: number, runs: number): Promise<Report> {
  const r = (await runFuzz({ seed, runs })) as Report
  console.log(
    `fuzz: seed ${seed} (pnpm fuzz --seed ${seed} --runs ${runs} replays it): ${r.runs} mutants, ` +
      `${r.valid} valid (${r.nftTables} tables through nft -c), ${r.invalid} invalid, ${r.hangs} hangs, ` +
      `${r.defects.length} defects, ${r.seconds} s`,
  )
  return r
}

describe('fuzz: mutants of the corpus', () => {
  it('300 mutants of a fixed seed: no defect', async () => {
    const r = await campaign(13, 300)
    expect(r.runs).toBe(300)
    // The mutations keep a fair share valid, so plan and nft -c are exercised too.
    expect(r.valid).toBeGreaterThan(20)
    expect(r.defects.map(shown)).toEqual([])
  }, 600_000)

  it('60 mutants of a random seed (printed): no defect', async () => {
    const r = await campaign(randomInt(2 ** 31), 60)
    expect(r.runs).toBe(60)
    expect(r.defects.map(shown)).toEqual([])
  }, 600_000)
})
