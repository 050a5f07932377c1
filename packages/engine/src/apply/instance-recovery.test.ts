/** What an apply finds after a killed one, or a stuck files API: already-reached states, transient errors, the context mark. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { act, ctxOf, instance } from '../testing/actions.test-util.js'
import { type FakeIncus, fakeIncus } from '../testing/fake-incus.test-util.js'
import { runAction } from './handlers.js'

let fake: FakeIncus
beforeEach(async () => {
  fake = await fakeIncus()
})
afterEach(() => fake.close())

const FORKFILE = 'dial unix /proc/self/fd/31/forkfile.sock: connect: no such file or directory'
const seedWeb = (status: string, config: Record<string, string> = {}) =>
  fake.seed('instances/pro/web', { name: 'web', status, config, devices: {}, profiles: ['default'] })
const start = () =>
  act({ kind: 'instance', op: 'start', project: 'pro', name: 'web', desired: instance('pro', 'web') })
const stateWrites = () => fake.writes().filter((w) => w.includes('/state'))

describe('states a killed apply already reached', () => {
  it('takes "already running" as a done start', async () => {
    seedWeb('Stopped')
    fake.fail('PUT', /\/state$/, 400, 'The instance is already running')
    await expect(runAction(ctxOf(fake), start())).resolves.toBeUndefined()
    expect(stateWrites()).toHaveLength(1)
  })

  it('takes "already stopped" as a done stop before a delete', async () => {
    seedWeb('Stopped')
    await runAction(ctxOf(fake), act({ kind: 'instance', op: 'delete', project: 'pro', name: 'web' }))
    expect(fake.get('instances/pro/web')).toBeUndefined()
  })

  it('retries a start that hit "Invalid PID", with backoff', async () => {
    seedWeb('Stopped')
    fake.fail('PUT', /\/state$/, 500, 'Failed to get PID: Invalid PID', { times: 2 })
    const started = performance.now()
    await runAction(ctxOf(fake), start())
    expect(stateWrites()).toHaveLength(3)
    // 500 ms, then 1000 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1400)
    expect(fake.get('instances/pro/web')?.status).toBe('Running')
  })
})

describe('a create that a killed apply left running in Incus', () => {
  const BUSY = 'Failed creating instance record: Instance is busy running a "create" operation'
  const create = () =>
    act({ kind: 'instance', op: 'create', project: 'pro', name: 'web', desired: instance('pro', 'web') })

  it('is waited for, and the instance it made is taken over and started', async () => {
    let busy = 0
    // Busy twice; the killed run's create then finishes (the instance exists, stopped).
    fake.fail('POST', /\/instances$/, 500, BUSY, {
      times: 2,
      after: () => {
        if (++busy === 2) seedWeb('Stopped')
      },
    })
    await runAction(ctxOf(fake), create())
    expect(fake.writes().filter((w) => /^POST \/1\.0\/instances(\?|$)/.test(w))).toHaveLength(3)
    expect(fake.get('instances/pro/web')?.status).toBe('Running')
  }, 15_000)

  it('does not take over an instance that existed without a create in flight', async () => {
    seedWeb('Stopped')
    await expect(runAction(ctxOf(fake), create())).rejects.toMatchObject({
      message: expect.stringContaining('already exists'),
    })
  })
})

describe('a container whose context files cannot be pushed', () => {
  it('is started anyway and marked, so the next plan pushes them', async () => {
    seedWeb('Stopped')
    fake.fail('POST', /\/files$/, 500, FORKFILE, { times: 99 })
    await runAction(ctxOf(fake), start())
    expect(fake.get('instances/pro/web')).toMatchObject({
      status: 'Running',
      config: { 'user.anklume.context': 'pending' },
    })
    expect(fake.get('files/pro/web/etc/anklume/absolute_level')).toBeUndefined()
  })

  it('gets its files on the next start, which removes the mark', async () => {
    seedWeb('Running', { 'user.anklume.context': 'pending', 'user.x': '1' })
    await runAction(ctxOf(fake), start())
    expect(fake.get('files/pro/web/etc/anklume/absolute_level')?.content).toBe('1\n')
    expect(fake.get('instances/pro/web')?.config).toEqual({ 'user.x': '1' })
  })

  it('writes nothing more than the files and the start when there is no mark', async () => {
    seedWeb('Stopped')
    await runAction(ctxOf(fake), start())
    expect(fake.writes().filter((w) => !w.includes('/files'))).toEqual([
      'PUT /1.0/instances/web/state?project=pro',
    ])
  })

  it('is not started when even the mark cannot be written', async () => {
    seedWeb('Stopped')
    fake.fail('POST', /\/files$/, 500, FORKFILE, { times: 99 })
    fake.fail('PUT', /^\/1\.0\/instances\/web$/, 500, 'database is locked')
    await expect(runAction(ctxOf(fake), start())).rejects.toThrow(/forkfile/)
    expect(fake.get('instances/pro/web')?.status).toBe('Stopped')
  })
})
