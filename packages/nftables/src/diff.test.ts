import { makeInfra, type PolicySpec } from '@anklume/test-utils'
import { describe, expect, it } from 'vitest'
import { diffRulesets, rulesetLines } from './diff.js'
import { generateRuleset } from './generate.js'

const build = (policies: PolicySpec[], egress = true) =>
  generateRuleset(
    makeInfra({
      domains: [
        { name: 'a', id: 1, machines: { web: 5 } },
        { name: 'b', id: 2 },
      ],
      policies,
      egress,
    }),
  ).json

describe('diffRulesets', () => {
  it('shows exactly the elements a new policy adds, and nothing for an unchanged table', () => {
    const before = build([{ from: 'a', to: 'b', ports: [80] }])
    const after = build([
      { from: 'a', to: 'b', ports: [80] },
      { from: 'b', to: 'web', ports: [443], description: 'b to web' },
    ])
    expect(diffRulesets(before, before)).toEqual({ added: [], removed: [], reordered: false, same: true })
    expect(diffRulesets(before, after)).toEqual({
      added: ['element allowed_d2m_ports { "net-b" . "net-a" . 10.100.1.5 . tcp . 443 comment "b to web" }'],
      removed: [],
      reordered: false,
      same: false,
    })
    expect(diffRulesets(after, before).removed).toHaveLength(1)
  })

  it('lists rule changes in readable form, and everything as added when the table is missing', () => {
    const d = diffRulesets(build([], true), build([], false))
    expect(d.added).toEqual([
      'rule forward: iifname @domain_bridges counter drop comment "egress disabled: domain to outside"',
      'rule forward: oifname @domain_bridges counter drop comment "egress disabled: outside to domain"',
    ])
    const all = diffRulesets(undefined, build([]))
    expect(all.added).toEqual(rulesetLines(build([])))
    expect(all.added).toContain('chain input { type filter hook input priority -10; policy accept; }')
    expect(all.added).toContain('rule input: iifname != @domain_bridges accept')
  })
})
