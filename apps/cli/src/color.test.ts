/** Colours: FORCE_COLOR and NO_COLOR honoured, --no-color wins; a YAML error shows its line and caret. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { colorWanted } from './helpers/shared.js'
import { runCli } from './run-cli.test-util.js'

let dir: string
let bad: string
const saved = { FORCE_COLOR: process.env.FORCE_COLOR, NO_COLOR: process.env.NO_COLOR }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anklume-color-'))
  bad = join(dir, 'infra.yml')
  await writeFile(bad, 'project_name: x\nglobal:\n  base_subnet: "10.1\ndomains: {}\n')
})
afterAll(() => rm(dir, { recursive: true, force: true }))
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
})

describe('colorWanted', () => {
  it('--no-color, then FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    delete process.env.FORCE_COLOR
    delete process.env.NO_COLOR
    expect([colorWanted(undefined, { isTTY: true }), colorWanted(undefined, {})]).toEqual([true, false])
    process.env.NO_COLOR = '1'
    expect(colorWanted(undefined, { isTTY: true })).toBe(false)
    process.env.FORCE_COLOR = '1'
    expect(colorWanted(undefined, {})).toBe(true)
    expect(colorWanted(false, { isTTY: true })).toBe(false)
    process.env.FORCE_COLOR = '0'
    delete process.env.NO_COLOR
    expect(colorWanted(undefined, { isTTY: true })).toBe(false)
  })
})

describe('a YAML syntax error on the command line', () => {
  it('validate: the right line, the source line and a caret; red with FORCE_COLOR', async () => {
    delete process.env.FORCE_COLOR
    const plain = await runCli('validate', '-f', bad)
    expect(plain.code).toBe(2)
    expect(plain.err).toBe(
      [
        `${bad}:3:16  this double quote is never closed`,
        '  3 |   base_subnet: "10.1',
        '    |                ^',
        '  hint: end the value with " on the same line, e.g. key: "value"',
        '',
      ].join('\n'),
    )
    process.env.FORCE_COLOR = '1'
    const red = await runCli('validate', '-f', bad)
    expect(red.err).toContain(`\u001b[31m${bad}:3:16`)
    const none = await runCli('--no-color', 'validate', '-f', bad)
    expect(none.err).not.toContain('\u001b')
  })

  it('plan: the error names the place and shows the line; red prefix with FORCE_COLOR', async () => {
    process.env.FORCE_COLOR = '1'
    const r = await runCli('plan', '--offline', '-f', bad)
    expect(r.code).toBe(2)
    expect(r.err).toContain('\u001b[1;31merror [ANKLUME_SCHEMA_INVALID]:\u001b[0m')
    expect(r.err).toContain(`${bad}:3:16  this double quote is never closed\n    3 |   base_subnet: "10.1\n`)
    expect(r.err).toContain('hint: end the value with "')
  })
})
