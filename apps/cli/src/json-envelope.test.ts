/** `--json`: the same envelope for every command, on success and on failure, on stdout. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CORPUS_DIR } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.test-util.js'

const FILE = `${CORPUS_DIR}anklume-ansible/developer.yml`
const NO_DAEMON = ['--socket', '/nonexistent/incus.sock']
let dir: string
let bad: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anklume-json-'))
  bad = join(dir, 'bad.yml')
  await writeFile(bad, 'project_name: x\nglobal:\n  base_subnet: "10.1\ndomains: {}\n')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

/** Runs the CLI and parses its stdout as one envelope. */
async function envelope(...args: string[]) {
  const r = await runCli(...args)
  const env = JSON.parse(r.out) as Record<string, unknown>
  expect(Object.keys(env)).toEqual(['format_version', 'command', 'ok', 'result', 'diagnostics'])
  expect(env.format_version).toBe(1)
  return { code: r.code, err: r.err, env }
}

describe('the --json envelope', () => {
  it('success: plan, validate, resources without a policy (an object, never text)', async () => {
    const plan = await envelope('plan', '--offline', '-f', FILE, '--json')
    expect(plan.code).toBe(0)
    expect(plan.env).toMatchObject({ command: 'plan', ok: true, diagnostics: [] })
    expect((plan.env.result as { actions: unknown[] }).actions.length).toBeGreaterThan(0)

    const pending = await envelope('plan', '--offline', '-f', FILE, '--json', '--detailed-exitcode')
    expect([pending.code, pending.env.ok]).toEqual([2, true])

    const valid = await envelope('validate', '-f', FILE, '--json')
    expect(valid.env).toMatchObject({ command: 'validate', ok: true, result: { valid: true } })

    const res = await envelope('resources', '-f', FILE, '--json')
    expect(res.env).toMatchObject({ command: 'resources', ok: true, result: { policy: false, rows: [] } })
  })

  it('an invalid file: ok false, each issue a diagnostic with file, line, col and hint', async () => {
    for (const args of [
      ['validate', '-f', bad, '--json'],
      ['plan', '--offline', '-f', bad, '--json'],
    ]) {
      const r = await envelope(...args)
      expect(r.code).toBe(2)
      expect(r.env).toMatchObject({ command: args[0], ok: false })
      expect(r.env.diagnostics).toEqual([
        {
          code: 'YAML_SYNTAX',
          severity: 'error',
          message: 'this double quote is never closed',
          hint: 'end the value with " on the same line, e.g. key: "value"',
          file: bad,
          line: 3,
          col: 16,
        },
      ])
    }
  })

  it('failures: a usage error, a bad option value, no daemon — all on stdout, ok false', async () => {
    const unknown = await envelope('status', '--json', '--bogus')
    expect(unknown.code).toBe(2)
    expect(unknown.env).toMatchObject({
      command: 'status',
      ok: false,
      result: null,
      diagnostics: [{ code: 'ANKLUME_USAGE', severity: 'error', message: "unknown option '--bogus'" }],
    })
    const sub = await envelope('snapshot', 'list', '--json', '--domain')
    expect(sub.env).toMatchObject({ command: 'snapshot list', ok: false })

    const domain = await envelope('plan', '--offline', '-f', FILE, '--json', '--domain', 'nope')
    expect(domain.env.diagnostics).toEqual([
      expect.objectContaining({ code: 'ANKLUME_USAGE', hint: expect.stringContaining('anklume, dev-test') }),
    ])

    const down = await envelope(...NO_DAEMON, 'status', '-f', FILE, '--json')
    expect(down.code).toBe(1)
    expect(down.env).toMatchObject({ command: 'status', ok: false, result: null })
    expect((down.env.diagnostics as Array<{ code: string }>)[0]?.code).toMatch(/^INCUS_|^E[A-Z]+/)
    expect(down.err).toMatch(/^error \[/) // the one-line text stays on stderr for people
  })

  it('--help is not wrapped', async () => {
    const r = await runCli('status', '--help', '--json')
    expect(r.code).toBe(0)
    expect(r.out).toContain('Usage: anklume status')
  })
})

describe('warnings of the infra file under --json', () => {
  it('are diagnostics of the envelope, not text on stderr', async () => {
    const file = `${CORPUS_DIR}anklume-poc/examples-llm-supervisor.yml`
    const r = await envelope('plan', '--offline', '-f', file, '--json')
    expect(r.code).toBe(0)
    expect(r.env.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'GPU_SHARED', severity: 'warning' }),
    )
    expect(r.err).not.toContain('GPU_SHARED')
  })
})
