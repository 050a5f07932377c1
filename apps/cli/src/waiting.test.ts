/** A slow daemon as the user sees it: the "waiting for Incus" line, --timeout, and the hint naming it. */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fakeIncusd } from '@anklume/test-utils'
import { describe, expect, it } from 'vitest'
import { runCli } from './run-cli.test-util.js'
import { timeoutMs, waitingLine } from './waiting.js'

function capture() {
  const lines: string[] = []
  const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream
  return { lines, stream }
}

describe('the waiting line', () => {
  it('names the request, the time waited and the limit, at most once per gap', () => {
    const { lines, stream } = capture()
    const notice = waitingLine(stream, 60_000)
    notice({ method: 'GET', path: '/1.0', waitedMs: 5020, timeoutMs: 300_000 })
    notice({ method: 'GET', path: '/1.0/instances', waitedMs: 5100, timeoutMs: 300_000 })
    expect(lines).toEqual([
      'waiting for Incus (5 s, GET /1.0): no answer yet, giving up after 300 s (--timeout)…\n',
    ])
  })

  it('reads --timeout as seconds', () => {
    expect([timeoutMs(undefined), timeoutMs('2.5'), timeoutMs('0'), timeoutMs('soon')]).toEqual([
      undefined,
      2500,
      Number.NaN,
      Number.NaN,
    ])
  })
})

describe('anklume against a socket that accepts and never answers', () => {
  it('prints the waiting line, gives up after --timeout, and the hint names --timeout', async () => {
    const daemon = await fakeIncusd(() => undefined)
    const dir = await mkdtemp(join(tmpdir(), 'anklume-wait-'))
    try {
      const started = Date.now()
      const run = await runCli(
        '--socket',
        daemon.socketPath,
        '--timeout',
        '6',
        'images',
        'export',
        '--all',
        dir,
      )
      const took = Date.now() - started
      expect(run.code).toBe(1)
      expect(run.err).toMatch(
        /^waiting for Incus \(5 s, GET \/1\.0[^)]*\): no answer yet, giving up after 6 s/m,
      )
      expect(run.err).toContain('error [INCUS_TIMEOUT]')
      expect(run.err).toMatch(/hint: .*--timeout <seconds>/)
      expect(took).toBeGreaterThanOrEqual(5500)
      expect(took).toBeLessThan(12_000)
    } finally {
      await daemon.close()
    }
  })

  it('plan and apply of an invalid file report it at once: the early connection is dropped, not waited for', async () => {
    const daemon = await fakeIncusd(() => undefined)
    const dir = await mkdtemp(join(tmpdir(), 'anklume-wait-'))
    const file = join(dir, 'infra.yml')
    await writeFile(file, 'project_name: x\ndomains:\n  a: { subnet_id: 1, bogus: 1 }\n')
    try {
      // Without the drop, each run would wait for GET /1.0 until --timeout (300 s): past the test's limit.
      for (const cmd of [['plan'], ['apply', '--yes']]) {
        const run = await runCli('--socket', daemon.socketPath, ...cmd, '-f', file)
        expect(run.code, cmd.join(' ')).toBe(2)
        expect(run.err).toContain('error [ANKLUME_SCHEMA_INVALID]')
        expect(run.err).not.toContain('waiting for Incus')
      }
    } finally {
      await daemon.close()
    }
  })

  it('refuses a --timeout that is not a positive number of seconds', async () => {
    const run = await runCli('--timeout', '0', 'images', 'export', '--all', tmpdir())
    expect(run.code).toBe(2)
    expect(run.err).toContain('--timeout must be a number of seconds, more than 0 and at most 86400, got "0"')
  })
})
