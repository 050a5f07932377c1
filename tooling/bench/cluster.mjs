#!/usr/bin/env node
/**
 * Benchmarks of apply on the 3-member Incus cluster of
 * tooling/cluster-rig.sh, through its HTTPS remote (needs `pnpm build` and
 * the rig up):
 * - cold apply of 3 domains × 3 containers (one domain per member), against
 *   the same objects made with the `incus` CLI through the same remote
 *   (bridges in two phases, projects, profiles, then parallel launches with
 *   --target): wall time, ratio, HTTP requests;
 * - no-op apply of the converged infra: wall time, HTTP requests, writes.
 * Every name carries a per-run prefix; everything is removed at the end.
 *
 *   node tooling/bench/cluster.mjs [--runs 3]
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

const dist = (p) => new URL(`../../packages/${p}/dist/index.js`, import.meta.url).href
const { loadFromString } = await import(dist('schema'))
const { createClient } = await import(dist('incus-client'))
const { planInfra, applyInfra } = await import(dist('engine'))

const argv = process.argv.slice(2)
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || 3
const IMAGE = 'anklume-test/busybox'
const DOMAINS = 3
const MACHINES = 3
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const nesting = { absoluteLevel: 0, relativeLevel: 0, vmNested: false, yolo: false }
const STATE = `${process.env.ANKLUME_RIG_STATE ?? '/var/lib/anklume-cluster-rig'}/rig.json`

function infraOf(prefix, members, domains, machines) {
  let y = `project_name: ${prefix}-cbench\nglobal:\n  base_subnet: "10.240"\n  default_os_image: ${IMAGE}\ndomains:\n`
  if (domains === 0) return loadFromString(y.replace('domains:\n', 'domains: {}\n'), 'bench.yml').infra
  for (let d = 0; d < domains; d++) {
    y += `  ${prefix}d${d}:\n    subnet_id: ${d + 1}\n    nat: false\n    ephemeral: true\n    placement: ${members[d % members.length]}\n    machines:\n`
    for (let m = 0; m < machines; m++)
      y += `      ${prefix}d${d}m${m}:\n        ip: "10.240.${d + 1}.${m + 10}"\n`
  }
  const r = loadFromString(y, 'bench.yml')
  if (!r.ok) throw new Error(JSON.stringify(r.issues))
  return r.infra
}

async function timedApply(client, infra, opts = {}) {
  const before = { ...client.stats }
  const t0 = performance.now()
  const planned = await planInfra(client, infra, { level: 1, ...opts })
  const res = await applyInfra(client, planned, { nesting, hostOverlapGuard: false })
  const ms = performance.now() - t0
  if (!res.execution.ok) {
    const bad = res.execution.results.filter((r) => r.status !== 'done')
    throw new Error(`apply failed: ${bad.map((b) => `${b.id}: ${b.error?.message ?? b.status}`).join('; ')}`)
  }
  return {
    ms,
    actions: planned.plan.actions.length,
    requests: client.stats.requests - before.requests,
    writes: client.stats.writes - before.writes,
  }
}

/** An `incus` CLI configuration whose default remote is the rig, with its client certificate. */
function cliConf(rig) {
  const dir = mkdtempSync(join(tmpdir(), 'anklume-cbench-'))
  mkdirSync(join(dir, 'servercerts'))
  copyFileSync(rig.cert, join(dir, 'client.crt'))
  copyFileSync(rig.key, join(dir, 'client.key'))
  copyFileSync(rig.serverCert, join(dir, 'servercerts', 'rig.crt'))
  writeFileSync(
    join(dir, 'config.yml'),
    `default-remote: rig\nremotes:\n  rig:\n    addr: ${rig.url}\n    protocol: incus\n    auth_type: tls\n    public: false\n`,
  )
  return dir
}

function sh(conf, script) {
  const t0 = performance.now()
  execFileSync('bash', ['-c', script], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, INCUS_CONF: conf },
  })
  return performance.now() - t0
}

/** The same objects with the incus CLI through the remote: bridges in two phases, projects, profiles, parallel launches. */
function baselineCreate(prefix, members, pool) {
  let s = 'set -e\n'
  for (let d = 0; d < DOMAINS; d++) {
    const p = `${prefix}e${d}`
    for (const m of members) s += `incus network create net-${p} --target ${m} >/dev/null\n`
    s += `incus network create net-${p} ipv4.address=10.240.${d + 101}.254/24 ipv4.nat=false ipv6.address=none >/dev/null\n`
    s += `incus project create ${p} -c features.profiles=true -c features.networks=false -c features.images=false >/dev/null\n`
    s += `incus profile device add default root disk path=/ pool=${pool} --project ${p} >/dev/null\n`
    s += `incus profile device add default eth0 nic network=net-${p} name=eth0 --project ${p} >/dev/null\n`
  }
  for (let d = 0; d < DOMAINS; d++)
    for (let m = 0; m < MACHINES; m++)
      s += `incus launch ${IMAGE} ${prefix}e${d}m${m} --project ${prefix}e${d} --target ${members[d % members.length]} >/dev/null &\n`
  return `${s}wait\n`
}

function baselineDelete(prefix) {
  let s = ''
  for (let d = 0; d < DOMAINS; d++)
    for (let m = 0; m < MACHINES; m++)
      s += `incus delete --force ${prefix}e${d}m${m} --project ${prefix}e${d} &\n`
  s += 'wait\n'
  for (let d = 0; d < DOMAINS; d++)
    s += `incus profile device remove default root --project ${prefix}e${d}; incus profile device remove default eth0 --project ${prefix}e${d}; incus project delete ${prefix}e${d}; incus network delete net-${prefix}e${d}\n`
  return s
}

export async function runClusterBench() {
  if (!existsSync(STATE)) return { skipped: `no cluster rig (${STATE}): run bash tooling/cluster-rig.sh up` }
  const rig = JSON.parse(readFileSync(STATE, 'utf8'))
  const client = createClient({
    remote: {
      url: rig.url,
      cert: readFileSync(rig.cert),
      key: readFileSync(rig.key),
      serverCert: readFileSync(rig.serverCert),
    },
  })
  const conf = cliConf(rig)
  const prefix = `c${randomBytes(2).toString('hex')}`
  const empty = infraOf(prefix, rig.members, 0, 0)
  const infra = infraOf(prefix, rig.members, DOMAINS, MACHINES)
  const out = { cold: [], coldRequests: [], noop: [], baseCold: [] }
  try {
    for (let r = 0; r < RUNS; r++) {
      const cold = await timedApply(client, infra)
      out.cold.push(cold.ms)
      out.coldRequests.push(cold.requests)
      out.noop.push(await timedApply(client, infra))
      await timedApply(client, empty, { prune: true, force: true })
      out.baseCold.push(sh(conf, baselineCreate(prefix, rig.members, rig.pool)))
      sh(conf, `${baselineDelete(prefix)} true`)
    }
  } finally {
    await timedApply(client, empty, { prune: true, force: true }).catch((e) =>
      console.error(`cleanup: ${e.message}`),
    )
    try {
      execFileSync('bash', ['-c', baselineDelete(prefix)], {
        stdio: 'ignore',
        env: { ...process.env, INCUS_CONF: conf },
      })
    } catch {}
    rmSync(conf, { recursive: true, force: true })
    await client.close()
  }
  return out
}

export function printCluster(r) {
  console.log(`\n## apply on the 3-member Incus cluster, through its HTTPS remote (medians)`)
  if (r.skipped) {
    console.log(`skipped: ${r.skipped}`)
    return
  }
  const s = (ms) => (ms / 1000).toFixed(2)
  console.log(
    `| ${DOMAINS} domains × ${MACHINES} containers, one domain per member | anklume s | incus CLI baseline s | ratio | anklume HTTP requests |`,
  )
  console.log('| --- | ---: | ---: | ---: | ---: |')
  console.log(
    `| cold apply | ${s(median(r.cold))} | ${s(median(r.baseCold))} | ${(median(r.cold) / median(r.baseCold)).toFixed(2)} | ${median(r.coldRequests)} |`,
  )
  const noop = r.noop
  console.log(
    `| no-op apply (converged) | ${s(median(noop.map((n) => n.ms)))} | | | ${Math.max(...noop.map((n) => n.requests))} (writes ${Math.max(...noop.map((n) => n.writes))}, actions ${Math.max(...noop.map((n) => n.actions))}) |`,
  )
}

if (import.meta.url === `file://${process.argv[1]}`) printCluster(await runClusterBench())
