import { generateRuleset } from '@anklume/nftables'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { asListing, auxInfra } from '../testing/infra.test-util.js'
import { describeTable, readIsolation } from './table-state.js'

let fake: FakeIncus
beforeEach(async () => {
  fake = await fakeIncus()
})
afterEach(() => fake.close())

const infra = auxInfra(false)
const generated = generateRuleset(infra, { level: 1 }).json

describe('readIsolation and describeTable', () => {
  it('tells a loaded, a missing and a different table apart', async () => {
    const read = (live: typeof generated | undefined) =>
      readIsolation(
        fake.client,
        infra,
        { networks: [] },
        { level: 1, list: async () => live && asListing(live) },
      )
    const same = await read(generated)
    expect(same.state).toEqual({ status: 'same', table: 'anklume_lab', warnings: [] })
    expect(same.input?.desired.bridges).toEqual(['net-front', 'net-back'])
    expect(describeTable(same.state)).toBe('isolation: table inet anklume_lab loaded')
    const missing = await read(undefined)
    expect(describeTable(missing.state)).toBe(
      'isolation: table inet anklume_lab missing (run: anklume apply)',
    )
    const fewer = { nftables: generated.nftables.filter((c) => !JSON.stringify(c).includes('"rule"')) }
    const differs = await read(fewer)
    expect(differs.state.status).toBe('differs')
    expect(describeTable(differs.state)).toMatch(
      /^isolation: table inet anklume_lab differs from the infra file: \d+ ruleset lines differ \(run: anklume apply\)$/,
    )
  })

  it('says why a table could not be checked, without reading it under another firewall driver', async () => {
    let listed = 0
    const list = async () => {
      listed++
      return undefined
    }
    const { client } = fake
    const xtables = {
      ...client,
      server: async () => ({ environment: { firewall: 'xtables' } }),
    } as typeof client
    const res = await readIsolation(xtables, infra, { networks: [] }, { level: 1, list })
    expect(res.input).toBeUndefined()
    expect(listed).toBe(0)
    expect(res.state).toMatchObject({ status: 'unknown', error: { code: 'ANKLUME_NFT_FIREWALL_DRIVER' } })
    expect(describeTable(res.state)).toMatch(
      /^isolation: table inet anklume_lab not checked: Incus uses the "xtables"/,
    )
  })
})
