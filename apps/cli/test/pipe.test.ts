/**
 * `anklume … | head` closes stdout early: the CLI must not crash with an
 * EPIPE stack trace; it finishes and exits with its own code. Runs the built
 * CLI (`pnpm build` first) with a reader that goes away after the first chunk.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
let dir: string
let big: string

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

  it('--help of every command', async () => {
    for (const cmd of ['disp', 'apply', 'plan', 'flush', 'snapshot']) {
      const r = await runClosingStdout([cmd, '--help'])
      expect(r.stderr, cmd).not.toMatch(/EPIPE|Unhandled/)
      expect(r.code, cmd).toBe(0)
    }
  })
})
