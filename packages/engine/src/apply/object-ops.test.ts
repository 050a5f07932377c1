import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { act, ctxOf, profile, project, volume } from '../testing/actions.test-util.js'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { runAction } from './handlers.js'

let fake: FakeIncus
beforeEach(async () => {
  fake = await fakeIncus()
})
afterEach(() => fake.close())

const cpu = [{ field: 'config' as const, key: 'limits.cpu', from: '2', to: '4' }]

describe('projects, profiles and volumes', () => {
  it('creates each from its desired object', async () => {
    const ctx = ctxOf(fake)
    await runAction(ctx, act({ kind: 'project', op: 'create', name: 'pro', desired: project('pro') }))
    await runAction(
      ctx,
      act({ kind: 'profile', op: 'create', project: 'pro', name: 'gui', desired: profile('pro', 'gui') }),
    )
    await runAction(
      ctx,
      act({
        kind: 'volume',
        op: 'create',
        project: 'pro',
        pool: 'default',
        name: 'data',
        desired: volume('pro', 'data'),
      }),
    )
    expect(fake.get('projects/pro')).toMatchObject({
      description: 'project pro',
      config: { 'features.images': 'false' },
    })
    expect(fake.get('profiles/pro/gui')).toMatchObject({
      config: { 'limits.cpu': '2' },
      devices: { shm: { type: 'disk' } },
    })
    expect(fake.get('volumes/pro/default/data')).toMatchObject({ type: 'custom', config: { size: '1GiB' } })
  })

  it('updates each in place with the plan changes', async () => {
    fake.seed('projects/pro', { name: 'pro', config: { 'limits.cpu': '2' } })
    fake.seed('profiles/pro/gui', { name: 'gui', config: { 'limits.cpu': '2' }, devices: {} })
    fake.seed('volumes/pro/default/data', { name: 'data', config: { 'limits.cpu': '2' } })
    const ctx = ctxOf(fake)
    await runAction(
      ctx,
      act({ kind: 'project', op: 'update', name: 'pro', desired: project('pro'), changes: cpu }),
    )
    await runAction(
      ctx,
      act({
        kind: 'profile',
        op: 'update',
        project: 'pro',
        name: 'gui',
        desired: profile('pro', 'gui'),
        changes: cpu,
      }),
    )
    await runAction(
      ctx,
      act({
        kind: 'volume',
        op: 'update',
        project: 'pro',
        pool: 'default',
        name: 'data',
        desired: volume('pro', 'data'),
        changes: cpu,
      }),
    )
    for (const key of ['projects/pro', 'profiles/pro/gui', 'volumes/pro/default/data']) {
      expect(fake.get(key)?.config).toEqual({ 'limits.cpu': '4' })
    }
  })

  it('deletes each, an already absent one included', async () => {
    fake.seed('projects/pro', { name: 'pro' })
    fake.seed('profiles/pro/gui', { name: 'gui' })
    fake.seed('volumes/pro/default/data', { name: 'data' })
    const ctx = ctxOf(fake)
    for (let round = 0; round < 2; round++) {
      await runAction(
        ctx,
        act({ kind: 'volume', op: 'delete', project: 'pro', pool: 'default', name: 'data' }),
      )
      await runAction(ctx, act({ kind: 'profile', op: 'delete', project: 'pro', name: 'gui' }))
      await runAction(ctx, act({ kind: 'project', op: 'delete', name: 'pro' }))
    }
    expect([...fake.objects.keys()]).toEqual([])
    expect(fake.writes()).toHaveLength(6)
  })

  it('reports a delete the server refuses', async () => {
    fake.seed('projects/pro', { name: 'pro' })
    fake.fail('DELETE', /^\/1\.0\/projects\/pro$/, 400, 'Only empty projects can be removed')
    await expect(
      runAction(ctxOf(fake), act({ kind: 'project', op: 'delete', name: 'pro' })),
    ).rejects.toMatchObject({
      status: 400,
    })
    expect(fake.get('projects/pro')).toBeDefined()
  })
})
