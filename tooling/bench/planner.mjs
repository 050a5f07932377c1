#!/usr/bin/env node
/**
 * Benchmark of @anklume/planner alone (pure, no daemon): desired() + diff()
 * on synthetic infras of N domains × 10 machines against a converged observed
 * state with 1% drift. Each size runs in its own process so peak memory
 * (max RSS) is that size's alone. Needs `pnpm build`.
 *
 *   node tooling/bench/planner.mjs [--json]
 */
import { spawnSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const SIZES = [100, 250, 500, 1000]
const RUNS = 5
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function child(domains) {
  const planner = await import(new URL('../../packages/planner/dist/index.js', import.meta.url).href)
  const testing = await import(new URL('../../packages/planner/dist/testing.js', import.meta.url).href)
  const infra = testing.syntheticInfra(domains, 10)
  const times = []
  let actions = 0
  let observed
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now()
    const desired = planner.desired(infra, { level: 1 })
    observed ??= testing.syntheticObserved(desired, { driftEvery: 100 })
    const plan = planner.diff(desired, observed, { projectName: infra.projectName })
    times.push(performance.now() - t0)
    actions = plan.actions.length
  }
  const cold = performance.now()
  const coldPlan = planner.diff(planner.desired(infra, { level: 1 }), planner.emptyObserved(), {
    projectName: infra.projectName,
  })
  const coldMs = performance.now() - cold
  process.stdout.write(
    JSON.stringify({
      domains,
      machines: domains * 10,
      medianMs: median(times),
      actions,
      coldMs,
      coldActions: coldPlan.actions.length,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      heapMB: process.memoryUsage().heapUsed / 1024 / 1024,
    }),
  )
}

export function runPlannerBench() {
  const rows = []
  for (const n of SIZES) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(n)], {
      encoding: 'utf8',
    })
    if (r.status !== 0) throw new Error(`planner bench child failed: ${r.stderr}`)
    rows.push(JSON.parse(r.stdout))
  }
  return rows
}

export function printPlanner(rows) {
  console.log('\n## planner (pure): desired + diff, N domains × 10 machines, converged + 1% drift')
  console.log(
    '| domains | machines | median ms (5 runs) | ms per 1k machines | drift actions | cold plan ms (actions) | max RSS MB | heap MB |',
  )
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const r of rows) {
    console.log(
      `| ${r.domains} | ${r.machines} | ${r.medianMs.toFixed(0)} | ${((r.medianMs / r.machines) * 1000).toFixed(1)} | ${r.actions} | ${r.coldMs.toFixed(0)} (${r.coldActions}) | ${r.maxRssMB.toFixed(0)} | ${r.heapMB.toFixed(0)} |`,
    )
  }
}

const argv = process.argv.slice(2)
if (argv[0] === '--child') await child(Number(argv[1]))
else if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = runPlannerBench()
  if (argv.includes('--json')) console.log(JSON.stringify(rows, null, 2))
  else printPlanner(rows)
}
