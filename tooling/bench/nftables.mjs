#!/usr/bin/env node
/**
 * Benchmark of @anklume/nftables (pure, no daemon): ruleset generation time
 * (median of N runs) and `nft -c` time of the result (text and JSON) inside a
 * throwaway network namespace, for 25 domains / 200 policies and 250 domains / 2,000
 * policies. The rule count must be the same for both (sets, not rules, grow).
 *
 * Needs the built package: `pnpm build` first. Usage:
 *   node tooling/bench/nftables.mjs [--runs 21] [--json]
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

const { generateRuleset } = await import(
  new URL('../../packages/nftables/dist/index.js', import.meta.url).href
)

const args = process.argv.slice(2)
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 21
const NFT_RUNS = 5

/** Deterministic PRNG (mulberry32) so every run benchmarks the same infra. */
function rng(seed) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A normalised Infra (the fields the generator reads) with 4 static machines per domain. */
function syntheticInfra(domains, policies) {
  const rand = rng(domains * 7919 + policies)
  const pick = (xs) => xs[Math.floor(rand() * xs.length)]
  const ds = Array.from({ length: domains }, (_, i) => {
    const net = `10.${100 + Math.floor(i / 250)}.${i % 250}`
    const name = `d${i}`
    return {
      name,
      enabled: true,
      subnet: `${net}.0/24`,
      gateway: `${net}.254`,
      machines: Array.from({ length: 4 }, (_, j) => ({ name: `${name}-m${j}`, ip: `${net}.${j + 1}` })),
    }
  })
  const machines = ds.flatMap((d) => d.machines.map((m) => m.name))
  const names = ds.map((d) => d.name)
  const networkPolicies = Array.from({ length: policies }, (_, i) => {
    const r = rand()
    const [from, to] =
      r < 0.4
        ? [pick(names), pick(names)]
        : r < 0.6
          ? [pick(machines), pick(machines)]
          : r < 0.7
            ? [pick(machines), pick(names)]
            : r < 0.8
              ? [pick(names), pick(machines)]
              : r < 0.9
                ? [pick(names), 'host']
                : [pick(names), pick(names)]
    const allPorts = r >= 0.9
    return {
      description: `synthetic policy ${i}`,
      from,
      to,
      ports: allPorts ? 'all' : [pick([22, 53, 80, 443, 631, 5432, 8080]), pick([3000, 9000, 9100])],
      protocol: allPorts ? pick([undefined, 'udp']) : pick(['tcp', 'tcp', 'udp']),
      bidirectional: rand() < 0.3,
    }
  })
  return {
    projectName: 'bench',
    global: { nestingPrefix: false, isolation: { table: 'anklume_bench', egress: true, networkAcls: false } },
    domains: ds,
    networkPolicies,
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Median wall time of `nft [-j] -c -f` on the ruleset in a fresh network namespace. */
function nftCheckMs(content, json = false) {
  const dir = mkdtempSync(join(tmpdir(), 'anklume-bench-'))
  const file = join(dir, json ? 'ruleset.json' : 'ruleset.nft')
  writeFileSync(file, content)
  try {
    const times = []
    for (let i = 0; i < NFT_RUNS; i++) {
      const t0 = performance.now()
      const r = spawnSync('unshare', ['-n', 'nft', ...(json ? ['-j'] : []), '-c', '-f', file], {
        encoding: 'utf8',
      })
      times.push(performance.now() - t0)
      if (r.status !== 0)
        return { ms: Number.NaN, error: (r.stderr || String(r.error)).trim().split('\n')[0] }
    }
    return { ms: median(times) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const rows = []
for (const [domains, policies] of [
  [25, 200],
  [250, 2000],
]) {
  const infra = syntheticInfra(domains, policies)
  generateRuleset(infra) // warm-up (JIT)
  const times = []
  const cpu = []
  let last
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    last = generateRuleset(infra)
    const c = process.cpuUsage(c0)
    times.push(performance.now() - t0)
    cpu.push((c.user + c.system) / 1000)
  }
  const check = nftCheckMs(last.text)
  const checkJson = nftCheckMs(JSON.stringify(last.json), true)
  rows.push({
    domains,
    policies,
    rules: last.stats.rules,
    elements: last.stats.elements,
    textKiB: Math.round(Buffer.byteLength(last.text) / 1024),
    generateMs: Number(median(times).toFixed(2)),
    // CPU time is steadier than wall time on a shared 2-core machine.
    generateCpuMs: Number(median(cpu).toFixed(2)),
    nftCheckMs: Number(check.ms.toFixed(1)),
    nftJsonCheckMs: Number(checkJson.ms.toFixed(1)),
    ...(check.error || checkJson.error ? { nftError: check.error ?? checkJson.error } : {}),
  })
}

if (args.includes('--json')) {
  process.stdout.write(
    `${JSON.stringify({ runs: RUNS, nftRuns: NFT_RUNS, node: process.version, loadavg: loadavg()[0], rows }, null, 2)}\n`,
  )
} else {
  console.log(
    `@anklume/nftables: generation median of ${RUNS}, nft -c median of ${NFT_RUNS} (unshare -n), node ${process.version}, load average ${loadavg()[0].toFixed(2)}`,
  )
  console.table(rows)
  const constant = new Set(rows.map((r) => r.rules)).size === 1
  console.log(
    `rule count constant across sizes: ${constant ? 'yes' : 'NO'}; target generation <= 50 ms for 250 domains / 2,000 policies: ${rows[1].generateCpuMs <= 50 ? 'met' : 'MISSED'} (CPU time)`,
  )
}
if (rows.some((r) => r.nftError)) process.exitCode = 1
