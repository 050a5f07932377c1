import type { DesiredAcl, DesiredZone } from '@anklume/planner'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { act, ctxOf, nesting } from '../testing/actions.test-util.js'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { executePlan } from './execute.js'
import { runAction, serialKey } from './handlers.js'

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

  it('delete ACLs and zones one at a time (parallel ACL deletes are not reliable on Incus 6.0)', async () => {
    const names = ['acl-a', 'acl-b']
    for (const n of names) fake.seed(`network-acls/${n}`, { name: n, config: labels })
    fake.seed('network-zones/a.lab', { ...zone })
    const actions = [
      ...names.map((name) => act({ kind: 'acl', op: 'delete', name })),
      act({ kind: 'zone', op: 'delete', name: 'a.lab' }),
    ]
    expect(actions.map(serialKey)).toEqual(['acl-zone-delete', 'acl-zone-delete', 'acl-zone-delete'])
    let running = 0
    let most = 0
    const summary = { create: 0, update: 0, replace: 0, delete: 0, start: 0, restart: 0, rebuild: 0, move: 0 }
    const plan = { actions, skipped: [], warnings: [], summary: { ...summary, auxiliary: 3, isolation: 0 } }
    const result = await executePlan(fake.client, plan, {
      nesting,
      onEvent: (e) => {
        running += e.type === 'start' ? 1 : -1
        most = Math.max(most, running)
      },
    })
    expect(result.ok).toBe(true)
    expect(most).toBe(1)
    expect([...fake.objects.keys()].filter((k) => k.startsWith('network-'))).toEqual([])
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
