import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NFT_TABLE_RE } from './formats.js'
import { defaultIsolationTable } from './isolation-table.js'
import { loadFromString } from './load.js'

describe('the default isolation table', () => {
  it('is one table per infra, named after project_name', () => {
    expect(defaultIsolationTable('lab')).toBe('anklume_lab')
    expect(defaultIsolationTable('Work-lab.2 é')).toBe('anklume_work_lab_2_e')
    expect(defaultIsolationTable('---')).toBe('anklume_infra')
    expect(defaultIsolationTable('x'.repeat(100))).toHaveLength(64)
  })

  it('always matches the table-name rule of global.isolation.table', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (name) => {
        expect(defaultIsolationTable(name)).toMatch(NFT_TABLE_RE)
      }),
      { numRuns: 500 },
    )
  })

  it('is what a loaded infra uses unless global.isolation.table names one', () => {
    const load = (global: string) => {
      const r = loadFromString(`project_name: my-lab\nglobal: ${global}\ndomains: {}\n`, 'infra.yml')
      if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'))
      return r.infra.global.isolation.table
    }
    expect(load('{}')).toBe('anklume_my_lab')
    expect(load('{ isolation: { table: anklume } }')).toBe('anklume')
  })
})
