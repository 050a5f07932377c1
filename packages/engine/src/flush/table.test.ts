import { generateRuleset } from '@anklume/nftables'
import type { ObservedState } from '@anklume/planner'
import { makeDomain, makeGlobal, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { describePlan } from './execute.js'
import { planFlush } from './plan.js'
import { tableVerdict } from './table.js'

const listing = (project: string, table: string, legacy = false) => {
  const r = generateRuleset(
    makeInfra(
      [makeDomain(`${project}1`, 1)],
      makeGlobal({ isolation: { table, egress: true, networkAcls: false } }),
      project,
    ),
  )
  const text = JSON.stringify({ nftables: r.json.nftables.flatMap((c) => (c.add ? [c.add] : [])) })
  return JSON.parse(
    legacy ? text.replace(/bridges of the domains of project \w+/, 'bridges of all domains') : text,
  )
}
const networks = [
  { name: 'net-b1', config: { 'user.anklume.managed': 'true', 'user.anklume.project': 'b' } },
] as unknown as ObservedState['networks']

describe('the table a flush may delete', () => {
  it('deletes its own table, keeps another infra one', () => {
    expect(tableVerdict('anklume_a', listing('a', 'anklume_a'), { projectName: 'a' })).toEqual({
      name: 'anklume_a',
    })
    expect(tableVerdict('anklume_b', listing('b', 'anklume_b'), { projectName: 'a' })).toEqual({
      name: 'anklume_b',
      kept: 'it isolates the domains of project b, another infra',
    })
    // Without an infra file every anklume object is in scope: so is the table.
    expect(tableVerdict('anklume_b', listing('b', 'anklume_b'), {})).toEqual({ name: 'anklume_b' })
  })

  it('keeps an unmarked table of an earlier anklume while it holds another infra bridge', () => {
    const old = listing('b', 'anklume', true)
    expect(tableVerdict('anklume', old, { projectName: 'a' }, networks)).toEqual({
      name: 'anklume',
      kept: 'a table of an earlier anklume that still isolates net-b1 of project b',
    })
    expect(tableVerdict('anklume', old, { projectName: 'b' }, networks)).toEqual({ name: 'anklume' })
    expect(tableVerdict('anklume', old, { projectName: 'a' }, [])).toEqual({ name: 'anklume' })
  })

  it('shows a kept table in the flush preview with its reason', () => {
    const plan = planFlush(
      { projects: [], networks: [], profiles: [], instances: [], volumes: {}, images: [] },
      {},
    )
    expect(
      describePlan(plan, { name: 'anklume_b', kept: 'it isolates the domains of project b, another infra' }),
    ).toEqual([
      {
        kind: 'nft-table',
        name: 'inet anklume_b',
        status: 'kept',
        reason: 'kept: it isolates the domains of project b, another infra',
      },
    ])
    expect(describePlan(plan, 'anklume_a')).toEqual([
      { kind: 'nft-table', name: 'inet anklume_a', status: 'would-delete' },
    ])
    // Without an infra file: every anklume table on the host.
    expect(describePlan(plan, [{ name: 'anklume' }, { name: 'anklume_a' }]).map((i) => i.name)).toEqual([
      'inet anklume',
      'inet anklume_a',
    ])
    expect(describePlan(plan, [])).toEqual([])
  })
})
