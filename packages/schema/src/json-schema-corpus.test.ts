/**
 * The JSON Schema editors get and `validate` agree on the corpus: a JSON
 * Schema validator (ajv) and `loadFromString` give the same verdict per file
 * (the bridge-name length and the domain-name pattern are in the schema).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CORPUS_DIR } from '@anklume/test-utils'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { infraJsonSchema } from './json-schema.js'
import { loadFromString } from './load.js'

const files = ['anklume-ansible', 'anklume-poc', 'expected-invalid'].flatMap((dir) =>
  readdirSync(join(CORPUS_DIR, dir)).map((f) => join(dir, f)),
)
const ajv = new Ajv({ strict: false, allErrors: true })
const check = ajv.compile(infraJsonSchema())

describe('JSON Schema and validate agree on every corpus file', () => {
  it.each(files)('%s', (name) => {
    const text = readFileSync(join(CORPUS_DIR, name), 'utf8')
    const validate = loadFromString(text, name).ok
    const schema = check(parse(text)) as boolean
    expect({
      schema,
      errors: schema ? [] : check.errors?.map((e) => `${e.instancePath} ${e.message}`),
    }).toEqual(expect.objectContaining({ schema: validate }))
  })

  it('the two refused files are refused by the schema for their domain name', () => {
    expect(files).toHaveLength(26)
    const refused = files.filter((f) => !check(parse(readFileSync(join(CORPUS_DIR, f), 'utf8'))))
    expect(refused.sort()).toEqual([
      'anklume-ansible/sys-print.yml',
      'anklume-poc/labs-05-security-audit.yml',
      'expected-invalid/live-os.yml',
    ])
  })

  it('nesting_prefix: true leaves 4 characters fewer; reserved names are refused', () => {
    const infra = (name: string, prefix: boolean) => ({
      project_name: 'x',
      global: { base_subnet: '10.1', nesting_prefix: prefix },
      domains: { [name]: { subnet_id: 1 } },
    })
    expect([check(infra('abcdefghijk', false)), check(infra('abcdefghijkl', false))]).toEqual([true, false])
    expect([check(infra('abcdefg', true)), check(infra('abcdefgh', true))]).toEqual([true, false])
    for (const name of ['abcdefgh', 'abcdefghijk', 'abcdefghijkl'])
      expect(loadFromString(JSON.stringify(infra(name, true)), 'x.yml').ok, name).toBe(name.length <= 7)
    expect([check(infra('default', false)), check(infra('host', false)), check(infra('Pro', false))]).toEqual(
      [false, false, false],
    )
  })
})
