/**
 * Property: every table name the infra schema validates gives a text ruleset
 * that the real `nft -c` (throwaway netns) accepts. Candidates mix names built
 * from the validation pattern, nft keywords (which nft cannot read as a table
 * name, quoted or not) and random strings; only the validated ones are loaded,
 * all of them in one `nft -c` run.
 */
import { loadFromString, NFT_TABLE_RE } from '@anklume/schema'
import { makeInfra, nftCheck } from '@anklume/test-utils'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateRuleset } from './generate.js'

const KEYWORDS = ['dup', 'ct', 'reject', 'counter', 'meta', 'ip', 'inet', 'table', 'chain', 'drop', 'fwd']

const candidate = fc.oneof(
  fc.stringMatching(NFT_TABLE_RE),
  fc
    .constantFrom(...KEYWORDS)
    .chain((k) => fc.constantFrom(k, `anklume${k}`, `anklume_${k}`, `${k}_anklume`)),
  fc.string({ maxLength: 20 }),
)

function validates(table: string): boolean {
  const text = `project_name: p\nglobal:\n  isolation:\n    table: ${JSON.stringify(table)}\ndomains: {}\n`
  return loadFromString(text, 'infra.yml').ok
}

describe('isolation.table names', () => {
  it('every name the schema validates loads in nft -c; nft keywords never validate', () => {
    const names = fc.sample(candidate, { numRuns: 400, seed: 13 })
    const valid = [...new Set(names.filter(validates))]
    expect(valid.length).toBeGreaterThan(100)
    for (const k of KEYWORDS) expect(validates(k)).toBe(false)
    const text = valid
      .map((table) => generateRuleset(makeInfra({ domains: [{ name: 'lab', id: 5 }], table })).text)
      .join('\n')
    const r = nftCheck(text)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })
})
