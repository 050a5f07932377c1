/**
 * `anklume … | head` closes stdout early: the CLI must not crash with an
 * EPIPE stack trace; it finishes and exits with its own code. Runs the built
 * CLI (`pnpm build` first) with a reader that goes away after the first chunk,
 * for every command: the ones that change nothing (or only a temporary
 * directory) for real, against the daemon where they need it; the others
 * (apply, flush, destroy, pause, resume, disp, images, import, nft
 * apply/install) with --help.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WORKSTATION_DIR } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
let dir: string
let big: string
let small: string

/** Runs the CLI to the end (stdout read whole): its usual exit code. */
function runWhole(args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'ignore'] })
    child.stdout.resume()
    child.on('close', (code) => resolve(code))
  })
}

/** Runs the CLI, closes its stdout after the first chunk, returns exit code and stderr. */
function runClosingStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (c) => {
      stderr += c
    })
    child.stdout.once('data', () => child.stdout.destroy())
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` first`)
  dir = await mkdtemp(join(tmpdir(), 'anklume-pipe-'))
  let y = 'project_name: pipe\nglobal:\n  base_subnet: "10.230"\ndomains:\n'
  for (let d = 1; d <= 150; d++) {
    y += `  d${d}:\n    subnet_id: ${d}\n    machines:\n`
    for (let m = 1; m <= 6; m++) y += `      d${d}-m${m}: { ip: "10.230.${d}.${m + 10}" }\n`
  }
  big = join(dir, 'big.yml')
  await writeFile(big, y)
  small = join(dir, 'small.yml')
  await writeFile(
    small,
    'project_name: pipe\nglobal:\n  base_subnet: "10.230"\ndomains:\n  d1:\n    subnet_id: 1\n    machines:\n      d1-m1: {}\n',
  )
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('a reader that closes the pipe early', () => {
  it('plan --offline of a big file: no EPIPE crash, its own exit code', async () => {
    const r = await runClosingStdout(['plan', '--offline', '-f', big])
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at .*\(node:/)
    expect(r.code).toBe(0)
    const d = await runClosingStdout(['plan', '--offline', '--detailed-exitcode', '-f', big])
    expect(d.stderr).not.toMatch(/EPIPE|Unhandled/)
    expect(d.code).toBe(2)
  })

  it('every command: no stack trace, the exit code it has when its output is read whole', async () => {
    // Big outputs where the command prints a lot; a small file where it mostly talks to Incus.
    const cases: string[][] = [
      ['--version'],
      ['--help'],
      ['validate', '-f', big, '--json'],
      ['plan', '--offline', '-f', big, '--json'],
      ['status', '-f', small],
      ['resources', '-f', big, '--cpus', '8', '--memory', '32GiB'],
      ['sync', '-f', big, '-d', join(dir, 'tree'), '--dry-run'],
      ['migrate', WORKSTATION_DIR],
      ['graph', '-f', big],
      ['nft', '-f', big],
      ['nft', 'diff', '-f', small],
      ['snapshot', 'list', '--all', '--json'],
      ['doctor', '-f', small],
      ['flush', '-f', small, '--dry-run'],
      ['schema'],
      ['completion', 'bash'],
      ['init', join(dir, 'init-a')],
      // What changes Incus or needs images: their help.
      ...['apply', 'destroy', 'pause', 'resume', 'disp', 'import', 'images', 'snapshot'].map((c) => [
        c,
        '--help',
      ]),
      ['nft', 'install', '--help'],
    ]
    for (const args of cases) {
      // Both at once (two cores): the whole run gives the usual exit code.
      const [usual, r] = await Promise.all([
        runWhole(args[0] === 'init' ? ['init', join(dir, 'init-b')] : args),
        runClosingStdout(args),
      ])
      const what = args.join(' ')
      expect(r.stderr, what).not.toMatch(/EPIPE|Unhandled|^\s+at /m)
      expect(r.code, what).toBe(usual)
    }
  })
})
