/** Bad option values are invalid input (exit 2) that say what is valid, before anything runs. */
import { CORPUS_DIR } from '@anklume/test-utils'
import { describe, expect, it } from 'vitest'
import { runCli } from './run-cli.test-util.js'

const FILE = `${CORPUS_DIR}anklume-ansible/developer.yml`

describe('unknown --domain', () => {
  it('plan: exit 2 listing the domains (3 with --detailed-exitcode), never "No changes"', async () => {
    const r = await runCli('plan', '--offline', '-f', FILE, '--domain', 'nope')
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err).toContain('unknown domain "nope" (--domain)')
    expect(r.err).toContain(`hint: the domains of ${FILE}: anklume, dev-test`)
    const d = await runCli(
      'plan',
      '--offline',
      '-f',
      FILE,
      '--domain',
      'dev-test,nope',
      '--detailed-exitcode',
    )
    expect(d.code).toBe(3)
    expect(d.err).toContain('unknown domain "nope"')
    const ok = await runCli('plan', '--offline', '-f', FILE, '--domain', 'dev-test')
    expect(ok.code, ok.err).toBe(0)
  })

  it('apply: exit 2 before connecting to Incus', async () => {
    const r = await runCli('--socket', '/nonexistent.sock', 'apply', '--yes', '-f', FILE, '--domain', 'nope')
    expect(r.code).toBe(2)
    expect(r.err).toContain('unknown domain "nope" (--domain)')
  })
})

describe('numeric options out of range', () => {
  it.each([
    [
      ['apply', '--yes', '-f', FILE, '--concurrency', '0'],
      '--concurrency must be a whole number from 1 to 64, got "0"',
    ],
    [['apply', '--yes', '-f', FILE, '--concurrency', '65'], 'from 1 to 64, got "65"'],
    [['apply', '--yes', '-f', FILE, '--concurrency', '3x'], 'from 1 to 64, got "3x"'],
    [['images', 'pull', '-f', FILE, '--concurrency', '-2'], 'from 1 to 64, got "-2"'],
    [['--timeout', '0', 'validate', '-f', FILE], 'more than 0 and at most 86400, got "0"'],
    [['--timeout', 'soon', 'plan', '--offline', '-f', FILE], 'got "soon"'],
    [['--timeout', '100000', 'status', '-f', FILE], 'at most 86400, got "100000"'],
    [
      ['resources', '-f', FILE, '--cpus', '0', '--memory', '1GiB'],
      '--cpus must be a whole number from 1 to 65536',
    ],
    [['resources', '-f', FILE, '--cpus', '2', '--memory', '0'], '--memory must be more than 0'],
  ])('%j: exit 2, the valid range', async (args, message) => {
    const r = await runCli('--socket', '/nonexistent.sock', ...args)
    expect(r.code, r.err).toBe(2)
    expect(r.err).toContain(message)
  })
})
