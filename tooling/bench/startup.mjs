#!/usr/bin/env node
/**
 * Start-up of the `anklume` command measured from outside the process
 * (whole-process wall time, CPU and peak RSS), next to a bare `node -e 0`:
 * what a user timing `anklume --version` from the shell sees. No daemon needed.
 *
 *   node tooling/bench/startup.mjs [--rounds 15]
 */
import { fileURLToPath } from 'node:url'
import { hasRusage, interleave, median, spread, timeProcess } from './wall.mjs'

const argv = process.argv.slice(2)
const ROUNDS = Number(argv[argv.indexOf('--rounds') + 1]) || 15
const bin = fileURLToPath(new URL('../../apps/cli/dist/bin.js', import.meta.url))
const quickstart = fileURLToPath(new URL('../../examples/quickstart.yml', import.meta.url))
const node = process.execPath

export function runStartupBench(rounds = ROUNDS) {
  const cases = {
    'node -e 0': () => timeProcess(node, ['-e', '0']),
    'anklume --version': () => timeProcess(node, [bin, '--version']),
    'anklume --help': () => timeProcess(node, [bin, '--help']),
    'anklume apply --help': () => timeProcess(node, [bin, 'apply', '--help']),
    'anklume validate (quickstart)': () => timeProcess(node, [bin, 'validate', '-f', quickstart]),
    'anklume plan --offline (quickstart)': () =>
      timeProcess(node, [bin, 'plan', '--offline', '-f', quickstart], { allowFail: true }),
  }
  timeProcess(node, [bin, '--version']) // warm the page cache
  return interleave(cases, rounds)
}

export function printStartup(res) {
  const base = median(res['node -e 0'].map((r) => r.ms))
  console.log(`\n## CLI start-up, whole process (${res['node -e 0'].length} interleaved rounds)`)
  console.log('| command | wall ms, median (min–max) | over `node -e 0` ms | CPU ms | peak RSS MiB |')
  console.log('| --- | ---: | ---: | ---: | ---: |')
  for (const [label, runs] of Object.entries(res)) {
    const ms = runs.map((r) => r.ms)
    const cpu = hasRusage ? median(runs.map((r) => r.cpuMs)).toFixed(0) : 'n/a'
    const rss = hasRusage ? median(runs.map((r) => r.rssMiB)).toFixed(0) : 'n/a'
    const over = label === 'node -e 0' ? '' : `+${(median(ms) - base).toFixed(0)}`
    console.log(`| \`${label}\` | ${spread(ms)} | ${over} | ${cpu} | ${rss} |`)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printStartup(runStartupBench())
