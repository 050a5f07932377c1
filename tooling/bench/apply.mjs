#!/usr/bin/env node
/**
 * Benchmarks of apply on the real daemon (needs `pnpm build` and incusd), as
 * a user times them from the shell: every anklume number is the whole
 * `anklume apply` process (Node start, module loading, Incus, exit), with the
 * in-process library time of the no-op next to it. Runs are interleaved
 * rounds (anklume, then the baseline, then again...) and the tables give
 * medians with min–max.
 * - no-op apply of a converged infra (4×3): wall, CPU, requests, writes;
 * - cold apply and teardown of 4 domains × 3 containers against the `incus`
 *   CLI run as a hurried admin would: every launch, every delete, every
 *   project and bridge delete as parallel shell jobs;
 * - with --large: the same at 20 domains × 10 containers (200), with peak RSS,
 *   and the no-op next to the slowest single read Incus needs for it;
 * - with --sweep: cold apply of 200 at --concurrency 4, 8, 16, 32.
 * Every name carries a per-run prefix; everything is removed at the end.
 *
 *   node tooling/bench/apply.mjs [--rounds 5] [--large] [--large-rounds 2] [--sweep]
 */
import { execFileSync } from 'node:child_process'
import { randomBytes, randomInt } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { hasRusage, median, spread, timeProcess } from './wall.mjs'

const dist = (p) => new URL(`../../packages/${p}/dist/index.js`, import.meta.url).href
const { loadFromString } = await import(dist('schema'))
const { createClient } = await import(dist('incus-client'))
const { planInfra, applyInfra } = await import(dist('engine'))

const BIN = fileURLToPath(new URL('../../apps/cli/dist/bin.js', import.meta.url))
const argv = process.argv.slice(2)
const opt = (name, dflt) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) || dflt : dflt)
const ROUNDS = opt('--rounds', 5)
const LARGE_ROUNDS = opt('--large-rounds', 2)
const IMAGE = 'anklume-test/busybox'
const nesting = { absoluteLevel: 0, relativeLevel: 0, vmNested: false, yolo: false }
const work = mkdtempSync(join(tmpdir(), 'anklume-bench-apply-'))

function infraYaml(prefix, base, domains, machines) {
  let y = `project_name: ${prefix}-bench\nglobal:\n  base_subnet: "${base}"\n  default_os_image: ${IMAGE}\n  isolation: { table: anklume_${prefix} }\ndomains:\n`
  if (domains === 0) return y.replace('domains:\n', 'domains: {}\n')
  for (let d = 0; d < domains; d++) {
    y += `  ${prefix}d${d}:\n    subnet_id: ${d + 1}\n    nat: false\n    ephemeral: true\n    machines:\n`
    for (let m = 0; m < machines; m++)
      y += `      ${prefix}d${d}m${m}:\n        ip: "${base}.${d + 1}.${m + 10}"\n`
  }
  return y
}

function infraFile(name, yaml) {
  const file = join(work, `${name}.yml`)
  writeFileSync(file, yaml)
  const r = loadFromString(yaml, file)
  if (!r.ok) throw new Error(JSON.stringify(r.issues))
  return { file, infra: r.infra }
}

/** `anklume apply --yes` as a separate process; fails loudly on any failed action. */
function cliApply(file, ...extra) {
  const r = timeProcess(process.execPath, [BIN, 'apply', '--yes', '-f', file, ...extra], { allowFail: true })
  // Progress on stderr, so an interrupted run still tells what it measured.
  // The slowest action (progress lines end with "(12.3s)"): a daemon stall shows here.
  const slowest = [...(r.stdout ?? '').matchAll(/^✓ (.+) \((\d+\.\d)s\)$/gm)].sort((a, b) => b[2] - a[2])[0]
  console.error(
    `[bench] apply ${file.split('/').pop()} ${extra.join(' ')}: ${(r.ms / 1000).toFixed(2)} s, exit ${r.status}${slowest ? `, slowest: ${slowest[1]} ${slowest[2]} s` : ''}`,
  )
  if (r.status !== 0 || !/Apply complete: \d+ done, 0 failed/.test(r.stdout))
    throw new Error(`anklume apply ${extra.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`)
  return r
}

/** The library calls alone, inside this process: plan (with the isolation table) + apply. */
async function inProcessApply(client, infra) {
  const before = { ...client.stats }
  const t0 = performance.now()
  const planned = await planInfra(client, infra, { level: 1, hostIsolation: true })
  const res = await applyInfra(client, planned, { nesting })
  const ms = performance.now() - t0
  if (!res.execution.ok) throw new Error('in-process apply failed')
  return {
    ms,
    actions: planned.plan.actions.length,
    requests: client.stats.requests - before.requests,
    writes: client.stats.writes - before.writes,
  }
}

function sh(script, label = 'incus CLI') {
  const t0 = performance.now()
  execFileSync('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'inherit'] })
  const ms = performance.now() - t0
  console.error(`[bench] ${label}: ${(ms / 1000).toFixed(2)} s`)
  return ms
}

// Incus 6.0 sometimes fails a bridge create/delete while veths come and go: retried, as an admin would.
const retry = (cmd) => `(for i in 1 2 3 4 5 6; do ${cmd} >/dev/null 2>&1 && exit 0; sleep 0.$i; done; ${cmd})`

/** The same objects with the incus CLI: bridges, projects, profile devices, then every launch at once. */
function baselineCreate(prefix, base, domains, machines) {
  let s = 'set -e\n'
  for (let d = 0; d < domains; d++) {
    const p = `${prefix}e${d}`
    s += `( ${retry(`incus network create net-${p} ipv4.address=${base}.${d + 101}.254/24 ipv4.nat=false ipv6.address=none`)}
incus project create ${p} -c features.profiles=true -c features.networks=false -c features.images=false >/dev/null
incus profile device add default root disk path=/ pool=default --project ${p} >/dev/null
incus profile device add default eth0 nic network=net-${p} name=eth0 --project ${p} >/dev/null) &\n`
  }
  s += 'wait\n'
  for (let d = 0; d < domains; d++)
    for (let m = 0; m < machines; m++)
      s += `incus launch ${IMAGE} ${prefix}e${d}m${m} --project ${prefix}e${d} >/dev/null &\n`
  return `${s}wait\n`
}

/** Every instance delete at once, then every project and bridge delete at once. */
function baselineDelete(prefix, domains, machines) {
  let s = ''
  for (let d = 0; d < domains; d++)
    for (let m = 0; m < machines; m++)
      s += `incus delete --force ${prefix}e${d}m${m} --project ${prefix}e${d} 2>/dev/null &\n`
  s += 'wait\n'
  for (let d = 0; d < domains; d++)
    s += `(incus project delete ${prefix}e${d} 2>/dev/null; ${retry(`incus network delete net-${prefix}e${d}`)}) &\n`
  return `${s}wait\n`
}

/**
 * Lets the instances just created boot before the next measure: a no-op or a
 * teardown is timed on a settled host, as a user runs them, not while a dozen
 * (or 200) containers are still starting on the same 2 cores. Both sides
 * (anklume and the incus CLI) get the same pause.
 */
function settle(instances) {
  execFileSync('sleep', [String(Math.min(30, 3 + Math.ceil(instances / 10)))])
}

/**
 * The reads a no-op plan makes (engine observe), each timed alone (min of 3):
 * the instances of every project (recursion=1), this infra's bridges by name
 * side by side (Incus computes each one's `used_by`), projects, profiles. The
 * slowest is the floor of a no-op.
 */
async function slowestRead(client, prefix) {
  const names = (await client.request('GET', '/1.0/networks')).metadata
    .map((u) => u.split('/').pop())
    .filter((n) => n.startsWith(`net-${prefix}`))
  const reads = {
    'GET /1.0/instances?all-projects&recursion=1': () =>
      client.request('GET', '/1.0/instances?all-projects=true&recursion=1'),
    [`GET /1.0/networks/<name> ×${names.length} side by side`]: () =>
      Promise.all(names.map((n) => client.request('GET', `/1.0/networks/${n}`))),
    'GET /1.0/projects?recursion=1': () => client.request('GET', '/1.0/projects?recursion=1'),
    'GET /1.0/profiles?all-projects&recursion=1': () =>
      client.request('GET', '/1.0/profiles?all-projects=true&recursion=1'),
  }
  const out = {}
  for (const [k, f] of Object.entries(reads)) {
    const t = []
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now()
      await f().catch(() => undefined)
      t.push(performance.now() - t0)
    }
    out[k] = Math.min(...t)
  }
  return out
}

async function measureSize(client, prefix, base, d, m, rounds, { sweep = false } = {}) {
  const { file, infra } = infraFile(`${prefix}-${d}x${m}`, infraYaml(prefix, base, d, m))
  const { file: empty } = infraFile(`${prefix}-empty`, infraYaml(prefix, base, 0, 0))
  const row = {
    size: `${d}×${m}`,
    noop: [],
    inproc: [],
    cold: [],
    teardown: [],
    baseCold: [],
    baseTeardown: [],
  }
  try {
    // Cold apply and teardown, interleaved with the baseline.
    for (let r = 0; r < rounds; r++) {
      row.cold.push(cliApply(file))
      settle(d * m)
      if (r === 0) {
        // Converged: the no-op apply, whole process and in-process, interleaved.
        cliApply(file)
        for (let i = 0; i < Math.max(rounds, 5); i++) {
          row.noop.push(cliApply(file))
          row.inproc.push(await inProcessApply(client, infra))
        }
        row.plan = timeProcess(process.execPath, [BIN, 'plan', '-f', file])
        if (d * m >= 100) row.reads = await slowestRead(client, prefix)
      }
      row.teardown.push(cliApply(empty, '--prune', '--force'))
      row.baseCold.push(sh(baselineCreate(prefix, base, d, m)))
      settle(d * m)
      row.baseTeardown.push(sh(baselineDelete(prefix, d, m)))
    }
    if (sweep) {
      row.sweep = {}
      for (const c of [4, 8, 16, 32]) {
        row.sweep[c] = { cold: [], teardown: [], failed: [] }
        // A failed run is counted and the sweep goes on (the next apply converges what it left).
        const attempt = (list, step, ...args) => {
          try {
            list.push(cliApply(...args))
          } catch (e) {
            row.sweep[c].failed.push(
              `${step}: ${
                String(e.message)
                  .split('\n')
                  .find((l) => l.includes('✗')) ?? 'failed'
              }`,
            )
          }
        }
        for (let r = 0; r < rounds; r++) {
          attempt(row.sweep[c].cold, 'cold', file, '--concurrency', String(c))
          settle(d * m)
          attempt(row.sweep[c].teardown, 'teardown', empty, '--prune', '--force', '--concurrency', String(c))
        }
      }
    }
  } finally {
    try {
      cliApply(empty, '--prune', '--force')
    } catch (e) {
      console.error(`cleanup: ${e.message}`)
    }
    try {
      execFileSync('bash', ['-c', baselineDelete(prefix, d, m)], { stdio: 'ignore' })
    } catch {}
  }
  return row
}

export async function runApplyBench({
  large = argv.includes('--large'),
  sweep = argv.includes('--sweep'),
} = {}) {
  const client = createClient()
  const prefix = `b${randomBytes(2).toString('hex')}`
  const used = new Set(
    (await client.networks.list()).map((n) => n.config?.['ipv4.address']?.split('.').slice(0, 2).join('.')),
  )
  console.error(`[bench] prefix ${prefix}, files in ${work}`)
  let base
  do base = `10.${randomInt(200, 250)}`
  while (used.has(base))
  const rows = []
  try {
    rows.push(await measureSize(client, prefix, base, 4, 3, ROUNDS))
    if (large || sweep) rows.push(await measureSize(client, prefix, base, 20, 10, LARGE_ROUNDS, { sweep }))
  } finally {
    try {
      execFileSync('nft', ['delete', 'table', 'inet', `anklume_${prefix}`], { stdio: 'ignore' })
    } catch {}
    await client.close()
    rmSync(work, { recursive: true, force: true })
  }
  return rows
}

const wall = (runs, unit) =>
  spread(
    runs.map((r) => (typeof r === 'number' ? r : r.ms)),
    unit,
  )
const med = (runs, key, digits = 0) => (hasRusage ? median(runs.map((r) => r[key])).toFixed(digits) : 'n/a')
const ratio = (a, b) =>
  (
    median(a.map((r) => (typeof r === 'number' ? r : r.ms))) /
    median(b.map((r) => (typeof r === 'number' ? r : r.ms)))
  ).toFixed(2)

export function printApply(rows) {
  console.log('\n## apply on the real daemon, whole `anklume` process (median (min–max))')
  console.log(
    '| no-op apply (converged) | wall ms | CPU ms | peak RSS MiB | in-process ms | HTTP requests | writes | actions |',
  )
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const r of rows) {
    const i = r.inproc
    console.log(
      `| ${r.size} containers | ${wall(r.noop)} | ${med(r.noop, 'cpuMs')} | ${med(r.noop, 'rssMiB')} | ${wall(i)} | ${Math.max(...i.map((x) => x.requests))} | ${Math.max(...i.map((x) => x.writes))} | ${Math.max(...i.map((x) => x.actions))} |`,
    )
  }
  for (const r of rows.filter((x) => x.reads)) {
    const slowest = Math.max(...Object.values(r.reads))
    console.log(
      `\nReads a no-op needs at ${r.size}, each alone (min of 3 ms): ${Object.entries(r.reads)
        .map(([k, v]) => `\`${k}\` ${v.toFixed(0)}`)
        .join(', ')}; no-op / slowest = ${(median(r.noop.map((x) => x.ms)) / slowest).toFixed(2)}`,
    )
  }
  console.log('\n| size | step | anklume s | `incus` CLI in parallel s | ratio | anklume peak RSS MiB |')
  console.log('| --- | --- | ---: | ---: | ---: | ---: |')
  for (const r of rows) {
    console.log(
      `| ${r.size} | cold apply | ${wall(r.cold, 's')} | ${wall(r.baseCold, 's')} | ${ratio(r.cold, r.baseCold)} | ${med(r.cold, 'rssMiB')} |`,
    )
    console.log(
      `| ${r.size} | teardown | ${wall(r.teardown, 's')} | ${wall(r.baseTeardown, 's')} | ${ratio(r.teardown, r.baseTeardown)} | ${med(r.teardown, 'rssMiB')} |`,
    )
    if (r.plan)
      console.log(
        `| ${r.size} | \`anklume plan\` (converged) | ${(r.plan.ms / 1000).toFixed(2)} | | | ${r.plan.rssMiB?.toFixed(0) ?? 'n/a'} |`,
      )
  }
  for (const r of rows.filter((x) => x.sweep)) {
    console.log(`\n| --concurrency (${r.size}) | cold apply s | teardown s | peak RSS MiB | failed runs |`)
    console.log('| ---: | ---: | ---: | ---: | --- |')
    for (const [c, s] of Object.entries(r.sweep))
      console.log(
        `| ${c} | ${s.cold.length ? wall(s.cold, 's') : 'n/a'} | ${s.teardown.length ? wall(s.teardown, 's') : 'n/a'} | ${s.cold.length ? med(s.cold, 'rssMiB') : 'n/a'} | ${s.failed.join('; ') || '0'} |`,
      )
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printApply(await runApplyBench())
