import { describe, expect, it } from 'vitest'
import { infraJsonSchema } from './json-schema.js'
import { loadFromString } from './load.js'

const file = (domain: string, machine: string) => `project_name: lab
global: { base_subnet: "10.100" }
domains:
  pro:
    subnet_id: 1
${domain}
    machines:
      pro-a:
${machine}
      pro-b: {}
`

describe('placement (Incus cluster)', () => {
  it('a machine inherits the placement of its domain and may override it', () => {
    const r = loadFromString(file('    placement: node1', '        placement: "@gpu"'), 'infra.yml')
    expect(r.ok).toBe(true)
    const d = r.infra?.domains[0]
    expect(d?.placement).toBe('node1')
    expect(d?.machines.map((m) => [m.name, m.placement])).toEqual([
      ['pro-a', '@gpu'],
      ['pro-b', 'node1'],
    ])
  })

  it('is optional: files without it validate as before', () => {
    const r = loadFromString(file('', '        ip: 10.100.1.10'), 'infra.yml')
    expect(r.ok).toBe(true)
    expect(r.infra?.domains[0]?.machines[0]?.placement).toBeUndefined()
  })

  it('a bad value names the file, line and key', () => {
    const r = loadFromString(file('', '        placement: "two words"'), 'infra.yml')
    expect(r.ok).toBe(false)
    expect(r.issues[0]).toMatchObject({
      file: 'infra.yml',
      line: 9,
      path: 'domains.pro.machines.pro-a.placement',
      code: 'INVALID_PLACEMENT',
    })
  })

  it('is in the JSON Schema', () => {
    const schema = JSON.stringify(infraJsonSchema())
    expect(schema).toContain('"placement"')
  })
})
