/**
 * Every real AnKLuMe infra file of the corpus (the schema package's copy)
 * yields a ruleset the kernel accepts, as text and as JSON, with the same
 * rule count as any other infra.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { load } from '@anklume/schema'
import { CORPUS_DIR, nftCheck } from '@anklume/test-utils'
import { describe, expect, it } from 'vitest'
import { generateRuleset } from './generate.js'

const CORPUS = CORPUS_DIR
const files = ['anklume-ansible', 'anklume-poc'].flatMap((dir) =>
  readdirSync(join(CORPUS, dir))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => join(dir, f)),
)

const loaded = await Promise.all(
  files.map(async (file) => ({ file, result: await load(join(CORPUS, file), { absoluteLevel: 1 }) })),
)
const valid = loaded.flatMap(({ file, result }) => (result.ok ? [{ file, infra: result.infra }] : []))

describe('the AnKLuMe corpus', () => {
  it('validates except where a bridge name would be longer than Linux allows', () => {
    expect(valid.length).toBeGreaterThan(20)
    const invalid = loaded.filter(({ result }) => !result.ok)
    const codes = invalid.flatMap(({ result }) =>
      result.issues.filter((i) => i.severity === 'error').map((i) => i.code),
    )
    expect(new Set(codes)).toEqual(new Set(invalid.length > 0 ? ['BRIDGE_NAME_TOO_LONG'] : []))
  })

  it.each(valid)('$file: generates a ruleset that nft -c accepts', ({ infra }) => {
    const r = generateRuleset(infra)
    expect(r.stats.rules).toBe(29)
    expect(r.model.domains.length).toBe(infra.domains.length)
    // Every policy either produced flows or is listed (with its reason) as needing no rule.
    expect(new Set(r.model.flows.map((f) => f.policy)).size + r.model.skipped.length).toBe(
      infra.networkPolicies.length,
    )
    expect(nftCheck(r.text)).toMatchObject({ status: 0, stderr: '' })
    expect(nftCheck(r.json)).toMatchObject({ status: 0, stderr: '' })
  })
})
