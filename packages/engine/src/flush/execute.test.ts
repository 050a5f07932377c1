import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { executeFlush } from './execute.js'
import type { FlushPlan } from './plan.js'

let fake: FakeIncus
beforeEach(async () => {
  fake = await fakeIncus()
})
afterEach(() => fake.close())

const empty = (): FlushPlan => ({
  instances: [],
  skippedInstances: [],
  imageProjects: [],
  volumes: [],
  profiles: [],
  keptObjects: [],
  defaultProfiles: [],
  projects: [],
  keptProjects: [],
  networks: [],
  keptNetworks: [],
  acls: [],
})

const VETH = 'Failed to delete bridge children interfaces: Device "veth99" does not exist'

describe('executeFlush', () => {
  it('removes the bare bridge of a Pending record (a killed create) before the record', async () => {
    fake.seed('networks/net-a', { name: 'net-a', status: 'Pending' })
    fake.seed('networks/net-b', { name: 'net-b', status: 'Created' })
    const removed: string[] = []
    const removeBareBridge = async (name: string) => {
      removed.push(name)
      return 'removed' as const
    }
    const items = await executeFlush(
      fake.client,
      { ...empty(), networks: ['net-a', 'net-b'] },
      { removeBareBridge },
    )
    expect(removed).toEqual(['net-a'])
    expect(items.map((i) => `${i.name} ${i.status}`)).toEqual(['net-a deleted', 'net-b deleted'])
    expect([...fake.objects.keys()]).toEqual([])
  })

  it('retries an instance delete that hit "Invalid PID" after a killed flush', async () => {
    fake.seed('instances/pro/web', { name: 'web', status: 'Stopped', config: {} })
    fake.fail('DELETE', /^\/1\.0\/instances\/web$/, 500, 'Failed to stop instance: Invalid PID')
    const instances = [{ name: 'web', project: 'pro', protected: false, status: 'Running' }]
    const items = await executeFlush(fake.client, { ...empty(), instances })
    expect(items).toEqual([{ kind: 'instance', name: 'web', project: 'pro', status: 'deleted' }])
    expect(fake.writes().filter((w) => w.startsWith('DELETE'))).toHaveLength(2)
  })

  it('deletes bridges through the apply path: the veth race is retried, not reported', async () => {
    fake.seed('networks/net-a', { name: 'net-a' })
    fake.seed('networks/net-b', { name: 'net-b' })
    fake.fail('DELETE', /^\/1\.0\/networks\/net-a$/, 500, VETH)
    const items = await executeFlush(fake.client, { ...empty(), networks: ['net-a', 'net-b'] })
    expect(items).toEqual([
      { kind: 'network', name: 'net-a', status: 'deleted' },
      { kind: 'network', name: 'net-b', status: 'deleted' },
    ])
    expect([...fake.objects.keys()]).toEqual([])
    expect(fake.writes().filter((w) => w.includes('net-a'))).toHaveLength(2)
  })

  it('reports a bridge that will not go', async () => {
    fake.seed('networks/net-a', { name: 'net-a' })
    const ctrl = new AbortController()
    fake.fail('DELETE', /^\/1\.0\/networks\/net-a$/, 400, 'in use', { after: () => ctrl.abort() })
    const items = await executeFlush(
      fake.client,
      { ...empty(), networks: ['net-a'] },
      { signal: ctrl.signal },
    )
    expect(items).toEqual([{ kind: 'network', name: 'net-a', status: 'failed', reason: expect.any(String) }])
  })

  it('empties the default profile devices of a project (ETag write) before the project goes', async () => {
    fake.seed('profiles/pro/default', {
      name: 'default',
      description: 'Default',
      config: { 'limits.cpu': '2' },
      devices: { root: { type: 'disk' }, eth0: { type: 'nic' } },
    })
    fake.seed('instances/pro/web', { name: 'web', status: 'Stopped', config: {} })
    const plan: FlushPlan = {
      ...empty(),
      instances: [{ name: 'web', project: 'pro', protected: false, status: 'Stopped' }],
      defaultProfiles: ['pro'],
    }
    const items = await executeFlush(fake.client, plan)
    expect(items.map((i) => [i.kind, i.status])).toEqual([
      ['instance', 'deleted'],
      ['default-profile', 'deleted'],
    ])
    expect(fake.get('profiles/pro/default')).toMatchObject({
      description: 'Default',
      config: { 'limits.cpu': '2' },
      devices: {},
    })
  })
})
