/**
 * Whole-process timing, as a user timing a command from the shell sees it:
 * wall time from spawn to exit, CPU time (user + system) and peak RSS of the
 * process, read with wait4(2) by a small python3 wrapper (microsecond CPU
 * times). Without python3, only the wall time (measured here) is reported.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

const PY = spawnSync('python3', ['-c', 'import os; os.wait4'], { stdio: 'ignore' }).status === 0
const WAIT4 = `
import json, os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
t = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t
json.dump({"ms": wall * 1000, "cpuMs": (ru.ru_utime + ru.ru_stime) * 1000, "rssKiB": ru.ru_maxrss}, open(out, "w"))
sys.exit(os.waitstatus_to_exitcode(status))
`
const scratch = mkdtempSync(join(tmpdir(), 'anklume-bench-'))
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }))

/**
 * Runs `cmd args` once; throws when it exits non-zero (unless opts.allowFail).
 * A run refused with ANKLUME_LOCKED (another anklume run, e.g. another
 * user of the same daemon, holds the apply lock) is not timed: it waits a
 * second and runs again.
 */
export function timeProcess(cmd, args, opts = {}) {
  for (let i = 0; ; i++) {
    const r = timeOnce(cmd, args, { ...opts, allowFail: true })
    if (r.status !== 0 && r.stderr?.includes('ANKLUME_LOCKED') && i < 600) {
      spawnSync('sleep', ['1'])
      continue
    }
    if (r.status !== 0 && !opts.allowFail)
      throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr?.slice(-2000)}`)
    return r
  }
}

function timeOnce(cmd, args, opts) {
  const out = join(scratch, 'time.txt')
  const [file, argv] = PY ? ['python3', ['-c', WAIT4, out, cmd, ...args]] : [cmd, args]
  const t0 = performance.now()
  const r = spawnSync(file, argv, {
    encoding: 'utf8',
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    maxBuffer: 64 << 20,
  })
  let ms = performance.now() - t0
  if (r.status !== 0 && !opts.allowFail)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr?.slice(-2000)}`)
  let cpuMs
  let rssMiB
  if (PY) {
    const m = JSON.parse(readFileSync(out, 'utf8'))
    ms = m.ms
    cpuMs = m.cpuMs
    rssMiB = m.rssKiB / 1024
  }
  return { ms, cpuMs, rssMiB, status: r.status, stdout: r.stdout, stderr: r.stderr }
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const n = s.length
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}

/** "median (min–max)" of a list of milliseconds, in ms or s. */
export function spread(xs, unit = 'ms') {
  const f = unit === 's' ? (v) => (v / 1000).toFixed(2) : (v) => v.toFixed(0)
  return `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`
}

/**
 * Interleaved rounds: every case once per round, `rounds` rounds, so that a
 * noisy neighbour slows every case alike. `cases` is { label: () => result }.
 */
export function interleave(cases, rounds) {
  const res = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
  for (let r = 0; r < rounds; r++) for (const [k, f] of Object.entries(cases)) res[k].push(f())
  return res
}

export const hasRusage = PY
