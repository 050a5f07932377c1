/** `anklume validate` and `anklume schema`, run in-process through the real program. */
import { CORPUS_DIR } from '@anklume/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../src/run-cli.test-util.js'

const CORPUS = CORPUS_DIR

const run = runCli

afterEach(() => {
  process.exitCode = undefined
})

describe('anklume validate', () => {
  it('a corpus file is valid: exit 0', async () => {
    const r = await run('validate', '-f', `${CORPUS}anklume-ansible/developer.yml`)
    expect(r.code).toBe(0)
    expect(r.out).toBe(`valid: ${CORPUS}anklume-ansible/developer.yml\n`)
  })

  it('an invalid file: exit 2 with file:line:col messages', async () => {
    const file = `${CORPUS}expected-invalid/live-os.yml`
    const r = await run('validate', '-f', file)
    expect(r.code).toBe(2)
    expect(r.out).toMatch(/^invalid: \d+ errors\n$/)
    expect(r.err).toContain(`${file}:19:1  project_name  missing required key "project_name"`)
    expect(r.err).toContain(`${file}:19:1  live_os  unknown key "live_os"`)
  })

  it('--json prints the issues', async () => {
    const r = await run('validate', '-f', `${CORPUS}anklume-poc/examples-llm-supervisor.yml`, '--json')
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out) as {
      command: string
      ok: boolean
      result: { valid: boolean; errors: number; warnings: number }
      diagnostics: Array<{ code: string; severity: string }>
    }
    expect(json).toMatchObject({
      command: 'validate',
      ok: true,
      result: { valid: true, errors: 0, warnings: 1 },
    })
    expect(json.diagnostics[0]).toMatchObject({ code: 'GPU_SHARED', severity: 'warning' })
  })

  it('a missing file: exit 2', async () => {
    const r = await run('validate', '-f', '/nonexistent/infra.yml')
    expect(r.code).toBe(2)
    expect(r.err).toContain('/nonexistent/infra.yml  no such file or directory')
  })
})

describe('anklume schema', () => {
  it('prints the JSON Schema', async () => {
    const r = await run('schema')
    expect(r.code).toBe(0)
    const schema = JSON.parse(r.out) as { required: string[]; properties: Record<string, unknown> }
    expect(schema.required).toEqual(['project_name', 'global', 'domains'])
    expect(Object.keys(schema.properties)).toContain('network_policies')
  })
})
