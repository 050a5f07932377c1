import type { DesiredAcl, DesiredZone } from '@anklume/planner'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { act, ctxOf } from '../testing/actions.test-util.js'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { runAction } from './handlers.js'

let fake: FakeIncus
beforeEach(async () => {
  fake = await fakeIncus()
})
afterEach(() => fake.close())

const labels = { 'user.anklume.managed': 'true', 'user.anklume.project': 'lab' }
const rule = {
  action: 'allow',
  source: '10.100.3.0/24',
  destination: '10.100.2.10',
  state: 'enabled',
} as const
const acl = (ingress: DesiredAcl['ingress']): DesiredAcl => ({
  name: 'acl-net-a',
  description: 'isolation of net-a',
  config: labels,
  ingress,
  egress: [],
})
const zone: DesiredZone = { name: 'a.lab', domain: 'a', description: 'forward DNS', config: labels }

describe('ACL and zone handlers', () => {
  it('create an ACL and a zone from their desired objects', async () => {
    await runAction(ctxOf(fake), act({ kind: 'acl', op: 'create', name: 'acl-net-a', desired: acl([rule]) }))
    await runAction(ctxOf(fake), act({ kind: 'zone', op: 'create', name: 'a.lab', desired: zone }))
    expect(fake.get('network-acls/acl-net-a')).toMatchObject({
      description: 'isolation of net-a',
      ingress: [rule],
    })
    expect(fake.get('network-zones/a.lab')).toMatchObject({ description: 'forward DNS', config: labels })
    expect(fake.get('network-zones/a.lab')).not.toHaveProperty('domain')
  })

  it('update an ACL with its ETag: the desired rules replace the old ones', async () => {
    fake.seed('network-acls/acl-net-a', { ...acl([]), ingress: [{ action: 'drop' }] })
    await runAction(ctxOf(fake), act({ kind: 'acl', op: 'update', name: 'acl-net-a', desired: acl([rule]) }))
    expect(fake.get('network-acls/acl-net-a')?.ingress).toEqual([rule])
    expect(fake.daemon.seen.filter((s) => s.includes('acl-net-a'))).toEqual([
      'GET /1.0/network-acls/acl-net-a',
      'PUT /1.0/network-acls/acl-net-a',
    ])
  })

  it('refuse to overwrite a zone edited since it was read (If-Match)', async () => {
    fake.seed('network-zones/a.lab', { ...zone, description: 'old' })
    fake.fail('PUT', /^\/1\.0\/network-zones\/a\.lab$/, 412, 'ETag mismatch')
    await expect(
      runAction(ctxOf(fake), act({ kind: 'zone', op: 'update', name: 'a.lab', desired: zone })),
    ).rejects.toMatchObject({ code: 'INCUS_CONFLICT' })
  })

  it('delete ACLs and zones, an absent one included', async () => {
    fake.seed('network-acls/acl-old', { name: 'acl-old', config: labels })
    await runAction(ctxOf(fake), act({ kind: 'acl', op: 'delete', name: 'acl-old' }))
    await runAction(ctxOf(fake), act({ kind: 'zone', op: 'delete', name: 'gone.lab' }))
    expect(fake.get('network-acls/acl-old')).toBeUndefined()
  })

  it('load the isolation table with the context loader', async () => {
    const seen: string[] = []
    const desired = { table: 'anklume', text: 'table inet anklume {}', bridges: ['net-a'] }
    const loadTable = async (t: typeof desired) => void seen.push(t.text)
    await runAction(
      ctxOf(fake, { loadTable }),
      act({ kind: 'nft-table', op: 'create', name: 'anklume', desired }),
    )
    expect(seen).toEqual(['table inet anklume {}'])
    expect(fake.writes()).toEqual([])
  })
})
