/**
 * The lock under real races between processes. Each trial, 8 processes try
 * to take the same free lock at the same moment (a "go" line on their
 * stdin); the winners mark a critical section with an exclusive mkdir and
 * hold it 20 ms. A holder that finds the mark is a second holder: there must
 * be none (a late process may still win the lock after the first released). Half the trials
 * start right after a previous holder was killed with SIGKILL while holding
 * the lock (the stale-lock case of a file lock). The processes run the built
 * package (`pnpm build` first; `pnpm test` does).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const PROCESSES = 8
const TRIALS = 200

const RACER = `
  const { mkdirSync, rmdirSync } = await import('node:fs')
  const { createInterface } = await import('node:readline')
  const { acquireLock } = await import(process.env.LOCK_DIST)
  for await (const line of createInterface({ input: process.stdin })) {
    const [key, mark] = JSON.parse(line)
    let got = 0, double = 0
    try {
      const lock = await acquireLock({ path: key })
      got = 1
      try { mkdirSync(mark) } catch { double = 1 }
      await new Promise((r) => setTimeout(r, 20))
      try { rmdirSync(mark) } catch {}
      await lock.release()
    } catch (err) {
      if (err.code !== 'ANKLUME_LOCKED') throw err
    }
    console.log(JSON.stringify({ got, double }))
  }
`

/** A process that takes the lock, says so, and is then killed with SIGKILL. */
async function killedHolder(key: string): Promise<void> {
  const script = `const { acquireLock } = await import(process.env.LOCK_DIST); await acquireLock({ path: ${JSON.stringify(key)} }); console.log('held'); setInterval(() => {}, 1000)`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, LOCK_DIST: DIST },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
  child.kill('SIGKILL')
  await new Promise((r) => child.once('exit', r))
}

describe('apply lock race', () => {
  let racers: ChildProcessWithoutNullStreams[] = []
  let answers: Array<AsyncIterator<string>> = []
  let dir: string

  beforeAll(async () => {
    if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`pnpm build\` first`)
    dir = await mkdtemp(join(tmpdir(), 'anklume-lock-race-'))
    racers = Array.from({ length: PROCESSES }, () =>
      spawn(process.execPath, ['--input-type=module', '-e', RACER], {
        env: { ...process.env, LOCK_DIST: DIST },
      }),
    )
    answers = racers.map((r) => createInterface({ input: r.stdout })[Symbol.asyncIterator]())
  })

  afterAll(async () => {
    for (const r of racers) r.kill()
    await rm(dir, { recursive: true, force: true })
  })

  it(`${PROCESSES} processes × ${TRIALS} trials, half after a killed holder: never two holders`, async () => {
    const holders: number[] = []
    let doubles = 0
    for (let t = 0; t < TRIALS; t++) {
      const key = `race-${randomBytes(6).toString('hex')}`
      if (t % 2 === 1) await killedHolder(key)
      const line = `${JSON.stringify([key, join(dir, `inside-${t}`)])}\n`
      for (const r of racers) r.stdin.write(line)
      const replies = await Promise.all(
        answers.map(async (a) => JSON.parse((await a.next()).value as string)),
      )
      holders.push(replies.reduce((n, r) => n + r.got, 0))
      doubles += replies.reduce((n, r) => n + r.double, 0)
    }
    expect(doubles).toBe(0)
    expect(holders.filter((h) => h < 1)).toEqual([])
  })
})
