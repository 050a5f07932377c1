#!/usr/bin/env node
/**
 * `pnpm bench`: every benchmark, one after the other, printing Markdown
 * tables (copy them into docs/benchmarks.md with the machine they ran on).
 * Needs the packages built (`pnpm build`, which `pnpm bench` runs first) and,
 * for the apply benchmark, a running incusd (tooling/incus-sandbox.sh); for
 * the cluster benchmark, the cluster rig (tooling/cluster-rig.sh up).
 * Whole-process numbers (startup.mjs, apply.mjs) read CPU time and peak RSS
 * with python3's os.wait4 when python3 is there.
 *
 *   pnpm bench [-- --large] [-- --sweep]   # 200 containers / the --concurrency sweep
 */
import { spawnSync } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'

const here = (f) => fileURLToPath(new URL(f, import.meta.url))
const incus = spawnSync('incus', ['version'], { encoding: 'utf8' }).stdout?.match(
  /Server version: (\S+)/,
)?.[1]
console.log(`# anklume benchmarks — ${new Date().toISOString().slice(0, 10)}`)
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, Incus ${incus ?? 'absent'}`,
)
let failed = false
// Extra arguments go to apply.mjs (e.g. `pnpm bench --large --sweep`).
const extra = process.argv.slice(2)
for (const script of [
  'startup.mjs',
  'nftables.mjs',
  'planner.mjs',
  'aliases.mjs',
  'apply.mjs',
  'cluster.mjs',
]) {
  const r = spawnSync(process.execPath, [here(script), ...(script === 'apply.mjs' ? extra : [])], {
    stdio: 'inherit',
  })
  if (r.status !== 0) {
    console.error(`\n${script} failed (exit ${r.status})`)
    failed = true
  }
}
process.exitCode = failed ? 1 : 0
