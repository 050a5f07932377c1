import { type Action, desired, diff, emptyObserved, type Plan } from '@anklume/planner'
import { makeDomain, makeInfra, type NestingContext } from '@anklume/schema'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { type ExecuteEvent, executePlan } from './execute.js'

let fake: FakeIncus
beforeEach(async () => {
  fake = await fakeIncus()
})
afterEach(() => fake.close())

const nesting: NestingContext = { absoluteLevel: 0, relativeLevel: 0, vmNested: false, yolo: false }

function planFor(...domains: Parameters<typeof makeDomain>[]): Plan {
  const infra = makeInfra(domains.map((d) => makeDomain(...d)))
  return diff(desired(infra, { level: 1 }), emptyObserved(), { projectName: infra.projectName })
}

const lab = () =>
  planFor([
    'pro',
    2,
    { 'pro-dev': { storageVolumes: [{ name: 'data', pool: 'default', size: '1GiB', path: '/data' }] } },
  ])

describe('executePlan', () => {
  it('creates every object of a plan in dependency order and starts the instances, prepared', async () => {
    const events: string[] = []
    const onEvent = (e: ExecuteEvent) => events.push(`${e.type} ${e.action.id}`)
    const result = await executePlan(fake.client, lab(), { nesting, onEvent })

    expect(result.ok).toBe(true)
    expect(result.counts).toEqual({ done: 5, failed: 0, blocked: 0, cancelled: 0 })
    expect(result.results.map((r) => [r.action.id, r.status])).toEqual([
      ['network:net-pro:create', 'done'],
      ['project:pro:create', 'done'],
      ['profile:pro/default:update', 'done'],
      ['volume:pro/default/data:create', 'done'],
      ['instance:pro/pro-dev:create', 'done'],
    ])
    expect(fake.get('networks/net-pro')).toMatchObject({ type: 'bridge' })
    expect(fake.get('profiles/pro/default')?.devices).toMatchObject({ eth0: { network: 'net-pro' } })
    expect(fake.get('volumes/pro/default/data')).toMatchObject({ type: 'custom', content_type: 'filesystem' })
    expect(fake.get('instances/pro/pro-dev')).toMatchObject({ status: 'Running', profiles: ['default'] })
    expect(fake.get('files/pro/pro-dev/etc/anklume/absolute_level')?.content).toBe('1\n')
    expect(fake.get('files/pro/pro-dev/etc/anklume')?.type).toBe('directory')
    // Created stopped, prepared, then started.
    const inst = fake.writes().filter((w) => w.includes('/instances'))
    expect(inst[0]).toBe('POST /1.0/instances?project=pro')
    expect(inst.at(-1)).toBe('PUT /1.0/instances/pro-dev/state?project=pro')
    // Each action starts before it finishes, and the instance only after its bridge.
    expect(events).toHaveLength(10)
    expect(events.indexOf('finish network:net-pro:create')).toBeLessThan(
      events.indexOf('start instance:pro/pro-dev:create'),
    )
  })

  it('reports a failure with what it was doing, keeps its code, and blocks what depends on it', async () => {
    fake.fail('POST', /^\/1\.0\/projects$/, 403, 'not allowed')
    const result = await executePlan(fake.client, lab(), { nesting })
    const by = new Map(result.results.map((r) => [r.action.id, r]))
    expect(result.ok).toBe(false)
    expect(result.counts).toEqual({ done: 1, failed: 1, blocked: 3, cancelled: 0 })
    expect(by.get('project:pro:create')?.error).toMatchObject({
      code: 'INCUS_API_ERROR',
      message: expect.stringMatching(/^create project pro: .*not allowed/),
    })
    expect(by.get('instance:pro/pro-dev:create')).toMatchObject({
      status: 'blocked',
      blockedBy: 'project:pro:create',
    })
  })

  it('starts nothing once the signal is aborted: every action is cancelled', async () => {
    const ctrl = new AbortController()
    ctrl.abort()
    const result = await executePlan(fake.client, lab(), { nesting, signal: ctrl.signal })
    expect(result.counts).toEqual({ done: 0, failed: 0, blocked: 0, cancelled: 5 })
    expect(result.ok).toBe(false)
    expect(fake.writes()).toEqual([])
  })

  it('runs the guard before creating a bridge; a refused bridge is never created', async () => {
    const checked: string[] = []
    const result = await executePlan(fake.client, lab(), {
      nesting,
      beforeNetworkCreate: (n) => {
        checked.push(n.name)
        throw new Error('overlaps 10.0.0.0/8')
      },
    })
    expect(checked).toEqual(['net-pro'])
    expect(result.results[0]?.error).toMatchObject({ message: 'create network net-pro: overlaps 10.0.0.0/8' })
    expect(fake.get('networks/net-pro')).toBeUndefined()
  })

  it('deletes bridges in parallel', async () => {
    for (const n of ['net-a', 'net-b', 'net-c']) fake.seed(`networks/${n}`, { name: n })
    let running = 0
    let most = 0
    const actions: Action[] = ['net-a', 'net-b', 'net-c'].map((name) => ({
      id: `network:${name}:delete`,
      kind: 'network',
      op: 'delete',
      name,
      dependsOn: [],
      reason: 'orphan',
      changes: [],
    }))
    const onEvent = (e: ExecuteEvent) => {
      running += e.type === 'start' ? 1 : -1
      most = Math.max(most, running)
    }
    const plan = { actions, skipped: [], warnings: [], summary: lab().summary }
    const result = await executePlan(fake.client, plan, { nesting, onEvent, concurrency: 8 })
    expect(result.ok).toBe(true)
    expect(most).toBe(3)
    expect([...fake.objects.keys()].filter((k) => k.startsWith('networks/'))).toEqual([])
  })

  it('leaves no bridge behind when parallel deletes meet the veth race', async () => {
    const names = ['net-a', 'net-b', 'net-c', 'net-d']
    for (const n of names) fake.seed(`networks/${n}`, { name: n })
    // Incus 6.0.4's answer while veths come and go: the first three deletes fail.
    fake.fail(
      'DELETE',
      /^\/1\.0\/networks\/net-/,
      500,
      'Failed to delete bridge children interfaces: vethX',
      {
        times: 3,
      },
    )
    const actions: Action[] = names.map((name) => ({
      id: `network:${name}:delete`,
      kind: 'network',
      op: 'delete',
      name,
      dependsOn: [],
      reason: 'orphan',
      changes: [],
    }))
    const plan = { actions, skipped: [], warnings: [], summary: lab().summary }
    const result = await executePlan(fake.client, plan, { nesting, concurrency: 8 })
    expect(result.counts).toEqual({ done: 4, failed: 0, blocked: 0, cancelled: 0 })
    expect([...fake.objects.keys()].filter((k) => k.startsWith('networks/'))).toEqual([])
  })
})
