#!/usr/bin/env node
/**
 * `pnpm fuzz [--seed N] [--runs N] [--budget MS] [--out DIR] [--only I]`: mutates the
 * corpus files and checks every mutant (see fuzz.mjs, check.mjs). Prints the
 * seed first (`--seed N` replays the same mutants), one summary line, and
 * each defect; with `--out`, writes each defect's mutant (.yml) and report
 * (.txt) there; `--only I` checks mutant I of the seed alone. Exit 1 when a defect was found. Needs `pnpm build` (`pnpm
 * fuzz` builds first) and root (nft -c).
 */
import { randomInt } from 'node:crypto'
import { parseArgs } from 'node:util'
import { runFuzz, saveDefects } from './fuzz.mjs'

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    runs: { type: 'string', default: '1000' },
    budget: { type: 'string', default: '30000' },
    out: { type: 'string' },
    only: { type: 'string' },
  },
})
const num = (name, v) => {
  const n = Number(v)
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got ${JSON.stringify(v)}`)
    process.exit(2)
  }
  return n
}
const seed = values.seed === undefined ? randomInt(2 ** 31) : num('seed', values.seed)
const runs = num('runs', values.runs)
const budgetMs = num('budget', values.budget)
const only = values.only === undefined ? undefined : num('only', values.only)
console.log(`fuzz: seed ${seed} (--seed ${seed} replays it), ${runs} mutants, ${budgetMs} ms budget each`)
let last = 0
const r = await runFuzz({
  seed,
  budgetMs,
  only,
  runs: only === undefined ? runs : Math.max(runs, only + 1),
  onProgress: (c) => {
    if (process.stdout.isTTY && c.runs - last >= 100) {
      last = c.runs
      process.stdout.write(`\r${c.runs}/${runs} mutants, ${c.valid} valid`)
    }
  },
})
if (process.stdout.isTTY) process.stdout.write('\r\x1b[K')
console.log(
  `fuzz: seed ${seed}: ${r.runs} mutants (${r.valid} valid, ${r.invalid} invalid), ${r.nftTables} tables in ${r.nftBatches} nft -c batches, ` +
    `slowest ${r.slowestMs} ms: ${r.slowest}, ${r.hangs} hangs, ${r.defects.length} defects, ${r.seconds} s`,
)
for (const d of r.defects) {
  console.log(`\ndefect: seed ${d.seed} mutant ${d.index} of ${d.source}`)
  for (const m of d.mutations) console.log(`  mutation: ${m}`)
  for (const p of d.problems) console.log(`  ${JSON.stringify(p).slice(1, -1)}`)
}
if (values.out && r.defects.length > 0) {
  saveDefects(r.defects, values.out)
  console.log(`\nmutants and reports written to ${values.out}`)
}
process.exitCode = r.defects.length > 0 ? 1 : 0
