import { generateRuleset, isolationModel } from '@anklume/nftables'
import type { ObservedState } from '@anklume/planner'
import { makeDomain, makeGlobal, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { coexistence, isolationInputs } from './isolation.js'

const infraOf = (project: string, domains: string[], table: string) =>
  makeInfra(
    domains.map((d, i) => makeDomain(d, i + 1)),
    makeGlobal({ isolation: { table, egress: true, networkAcls: false } }),
    project,
  )
const A = infraOf('a', ['a1', 'a2'], 'anklume_a')
const B = infraOf('b', ['b1'], 'anklume_b')
const net = (name: string, project?: string) => ({
  name,
  config: project ? { 'user.anklume.managed': 'true', 'user.anklume.project': project } : {},
})
const observed = {
  networks: [net('net-a1', 'a'), net('net-b1', 'b'), net('incusbr0'), net('net-c1', 'c')],
} as unknown as ObservedState

/** A live listing (`nft -j list ruleset`) as the kernel would give for these generated tables. */
const live = (...tables: Array<{ json: { nftables: Array<Record<string, unknown>> } }>) => ({
  nftables: tables.flatMap((t) =>
    t.json.nftables.flatMap((c) => (c.add ? [c.add as Record<string, unknown>] : [])),
  ),
})

describe('isolationInputs', () => {
  it('returns the bridges labelled with another anklume project', () => {
    expect(isolationInputs(observed, A)).toEqual({
      foreignBridges: [
        { bridge: 'net-b1', project: 'b' },
        { bridge: 'net-c1', project: 'c' },
      ],
    })
  })
})

describe('coexistence', () => {
  const modelA = isolationModel(A, isolationInputs(observed, A))
  const tableB = generateRuleset(B, isolationInputs(observed, B))

  it('finds its own marked table and warns about the other infras, saying how they coexist', () => {
    const c = coexistence(live(generateRuleset(modelA), tableB), modelA)
    expect(c.marked).toBe(true)
    expect(c.live?.nftables.length).toBeGreaterThan(10)
    expect(c.replaces).toEqual([])
    expect(c.warnings).toEqual([
      {
        code: 'OTHER_INFRA_TABLES',
        message: expect.stringContaining(
          "inet anklume_b (project b). They coexist: each table isolates its own infra's domains, and inet anklume_a drops all traffic between this infra's domains and the 2 bridges of the other infras, both ways",
        ),
      },
    ])
    expect(coexistence(undefined, modelA)).toEqual({
      live: undefined,
      marked: false,
      replaces: [],
      warnings: [],
    })
  })

  it('refuses a table of its name that belongs to another infra', () => {
    const named = isolationModel(A, { table: 'anklume_b', ...isolationInputs(observed, A) })
    expect(() => coexistence(live(tableB), named)).toThrow(
      expect.objectContaining({
        code: 'ANKLUME_NFT_TABLE_OWNED',
        message: "table inet anklume_b isolates project b: it is not this infra's",
      }),
    )
  })

  it('replaces its unmarked legacy table, leaves one holding another infra bridges, refuses to take it', () => {
    const legacy = (r: ReturnType<typeof generateRuleset>) =>
      JSON.parse(
        JSON.stringify(r.json)
          .replaceAll(`"${r.model.table}"`, '"anklume"')
          .replace(/bridges of the domains of project \w+/, 'bridges of all domains'),
      ) as typeof r.json
    const oursLegacy = { json: legacy(generateRuleset(infraOf('a', ['a1', 'a2'], 'anklume_x'))) }
    const c = coexistence(live(oursLegacy), modelA)
    expect(c.replaces).toEqual(['anklume'])
    expect(c.warnings.map((w) => w.code)).toEqual(['TABLE_REPLACED'])
    expect(generateRuleset(modelA, { replaces: c.replaces }).text).toContain('delete table inet anklume\n')

    const theirsLegacy = { json: legacy(generateRuleset(B)) }
    const d = coexistence(live(theirsLegacy), modelA)
    expect(d.replaces).toEqual([])
    expect(d.warnings[0]?.message).toContain('inet anklume (unmarked, from an earlier anklume)')
    const sameName = isolationModel(A, { table: 'anklume', ...isolationInputs(observed, A) })
    expect(() => coexistence(live(theirsLegacy), sameName)).toThrow(
      'table inet anklume isolates bridges of another infra (net-b1, project b)',
    )
    // Unmarked and ours: taken over (and re-marked by the next load).
    expect(coexistence(live(oursLegacy), sameName)).toMatchObject({ marked: false, replaces: [] })
  })
})
