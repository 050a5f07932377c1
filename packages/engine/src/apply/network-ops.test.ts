import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { act, ctxOf, network } from '../testing/actions.test-util.js'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { runAction } from './handlers.js'
import { deleteNetwork } from './network-ops.js'

let fake: FakeIncus
beforeEach(async () => {
  fake = await fakeIncus()
})
afterEach(() => fake.close())

const VETH = 'Failed to delete bridge children interfaces: Device "veth1234" does not exist'
const NETWORKS = /^\/1\.0\/networks$/
const ONE = /^\/1\.0\/networks\/net-a$/
const SHORT = { pollMs: 5, waitMs: 50 }
const create = () => act({ kind: 'network', op: 'create', name: 'net-a', desired: network('net-a') })

describe('network create', () => {
  it('creates a bridge from its desired object', async () => {
    await runAction(ctxOf(fake), create())
    expect(fake.get('networks/net-a')).toMatchObject({
      type: 'bridge',
      description: 'bridge net-a',
      config: { 'ipv4.address': '10.100.2.254/24' },
    })
  })

  it('retries the veth race and creates the bridge', async () => {
    fake.fail('POST', NETWORKS, 500, VETH)
    await runAction(ctxOf(fake), create())
    expect(fake.writes()).toEqual(['POST /1.0/networks', 'POST /1.0/networks'])
    expect(fake.get('networks/net-a')).toBeDefined()
  })

  it('takes a failure that left the bridge made as success', async () => {
    fake.fail('POST', NETWORKS, 500, VETH, { after: () => fake.seed('networks/net-a', { name: 'net-a' }) })
    await runAction(ctxOf(fake), create())
    expect(fake.writes()).toEqual(['POST /1.0/networks'])
  })

  it('replaces a Pending record that stays Pending longer than any create takes', async () => {
    const pending = () => fake.seed('networks/net-a', { name: 'net-a', status: 'Pending' })
    fake.fail('POST', NETWORKS, 500, 'interrupted', { after: pending })
    await runAction(ctxOf(fake, { pendingBridge: SHORT }), create())
    expect(fake.writes()).toEqual(['POST /1.0/networks', 'DELETE /1.0/networks/net-a', 'POST /1.0/networks'])
    expect(fake.get('networks/net-a')?.status).toBeUndefined()
  })

  it('waits for a Pending bridge another request is still creating, and does not touch it', async () => {
    fake.seed('networks/net-a', { name: 'net-a', status: 'Pending', managed: true })
    setTimeout(() => fake.seed('networks/net-a', { name: 'net-a', status: 'Created', managed: true }), 60)
    await runAction(ctxOf(fake, { pendingBridge: { pollMs: 10, waitMs: 5000 } }), create())
    expect(fake.writes()).toEqual([])
    expect(fake.get('networks/net-a')?.status).toBe('Created')
  })

  it('creates the bridge when the Pending record it waited for goes away', async () => {
    fake.seed('networks/net-a', { name: 'net-a', status: 'Pending' })
    setTimeout(() => fake.objects.delete('networks/net-a'), 40)
    await runAction(ctxOf(fake, { pendingBridge: { pollMs: 10, waitMs: 5000 } }), create())
    expect(fake.writes()).toEqual(['POST /1.0/networks'])
  })

  it('never takes a host interface Incus does not manage for the bridge', async () => {
    fake.seed('networks/net-a', { name: 'net-a', managed: false, status: '' })
    await expect(runAction(ctxOf(fake), create())).rejects.toMatchObject({
      code: 'ANKLUME_UNMANAGED_INTERFACE',
      message: expect.stringContaining('a host interface named net-a exists'),
      hint: expect.stringContaining('sudo ip link delete net-a'),
    })
    expect(fake.writes()).toEqual([])
  })

  it('reports an interface that appeared during the create, instead of success', async () => {
    const bare = () => fake.seed('networks/net-a', { name: 'net-a', managed: false })
    fake.fail('POST', NETWORKS, 500, 'Network interface "net-a" already exists', { after: bare })
    await expect(runAction(ctxOf(fake), create())).rejects.toMatchObject({
      code: 'ANKLUME_UNMANAGED_INTERFACE',
    })
    expect(fake.writes()).toEqual(['POST /1.0/networks'])
  })

  it('refuses to take over a bridge that already existed', async () => {
    fake.seed('networks/net-a', { name: 'net-a', status: 'Created' })
    await expect(runAction(ctxOf(fake), create())).rejects.toMatchObject({
      code: 'INCUS_CONFLICT',
      status: 409,
    })
    expect(fake.writes()).toEqual(['POST /1.0/networks'])
  })

  it('runs the guard first and creates nothing when it refuses', async () => {
    const guard = () => Promise.reject(new Error('overlap'))
    await expect(runAction(ctxOf(fake, { beforeNetworkCreate: guard }), create())).rejects.toThrow('overlap')
    expect(fake.writes()).toEqual([])
  })
})

describe('network update and delete', () => {
  it('updates a bridge in place with its ETag', async () => {
    fake.seed('networks/net-a', { name: 'net-a', description: '', config: { 'ipv4.nat': 'true' } })
    const changes = [{ field: 'config' as const, key: 'ipv4.nat', from: 'true', to: 'false' }]
    await runAction(
      ctxOf(fake),
      act({ kind: 'network', op: 'update', name: 'net-a', desired: network('net-a'), changes }),
    )
    expect(fake.get('networks/net-a')?.config).toEqual({ 'ipv4.nat': 'false' })
  })

  it('retries a delete that hit the veth race', async () => {
    fake.seed('networks/net-a', { name: 'net-a' })
    fake.fail('DELETE', ONE, 500, VETH)
    await runAction(ctxOf(fake), act({ kind: 'network', op: 'delete', name: 'net-a' }))
    expect(fake.writes()).toEqual(['DELETE /1.0/networks/net-a', 'DELETE /1.0/networks/net-a'])
    expect(fake.get('networks/net-a')).toBeUndefined()
  })

  it('takes a failed delete whose bridge went anyway as done, and an absent bridge as gone', async () => {
    fake.seed('networks/net-a', { name: 'net-a' })
    fake.fail('DELETE', ONE, 500, VETH, { after: () => fake.objects.delete('networks/net-a') })
    await deleteNetwork(ctxOf(fake), 'net-a')
    await deleteNetwork(ctxOf(fake), 'net-a')
    expect(fake.writes()).toEqual(['DELETE /1.0/networks/net-a', 'DELETE /1.0/networks/net-a'])
  })

  it('reports the last failure after five tries while the bridge stays', async () => {
    fake.seed('networks/net-a', { name: 'net-a' })
    fake.fail('DELETE', ONE, 400, 'network in use', { times: 5 })
    await expect(deleteNetwork(ctxOf(fake), 'net-a')).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('network in use'),
    })
    expect(fake.writes()).toHaveLength(5)
    expect(fake.get('networks/net-a')).toBeDefined()
  }, 15_000)
})
