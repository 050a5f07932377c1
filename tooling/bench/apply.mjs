#!/usr/bin/env node
/**
 * Benchmarks of apply on the real daemon (needs `pnpm build` and incusd):
 * - no-op apply of a converged infra (4×3 and 10×5): wall time, HTTP
 *   requests and writes (must not grow with the number of instances);
 * - cold apply and teardown of 4 domains × 3 containers, against a shell
 *   baseline doing the same with the `incus` CLI in parallel jobs.
 * Every name carries a per-run prefix; everything is removed at the end.
 *
 *   node tooling/bench/apply.mjs [--runs 3]
 */
import { execFileSync } from 'node:child_process'
import { randomBytes, randomInt } from 'node:crypto'
import { performance } from 'node:perf_hooks'

const dist = (p) => new URL(`../../packages/${p}/dist/index.js`, import.meta.url).href
const { loadFromString } = await import(dist('schema'))
const { createClient } = await import(dist('incus-client'))
const { planInfra, applyInfra } = await import(dist('engine'))
const { deleteTable } = await import(dist('host'))

const argv = process.argv.slice(2)
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || 3
const IMAGE = 'anklume-test/busybox'
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const nesting = { absoluteLevel: 0, relativeLevel: 0, vmNested: false, yolo: false }

function infraOf(prefix, base, domains, machines) {
  let y = `project_name: ${prefix}-bench\nglobal:\n  base_subnet: "${base}"\n  default_os_image: ${IMAGE}\n  isolation: { table: anklume_${prefix} }\ndomains:\n`
  if (domains === 0) return loadFromString(y.replace('domains:\n', 'domains: {}\n'), 'bench.yml').infra
  for (let d = 0; d < domains; d++) {
    y += `  ${prefix}d${d}:\n    subnet_id: ${d + 1}\n    nat: false\n    ephemeral: true\n    machines:\n`
    for (let m = 0; m < machines; m++)
      y += `      ${prefix}d${d}m${m}:\n        ip: "${base}.${d + 1}.${m + 10}"\n`
  }
  const r = loadFromString(y, 'bench.yml')
  if (!r.ok) throw new Error(JSON.stringify(r.issues))
  return r.infra
}

async function timedApply(client, infra, opts = {}) {
  const before = { ...client.stats }
  const t0 = performance.now()
  const { nft, ...rest } = opts
  // With nft, the plan reads the live isolation table and loads it as one of its actions.
  const planned = await planInfra(client, infra, { level: 1, hostIsolation: nft === true, ...rest })
  const res = await applyInfra(client, planned, { nesting })
  const ms = performance.now() - t0
  if (!res.execution.ok) {
    const bad = res.execution.results.filter((r) => r.status !== 'done')
    throw new Error(`apply failed: ${bad.map((b) => `${b.id}: ${b.error?.message ?? b.status}`).join('; ')}`)
  }
  const stats = client.stats
  return {
    ms,
    actions: planned.plan.actions.length,
    requests: stats.requests - before.requests,
    writes: stats.writes - before.writes,
  }
}

function sh(script) {
  const t0 = performance.now()
  execFileSync('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'inherit'] })
  return performance.now() - t0
}

/** The same objects with the incus CLI: bridges/projects/profiles, then parallel launches. */
function baselineCreate(prefix, base, domains, machines) {
  let s = 'set -e\n'
  for (let d = 0; d < domains; d++) {
    const p = `${prefix}e${d}`
    // Retried: Incus 6.0 sometimes fails a bridge create while veths come and go.
    s += `for i in 1 2 3 4 5; do incus network create net-${p} ipv4.address=${base}.${d + 101}.254/24 ipv4.nat=false ipv6.address=none >/dev/null 2>&1 && break; sleep $i; done\n`
    s += `incus project create ${p} -c features.profiles=true -c features.networks=false -c features.images=false >/dev/null\n`
    s += `incus profile device add default root disk path=/ pool=default --project ${p} >/dev/null\n`
    s += `incus profile device add default eth0 nic network=net-${p} name=eth0 --project ${p} >/dev/null\n`
  }
  for (let d = 0; d < domains; d++) {
    for (let m = 0; m < machines; m++)
      s += `incus launch ${IMAGE} ${prefix}e${d}m${m} --project ${prefix}e${d} >/dev/null &\n`
  }
  return `${s}wait\n`
}

function baselineDelete(prefix, domains, machines) {
  let s = ''
  for (let d = 0; d < domains; d++) {
    for (let m = 0; m < machines; m++)
      s += `incus delete --force ${prefix}e${d}m${m} --project ${prefix}e${d} &\n`
  }
  s += 'wait\n'
  for (let d = 0; d < domains; d++)
    s += `incus project delete ${prefix}e${d}\nincus network delete net-${prefix}e${d}\n`
  return s
}

export async function runApplyBench() {
  const client = createClient()
  const prefix = `b${randomBytes(2).toString('hex')}`
  const used = new Set(
    (await client.networks.list()).map((n) => n.config?.['ipv4.address']?.split('.').slice(0, 2).join('.')),
  )
  let base
  do base = `10.${randomInt(200, 250)}`
  while (used.has(base))
  const empty = infraOf(prefix, base, 0, 0)
  const out = { noop: [], cold: [], teardown: [], baseCold: [], baseTeardown: [] }
  try {
    for (const [d, m] of [
      [4, 3],
      [10, 5],
    ]) {
      const infra = infraOf(prefix, base, d, m)
      // Converge first (isolation table included), then time applies that have nothing to do.
      await timedApply(client, infra, { nft: true })
      const runs = []
      for (let r = 0; r < RUNS; r++) runs.push(await timedApply(client, infra, { nft: true }))
      out.noop.push({
        size: `${d}×${m}`,
        ms: median(runs.map((x) => x.ms)),
        requests: Math.max(...runs.map((x) => x.requests)),
        writes: Math.max(...runs.map((x) => x.writes)),
        actions: Math.max(...runs.map((x) => x.actions)),
      })
      await timedApply(client, empty, { prune: true, force: true })
    }
    const infra = infraOf(prefix, base, 4, 3)
    for (let r = 0; r < RUNS; r++) {
      out.cold.push((await timedApply(client, infra)).ms)
      out.teardown.push((await timedApply(client, empty, { prune: true, force: true })).ms)
      out.baseCold.push(sh(baselineCreate(prefix, base, 4, 3)))
      out.baseTeardown.push(sh(baselineDelete(prefix, 4, 3)))
    }
  } finally {
    await deleteTable(`anklume_${prefix}`).catch(() => undefined)
    await timedApply(client, empty, { prune: true, force: true }).catch((e) =>
      console.error(`cleanup: ${e.message}`),
    )
    try {
      execFileSync('bash', ['-c', baselineDelete(prefix, 4, 3)], { stdio: 'ignore' })
    } catch {}
    try {
      execFileSync('nft', ['delete', 'table', 'inet', `anklume_${prefix}`], { stdio: 'ignore' })
    } catch {}
    await client.close()
  }
  return out
}

export function printApply(r) {
  console.log('\n## apply on the real daemon (medians)')
  console.log('| no-op apply (converged) | wall ms | HTTP requests | writes | actions |')
  console.log('| --- | ---: | ---: | ---: | ---: |')
  for (const n of r.noop)
    console.log(`| ${n.size} containers | ${n.ms.toFixed(0)} | ${n.requests} | ${n.writes} | ${n.actions} |`)
  const ratio = (a, b) => (median(a) / median(b)).toFixed(2)
  console.log('\n| 4 domains × 3 containers | anklume s | incus CLI baseline s | ratio |')
  console.log('| --- | ---: | ---: | ---: |')
  console.log(
    `| cold apply | ${(median(r.cold) / 1000).toFixed(2)} | ${(median(r.baseCold) / 1000).toFixed(2)} | ${ratio(r.cold, r.baseCold)} |`,
  )
  console.log(
    `| teardown | ${(median(r.teardown) / 1000).toFixed(2)} | ${(median(r.baseTeardown) / 1000).toFixed(2)} | ${ratio(r.teardown, r.baseTeardown)} |`,
  )
}

if (import.meta.url === `file://${process.argv[1]}`) printApply(await runApplyBench())
