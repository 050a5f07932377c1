#!/usr/bin/env node
/**
 * Start-up of the `anklume` command measured from outside the process
 * (whole-process wall time, CPU and peak RSS), next to a bare `node -e 0`:
 * what a user timing `anklume --version` from the shell sees. No daemon needed.
 *
 * Wall time on a shared machine swings with the neighbours; CPU time (user +
 * system, from wait4) is the steadier figure.
 *
 *   node tooling/bench/startup.mjs [--rounds 15] [--before <other checkout>/apps/cli/dist/bin.js]
 */
import { fileURLToPath } from 'node:url'
import { hasRusage, interleave, median, spread, timeProcess } from './wall.mjs'

const argv = process.argv.slice(2)
const ROUNDS = Number(argv[argv.indexOf('--rounds') + 1]) || 15
const bin = fileURLToPath(new URL('../../apps/cli/dist/bin.js', import.meta.url))
const quickstart = fileURLToPath(new URL('../../examples/quickstart.yml', import.meta.url))
const before = argv.includes('--before') ? argv[argv.indexOf('--before') + 1] : undefined
const node = process.execPath

const commands = {
  'anklume --version': ['--version'],
  'anklume --help': ['--help'],
  'anklume apply --help': ['apply', '--help'],
  'anklume validate (quickstart)': ['validate', '-f', quickstart],
  'anklume plan --offline (quickstart)': ['plan', '--offline', '-f', quickstart],
}

export function runStartupBench(rounds = ROUNDS) {
  const cases = { 'node -e 0': () => timeProcess(node, ['-e', '0']) }
  for (const [label, args] of Object.entries(commands)) {
    if (before) cases[`${label} — before`] = () => timeProcess(node, [before, ...args], { allowFail: true })
    cases[label] = () => timeProcess(node, [bin, ...args], { allowFail: true })
  }
  timeProcess(node, [bin, '--version']) // warm the page cache
  return interleave(cases, rounds)
}

export function printStartup(res) {
  const base = median(res['node -e 0'].map((r) => r.ms))
  const baseCpu = hasRusage ? median(res['node -e 0'].map((r) => r.cpuMs)) : 0
  const signed = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(0)}`
  console.log(`\n## CLI start-up, whole process (${res['node -e 0'].length} interleaved rounds)`)
  console.log(
    '| command | wall ms, median (min–max) | wall over `node -e 0` | CPU ms, median (min–max) | CPU over `node -e 0` | peak RSS MiB |',
  )
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
  for (const [label, runs] of Object.entries(res)) {
    const ms = runs.map((r) => r.ms)
    const cpus = runs.map((r) => r.cpuMs)
    const cpu = hasRusage ? spread(cpus) : 'n/a'
    const rss = hasRusage ? median(runs.map((r) => r.rssMiB)).toFixed(0) : 'n/a'
    const first = label === 'node -e 0'
    const over = first ? '' : signed(median(ms) - base)
    const overCpu = first || !hasRusage ? '' : signed(median(cpus) - baseCpu)
    console.log(`| \`${label}\` | ${spread(ms)} | ${over} | ${cpu} | ${overCpu} | ${rss} |`)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printStartup(runStartupBench())
