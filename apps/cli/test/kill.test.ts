/**
 * kill -9 at random points (issue 13 item 3): `anklume apply`, `apply --prune`
 * of an emptied file and `flush` are SIGKILLed after a random delay (seeded:
 * ANKLUME_KILL_SEED replays a run, ANKLUME_KILL_POINTS sets the number of
 * points per command, 20 by default), and ONE re-run must converge: exit 0, then
 * `plan --detailed-exitcode` exits 0, nothing duplicated. Delays are drawn
 * between 0.2 s and the measured length of an uninterrupted run of the same
 * command, so kills land everywhere from the first GET to the last start.
 */
import { execFile, spawn } from 'node:child_process'
import { randomInt } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, type IncusClient } from '@anklume/incus-client'
import { freeBaseSubnet, runPrefix } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const P = runPrefix()
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
/** Points for each of apply, prune and flush (issue 13: 20 each). */
const POINTS = Number(process.env.ANKLUME_KILL_POINTS ?? 20)
const SEED = Number(process.env.ANKLUME_KILL_SEED ?? randomInt(2 ** 31))
const ENV = { ANKLUME_LOCK_PATH: `anklume-kill-${P}` }

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Run {
  code: number | null
  out: string
}

function anklume(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...ENV }, timeout: 170_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr })
      },
    )
  })
}

/** Starts the command and SIGKILLs it after `ms`; true when it was still running. */
async function killAfter(args: string[], ms: number): Promise<boolean> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env: { ...process.env, ...ENV } })
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const timer = setTimeout(() => child.kill('SIGKILL'), ms)
  const code = await exited
  clearTimeout(timer)
  return code === null
}

let client: IncusClient
let file: string
let empty: string
const cmd = {
  apply: () => ['apply', '-f', file, '--yes', '--no-nft'],
  prune: () => ['apply', '-f', empty, '--yes', '--prune', '--force', '--no-nft'],
  flush: () => ['flush', '-f', file, '--yes', '--force', '--no-nft'],
}
type Kind = keyof typeof cmd
const length: Record<Kind, number> = { apply: 0, prune: 0, flush: 0 }

async function timed(kind: Kind): Promise<void> {
  const started = Date.now()
  const run = await anklume(cmd[kind]())
  length[kind] = Date.now() - started
  expect(run.code, run.out).toBe(0)
}

const machines = () => [`${P}q0m0`, `${P}q1m0`]

/** What one re-run must leave: the command's exit 0, then a plan with nothing to do. */
async function converges(kind: Kind): Promise<string | undefined> {
  const again = await anklume(cmd[kind]())
  if (again.code !== 0) return `re-run exit ${again.code}: ${again.out}`
  const plan =
    kind === 'apply'
      ? await anklume(['plan', '-f', file, '--detailed-exitcode', '--no-nft'])
      : await anklume(['plan', '-f', empty, '--prune', '--force', '--detailed-exitcode', '--no-nft'])
  if (plan.code !== 0) return `plan exit ${plan.code}: ${plan.out}`
  const mine = (await client.instances.list({ allProjects: true })).filter((i) => i.name.startsWith(`${P}q`))
  const want = kind === 'apply' ? machines() : []
  const got = mine.map((i) => `${i.name}:${i.status}`).sort()
  const expected = want.map((n) => `${n}:Running`)
  if (JSON.stringify(got) !== JSON.stringify(expected)) return `instances ${got.join(' ')}`
  return undefined
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "pnpm build" before the integration tests`)
  client = createClient()
  const base = await freeBaseSubnet()
  const dir = await mkdtemp(join(tmpdir(), 'anklume-kill-'))
  const header =
    `project_name: ${P}-kill\nglobal:\n  base_subnet: "${base}"\n  default_os_image: anklume-test/busybox\n` +
    `  isolation: { table: anklume_${P}q }\n`
  const domain = (d: number) =>
    `  ${P}q${d}:\n    subnet_id: ${d + 1}\n    nat: false\n    ephemeral: true\n    machines:\n` +
    `      ${P}q${d}m0:\n        ip: "${base}.${d + 1}.10"\n`
  file = join(dir, 'infra.yml')
  empty = join(dir, 'empty.yml')
  await writeFile(file, `${header}domains:\n${domain(0)}${domain(1)}`)
  await writeFile(empty, `${header}domains: {}\n`)
  // Uninterrupted runs give each command's length, the range of the kill delays.
  await timed('apply')
  await timed('prune')
  await timed('apply')
  await timed('flush')
  console.log(
    `kill test: seed ${SEED} (ANKLUME_KILL_SEED=${SEED} replays it), ${POINTS} apply, prune and flush points; ` +
      `uninterrupted apply ${length.apply} ms, prune ${length.prune} ms, flush ${length.flush} ms`,
  )
})

afterAll(async () => {
  await anklume(cmd.prune())
  await anklume(cmd.flush())
  await client.close()
})

describe('SIGKILL at random points, one re-run converges', () => {
  it(`apply, apply --prune of an emptied file, and flush`, async () => {
    const random = rng(SEED)
    const delay = (kind: Kind) => Math.round(200 + random() * Math.max(0, length[kind] - 200))
    const failures: string[] = []
    const counts = { killed: 0, finished: 0 }
    const point = async (kind: Kind, i: number) => {
      const ms = delay(kind)
      const killed = await killAfter(cmd[kind](), ms)
      counts[killed ? 'killed' : 'finished']++
      const problem = await converges(kind)
      if (problem) {
        failures.push(`seed ${SEED} ${kind} #${i} killed after ${ms} ms: ${problem}`)
        // Back to a known state for the next points.
        await anklume(cmd.prune())
      }
    }
    // Each round starts from nothing: a killed apply and its re-run, a killed
    // prune and its re-run, then an uninterrupted apply (every teardown needs
    // the infra in place), a killed flush and its re-run.
    const done: Record<Kind, number> = { apply: 0, prune: 0, flush: 0 }
    for (let i = 0; i < POINTS; i++) {
      await point('apply', done.apply++)
      await point('prune', done.prune++)
      const setup = await anklume(cmd.apply())
      if (setup.code !== 0)
        failures.push(`seed ${SEED} apply before flush #${i}: exit ${setup.code}: ${setup.out}`)
      await point('flush', done.flush++)
    }
    console.log(
      `kill test: ${done.apply} apply, ${done.prune} prune and ${done.flush} flush points: ` +
        `${counts.killed} killed mid-run, ${counts.finished} finished before the kill; ${failures.length} failed`,
    )
    expect(failures).toEqual([])
  }, 2_400_000)
})
