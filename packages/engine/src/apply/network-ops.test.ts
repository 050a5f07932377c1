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

  it('replaces a Pending record still Pending once Incus answered the create (stale)', async () => {
    const pending = () => fake.seed('networks/net-a', { name: 'net-a', status: 'Pending' })
    fake.fail('POST', NETWORKS, 500, 'Network already partially created', { after: pending })
    await runAction(ctxOf(fake), create())
    expect(fake.writes()).toEqual(['POST /1.0/networks', 'DELETE /1.0/networks/net-a', 'POST /1.0/networks'])
    expect(fake.get('networks/net-a')?.status).toBeUndefined()
  })

  it('removes the bare bridge a stale Pending record left on this host before replacing it', async () => {
    const calls: string[] = []
    const removeBareBridge = async (name: string) => {
      calls.push(`remove ${name} (record ${fake.get('networks/net-a')?.status})`)
      return 'removed' as const
    }
    fake.seed('networks/net-a', { name: 'net-a', status: 'Pending' })
    fake.fail('POST', NETWORKS, 500, 'Network already partially created')
    await runAction(ctxOf(fake, { removeBareBridge }), create())
    expect(calls).toEqual(['remove net-a (record Pending)'])
    expect(fake.writes()).toEqual(['POST /1.0/networks', 'DELETE /1.0/networks/net-a', 'POST /1.0/networks'])
  })

  it('clears what a killed create left (its dnsmasq holding the gateway) and creates the bridge', async () => {
    const calls: string[] = []
    const removeBareBridge = async (name: string) => {
      calls.push(name)
      return 'absent' as const
    }
    fake.fail(
      'POST',
      NETWORKS,
      500,
      'The DNS and DHCP service exited prematurely: exit status 2 ("dnsmasq: failed to create listening socket for 10.9.1.254: Address already in use")',
    )
    await runAction(ctxOf(fake, { removeBareBridge }), create())
    expect(calls).toEqual(['net-a'])
    expect(fake.writes()).toEqual(['POST /1.0/networks', 'POST /1.0/networks'])
    expect(fake.get('networks/net-a')).toBeDefined()
  })

  it('keeps the Pending record, and gives the command, when the bare bridge cannot be removed', async () => {
    const removeBareBridge = () => Promise.reject(new Error('RTNETLINK answers: Operation not permitted'))
    fake.seed('networks/net-a', { name: 'net-a', status: 'Pending' })
    fake.fail('POST', NETWORKS, 500, 'Network already partially created')
    await expect(runAction(ctxOf(fake, { removeBareBridge }), create())).rejects.toMatchObject({
      code: 'ANKLUME_UNMANAGED_INTERFACE',
      message: expect.stringContaining('Operation not permitted'),
      hint: expect.stringContaining('sudo ip link delete net-a'),
    })
    expect(fake.get('networks/net-a')?.status).toBe('Pending')
  })

  it('takes a bridge the request of a killed apply finished meanwhile as done', async () => {
    fake.seed('networks/net-a', { name: 'net-a', status: 'Created', managed: true })
    fake.fail('POST', NETWORKS, 400, 'The network already exists')
    await runAction(ctxOf(fake), create())
    expect(fake.writes()).toEqual(['POST /1.0/networks'])
  })

  it('never takes a host interface Incus does not manage for the bridge', async () => {
    fake.seed('networks/net-a', { name: 'net-a', managed: false, status: '' })
    fake.fail('POST', NETWORKS, 500, 'Network interface "net-a" already exists')
    await expect(runAction(ctxOf(fake), create())).rejects.toMatchObject({
      code: 'ANKLUME_UNMANAGED_INTERFACE',
      message: expect.stringContaining('a host interface named net-a exists'),
      hint: expect.stringContaining('sudo ip link delete net-a'),
    })
    expect(fake.writes()).toEqual(['POST /1.0/networks'])
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

  it('prunes a Pending bridge with the bare interface it left on this host', async () => {
    fake.seed('networks/net-a', { name: 'net-a', status: 'Pending' })
    const removed: string[] = []
    const removeBareBridge = async (name: string) => {
      removed.push(name)
      return 'removed' as const
    }
    await runAction(ctxOf(fake, { removeBareBridge }), act({ kind: 'network', op: 'delete', name: 'net-a' }))
    expect(removed).toEqual(['net-a'])
    expect(fake.get('networks/net-a')).toBeUndefined()
  })

  it("retries while a Pending record's interface still looks in use (incusd still runs the killed create)", async () => {
    fake.seed('networks/net-a', { name: 'net-a', status: 'Pending' })
    const seen: string[] = []
    const removeBareBridge = async () => {
      seen.push('try')
      return seen.length < 3 ? ('kept' as const) : ('removed' as const)
    }
    await runAction(ctxOf(fake, { removeBareBridge }), act({ kind: 'network', op: 'delete', name: 'net-a' }))
    expect(seen).toEqual(['try', 'try', 'try'])
    expect(fake.get('networks/net-a')).toBeUndefined()
  })

  it('deletes the usual way a Pending record that became Created while it waited', async () => {
    fake.seed('networks/net-a', { name: 'net-a', status: 'Pending' })
    const removeBareBridge = async () => {
      fake.seed('networks/net-a', { name: 'net-a', status: 'Created' })
      return 'kept' as const
    }
    await runAction(ctxOf(fake, { removeBareBridge }), act({ kind: 'network', op: 'delete', name: 'net-a' }))
    expect(fake.get('networks/net-a')).toBeUndefined()
    expect(fake.writes()).toEqual(['DELETE /1.0/networks/net-a'])
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

  it('reports the last failure after twelve tries while the bridge stays', async () => {
    fake.seed('networks/net-a', { name: 'net-a' })
    fake.fail('DELETE', ONE, 400, 'network in use', { times: 12 })
    await expect(deleteNetwork(ctxOf(fake), 'net-a')).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('network in use'),
    })
    expect(fake.writes()).toHaveLength(12)
    expect(fake.get('networks/net-a')).toBeDefined()
  }, 30_000)
})
