import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { act, ctxOf, instance } from '../testing/actions.test-util.js'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { runAction } from './handlers.js'

let fake: FakeIncus
beforeEach(async () => {
  fake = await fakeIncus()
})
afterEach(() => fake.close())

const web = (extra = {}) => instance('pro', 'web', extra)
const seedWeb = (status: string, config: Record<string, string> = {}) =>
  fake.seed('instances/pro/web', { name: 'web', status, config, devices: {}, profiles: ['default'] })
const stateWrites = () => fake.writes().filter((w) => w.includes('/state'))

describe('instance update, restart and start', () => {
  const changes = [{ field: 'devices' as const, key: 'gpu', to: { type: 'gpu' } }]

  it('updates a running instance with its ETag and restarts it when the change needs it', async () => {
    seedWeb('Running', { 'user.x': '1' })
    await runAction(
      ctxOf(fake),
      act({
        kind: 'instance',
        op: 'update',
        project: 'pro',
        name: 'web',
        desired: web(),
        changes,
        restart: true,
      }),
    )
    expect(fake.get('instances/pro/web')).toMatchObject({
      config: { 'user.x': '1' },
      devices: { gpu: { type: 'gpu' } },
    })
    expect(fake.writes()).toEqual([
      'PUT /1.0/instances/web?project=pro',
      'PUT /1.0/instances/web/state?project=pro',
    ])
  })

  it('does not restart a stopped instance', async () => {
    seedWeb('Stopped')
    await runAction(
      ctxOf(fake),
      act({
        kind: 'instance',
        op: 'update',
        project: 'pro',
        name: 'web',
        desired: web(),
        changes,
        restart: true,
      }),
    )
    expect(stateWrites()).toEqual([])
  })

  it('restarts on a restart action', async () => {
    seedWeb('Running')
    await runAction(ctxOf(fake), act({ kind: 'instance', op: 'restart', project: 'pro', name: 'web' }))
    expect(stateWrites()).toEqual(['PUT /1.0/instances/web/state?project=pro'])
  })

  it('prepares a stopped container (context files, socket directory) before starting it', async () => {
    seedWeb('Stopped')
    const ctx = ctxOf(fake, { nesting: { absoluteLevel: 1, relativeLevel: 1, vmNested: false, yolo: true } })
    await runAction(
      ctx,
      act({
        kind: 'instance',
        op: 'start',
        project: 'pro',
        name: 'web',
        desired: web({ needsSocketDir: true }),
      }),
    )
    expect(fake.get('instances/pro/web')?.status).toBe('Running')
    expect(fake.get('files/pro/web/etc/anklume/absolute_level')?.content).toBe('2\n')
    expect(fake.get('files/pro/web/etc/anklume/yolo')?.content).toBe('true\n')
    expect(fake.get('files/pro/web/var/lib/incus')?.type).toBe('directory')
  })

  it('starts a VM without touching its files', async () => {
    seedWeb('Stopped')
    await runAction(
      ctxOf(fake),
      act({
        kind: 'instance',
        op: 'start',
        project: 'pro',
        name: 'web',
        desired: web({ type: 'virtual-machine' }),
      }),
    )
    expect(fake.writes()).toEqual(['PUT /1.0/instances/web/state?project=pro'])
  })
})

describe('instance retries', () => {
  const start = () => act({ kind: 'instance', op: 'start', project: 'pro', name: 'web', desired: web() })

  it('retries a push that hit the forkfile.sock race of a just-created container', async () => {
    seedWeb('Stopped')
    const race = 'dial unix /proc/self/fd/31/forkfile.sock: connect: no such file or directory'
    fake.fail('POST', /\/files$/, 500, race)
    await runAction(ctxOf(fake), start())
    expect(fake.writes().filter((w) => w.includes('path=%2Fetc&'))).toHaveLength(2)
    expect(fake.get('instances/pro/web')?.status).toBe('Running')
  })

  it('retries a start whose NIC failed while its bridge was just made', async () => {
    seedWeb('Stopped')
    fake.fail('PUT', /\/state$/, 500, 'Failed to start device "eth0": Failed adding bridge filter rules')
    await runAction(ctxOf(fake), start())
    expect(stateWrites()).toHaveLength(2)
    expect(fake.get('instances/pro/web')?.status).toBe('Running')
  })

  it('does not retry other start failures', async () => {
    seedWeb('Stopped')
    fake.fail('PUT', /\/state$/, 500, 'Failed to run: forkstart')
    await expect(runAction(ctxOf(fake), start())).rejects.toMatchObject({ status: 500 })
    expect(stateWrites()).toHaveLength(1)
  })

  it('accepts a directory the server says exists, and fails when it really is not there', async () => {
    seedWeb('Stopped')
    fake.seed('files/pro/web/etc', { name: 'etc', type: 'directory' })
    fake.fail('POST', /\/files$/, 400, 'File exists')
    await runAction(ctxOf(fake), start())
    expect(fake.get('instances/pro/web')?.status).toBe('Running')

    fake.seed('instances/pro/db', { name: 'db', status: 'Stopped', config: {} })
    fake.fail('POST', /\/files$/, 400, 'Permission denied')
    const db = act({
      kind: 'instance',
      op: 'start',
      project: 'pro',
      name: 'db',
      desired: instance('pro', 'db'),
    })
    await expect(runAction(ctxOf(fake), db)).rejects.toMatchObject({
      message: expect.stringContaining('Permission denied'),
    })
  })
})

describe('instance create, replace, rebuild and delete', () => {
  it('creates an instance stopped, then prepares and starts it', async () => {
    await runAction(
      ctxOf(fake),
      act({ kind: 'instance', op: 'create', project: 'pro', name: 'web', desired: web() }),
    )
    expect(fake.get('instances/pro/web')).toMatchObject({
      status: 'Running',
      start: false,
      source: { alias: 'debian/13' },
      config: { 'user.anklume.managed': 'true' },
    })
  })

  it('replaces a moved instance: deleted from its old project (protection read and cleared), created in the new', async () => {
    fake.seed('instances/old/web', {
      name: 'web',
      status: 'Running',
      config: { 'security.protection.delete': 'true' },
    })
    const changes = [{ field: 'project' as const, from: 'old', to: 'pro' }]
    await runAction(
      ctxOf(fake),
      act({ kind: 'instance', op: 'replace', project: 'pro', name: 'web', desired: web(), changes }),
    )
    expect(fake.get('instances/old/web')).toBeUndefined()
    expect(fake.get('instances/pro/web')?.status).toBe('Running')
    expect(fake.writes().slice(0, 3)).toEqual([
      'PATCH /1.0/instances/web?project=old',
      'PUT /1.0/instances/web/state?project=old',
      'DELETE /1.0/instances/web?project=old',
    ])
  })

  it('replaces in place when the type changed', async () => {
    seedWeb('Stopped')
    const changes = [{ field: 'type' as const, from: 'virtual-machine', to: 'container' }]
    await runAction(
      ctxOf(fake),
      act({ kind: 'instance', op: 'replace', project: 'pro', name: 'web', desired: web(), changes }),
    )
    expect(fake.writes()[0]).toBe('PUT /1.0/instances/web/state?project=pro') // already stopped: fine
    expect(fake.get('instances/pro/web')).toMatchObject({ status: 'Running', type: 'container' })
  })

  it('rebuilds a running instance: forced stop, new source, started again', async () => {
    seedWeb('Running')
    const source = { type: 'image' as const, alias: 'debian/14' }
    await runAction(
      ctxOf(fake),
      act({ kind: 'instance', op: 'rebuild', project: 'pro', name: 'web', desired: web({ source }) }),
    )
    expect(fake.get('instances/pro/web')).toMatchObject({ status: 'Running', source })
    expect(fake.writes().slice(0, 2)).toEqual([
      'PUT /1.0/instances/web/state?project=pro',
      'POST /1.0/instances/web/rebuild?project=pro',
    ])
  })

  it('rebuilds a stopped instance without stopping it', async () => {
    seedWeb('Stopped')
    await runAction(
      ctxOf(fake),
      act({ kind: 'instance', op: 'rebuild', project: 'pro', name: 'web', desired: web() }),
    )
    expect(fake.writes()[0]).toBe('POST /1.0/instances/web/rebuild?project=pro')
  })

  it('deletes a protected instance by clearing its protection first, and an absent one quietly', async () => {
    seedWeb('Running', { 'security.protection.delete': 'true' })
    const del = act({ kind: 'instance', op: 'delete', project: 'pro', name: 'web', protected: true })
    await runAction(ctxOf(fake), del)
    await runAction(ctxOf(fake), del)
    expect(fake.get('instances/pro/web')).toBeUndefined()
    expect(fake.writes().slice(0, 3)).toEqual([
      'PATCH /1.0/instances/web?project=pro',
      'PUT /1.0/instances/web/state?project=pro',
      'DELETE /1.0/instances/web?project=pro',
    ])
  })

  it('reports a stop that fails for another reason than already stopped', async () => {
    seedWeb('Running')
    fake.fail('PUT', /\/state$/, 500, 'Failed to stop')
    const del = act({ kind: 'instance', op: 'delete', project: 'pro', name: 'web' })
    await expect(runAction(ctxOf(fake), del)).rejects.toMatchObject({ status: 500 })
    expect(fake.get('instances/pro/web')).toBeDefined()
  })
})
