import { describe, expect, test } from 'vitest'
import { type AnyObj, baseInfra, FIXTURES } from '../test/helpers.js'
import { formatIssue, infraJsonSchema, loadOrThrow, SchemaError } from './index.js'
import type { Issue } from './types.js'

describe('formatIssue', () => {
  const base: Issue = {
    severity: 'error',
    code: 'UNKNOWN_KEY',
    path: 'domains.pro.machnes',
    message: 'unknown key "machnes"',
    file: 'infra.yml',
    line: 12,
    col: 5,
  }

  test('file:line:col  path  message, hint on its own line', () => {
    expect(formatIssue(base)).toBe('infra.yml:12:5  domains.pro.machnes  unknown key "machnes"')
    expect(formatIssue({ ...base, hint: 'did you mean "machines"?' })).toBe(
      'infra.yml:12:5  domains.pro.machnes  unknown key "machnes"\n  hint: did you mean "machines"?',
    )
  })

  test('warnings are prefixed; missing parts are left out', () => {
    expect(formatIssue({ ...base, severity: 'warning' })).toMatch(/^warning: infra.yml:12:5 {2}/)
    expect(
      formatIssue({ severity: 'error', code: 'FILE_NOT_FOUND', path: '', message: 'no infra.yml' }),
    ).toBe('no infra.yml')
  })
})

describe('loadOrThrow', () => {
  test('returns the Infra of a valid file', async () => {
    const infra = await loadOrThrow(`${FIXTURES}corpus/anklume-ansible/developer.yml`)
    expect(infra.projectName).toBe('anklume-dev')
  })

  test('throws SchemaError with code, issues and file:line:col in the message', async () => {
    const err = await loadOrThrow(`${FIXTURES}corpus/expected-invalid/live-os.yml`).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SchemaError)
    const e = err as SchemaError
    expect(e.code).toBe('ANKLUME_SCHEMA_INVALID')
    expect(e.issues.length).toBeGreaterThan(3)
    expect(e.message).toMatch(
      /^infra file is invalid \(\d+ errors\):\n {2}.*live-os\.yml:19:1 {2}project_name/,
    )
    expect(e.message).toContain('… and 1 more')
  })

  test('a missing file throws ANKLUME_FILE_NOT_FOUND', async () => {
    const err = (await loadOrThrow('does-not-exist.yml', { cwd: FIXTURES }).catch(
      (e: unknown) => e,
    )) as SchemaError
    expect(err.code).toBe('ANKLUME_FILE_NOT_FOUND')
  })
})

describe('JSON Schema', () => {
  const schema = infraJsonSchema() as AnyObj

  test('describes the raw format with required keys and no extra keys', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#')
    expect(schema.required).toEqual(['project_name', 'global', 'domains'])
    expect(schema.additionalProperties).toBe(false)
    expect(Object.keys(schema.properties)).toEqual([
      'project_name',
      'schema_version',
      'global',
      'domains',
      'network_policies',
      'shared_volumes',
    ])
  })

  test('machines carry their keys, defaults and name pattern', () => {
    const text = JSON.stringify(schema)
    for (const key of [
      'snapshots_schedule',
      'gpu_pci',
      'cloud_init',
      'incus_socket',
      'storage_volumes',
      'zone_step',
    ]) {
      expect(text).toContain(`"${key}"`)
    }
    expect(text).toContain('^[a-z0-9]([a-z0-9-]*[a-z0-9])?$')
    expect(schema.properties.global.properties.gpu_policy).toMatchObject({
      enum: ['exclusive', 'shared'],
      default: 'exclusive',
    })
  })

  test('is plain JSON and a valid infra example is consistent with it', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema)
    expect(Object.keys(baseInfra()).every((k) => k in schema.properties)).toBe(true)
  })
})
