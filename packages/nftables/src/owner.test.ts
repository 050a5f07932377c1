import { makeInfra, nftCheck, nftLoadAndListRuleset } from '@anklume/test-utils'
import { describe, expect, it } from 'vitest'
import { compileRuleset, type Packet } from './evaluate.js'
import { generateRuleset } from './generate.js'
import { liveIsolationTables, ownerComment, ownerToken, tableOf } from './owner.js'

const infraA = {
  ...makeInfra({
    domains: [
      { name: 'a1', id: 1 },
      { name: 'a2', id: 2 },
    ],
    table: 'anklume_a',
  }),
  projectName: 'lab-a',
}
const foreign = [
  { bridge: 'net-b1', project: 'lab b' },
  { bridge: 'net-a1', project: 'confused' }, // one of our own bridges: never foreign
  { bridge: 'net-b0', project: 'lab b' },
  { bridge: 'net-b0', project: 'lab b' },
]

describe('foreign bridges and the owner marker', () => {
  it('puts other infras bridges in foreign_bridges (own bridges excluded) and drops both ways', () => {
    const r = generateRuleset(infraA, { foreignBridges: foreign })
    expect(r.model.foreignBridges).toEqual([
      { bridge: 'net-b0', project: 'lab b' },
      { bridge: 'net-b1', project: 'lab b' },
    ])
    expect(r.text).toContain('"net-b0" comment "project lab b",\n\t\t\t"net-b1" comment "project lab b"')
    expect(r.text).toContain(
      'iifname @domain_bridges oifname @foreign_bridges counter drop comment "to another anklume infra"',
    )
    expect(r.stats.rules).toBe(generateRuleset(infraA).stats.rules)
    expect(nftCheck(r.text)).toMatchObject({ status: 0, stderr: '' })
    expect(nftCheck(r.json)).toMatchObject({ status: 0, stderr: '' })
    const filter = compileRuleset(r.json)
    const pkt = (iif: string, oif: string, ct?: Packet['ct']): Packet => ({
      iifname: iif,
      oifname: oif,
      saddr: '10.100.1.1',
      daddr: '10.100.2.1',
      l4proto: 'tcp',
      dport: 80,
      ...(ct ? { ct } : {}),
    })
    expect(filter('forward', pkt('net-a1', 'net-b1'))).toBe('drop')
    expect(filter('forward', pkt('net-b0', 'net-a2', 'established'))).toBe('drop')
    expect(filter('forward', pkt('net-b0', 'net-b1'))).toBe('accept') // B's own business
    expect(filter('forward', pkt('net-a1', 'eth0'))).toBe('accept') // egress untouched
  })

  it('marks the owner so a live listing tells whose table it is', () => {
    expect(ownerToken('lab a/é')).toBe('lab%20a%2F%C3%A9')
    expect(ownerToken('lab_a')).not.toBe(ownerToken('lab a'))
    const a = generateRuleset(infraA, { foreignBridges: foreign })
    const b = generateRuleset(
      {
        ...makeInfra({ domains: [{ name: 'b1', id: 3 }], table: 'anklume_b' }),
        projectName: 'lab b',
      },
      { foreignBridges: [{ bridge: 'net-a1', project: 'lab-a' }] },
    )
    const legacy = a.text
      .replaceAll('anklume_a', 'anklume')
      .replace(ownerComment('lab-a'), 'bridges of all domains')
    const listed = nftLoadAndListRuleset(`${legacy}${a.text}${b.text}table inet other {\n}\n`)
    expect(listed.stderr).toBe('')
    const live = JSON.parse(listed.stdout) as { nftables: unknown[] }
    expect(liveIsolationTables(live)).toEqual([
      { name: 'anklume', owner: undefined, bridges: ['net-a1', 'net-a2'], foreign: ['net-b0', 'net-b1'] },
      { name: 'anklume_a', owner: 'lab-a', bridges: ['net-a1', 'net-a2'], foreign: ['net-b0', 'net-b1'] },
      { name: 'anklume_b', owner: 'lab%20b', bridges: ['net-b1'], foreign: ['net-a1'] },
    ])
    const own = tableOf(live, 'anklume_a')
    expect(own?.nftables.length).toBeGreaterThan(10)
    expect(tableOf(live, 'missing')).toBeUndefined()
  })

  it('replaces another table of the same infra in the same transaction', () => {
    const old = generateRuleset(infraA, { table: 'anklume' })
    const r = generateRuleset(infraA, { replaces: ['anklume', 'anklume_a'] })
    expect(r.text.split('\n').slice(2, 6)).toEqual([
      'table inet anklume',
      'delete table inet anklume',
      'table inet anklume_a',
      'delete table inet anklume_a',
    ])
    const after = nftLoadAndListRuleset(old.text + r.text)
    expect(after.stderr).toBe('')
    expect(liveIsolationTables(JSON.parse(after.stdout)).map((t) => t.name)).toEqual(['anklume_a'])
    expect(nftCheck(r.json)).toMatchObject({ status: 0, stderr: '' })
  })
})
