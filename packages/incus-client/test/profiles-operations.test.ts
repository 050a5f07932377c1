import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Operation } from '../src/index.js'
import { cleanup, client, prefix } from './helpers.js'
import { createSandbox, type Sandbox } from './sandbox.js'

const c = client()
let sb: Sandbox
const profile = `${prefix}-web`
const inst = `${prefix}-op`

beforeAll(async () => {
  sb = await createSandbox(c, 'po')
})

afterAll(async () => {
  await cleanup(() => c.profiles.delete(profile, { project: sb.project }))
  await sb?.destroy()
  await c.close()
})

describe('profiles', () => {
  it('creates, reads, updates, patches, renames and deletes a profile in a project', async () => {
    const p = { project: sb.project }
    await c.profiles.create(
      {
        name: profile,
        description: 'web',
        config: { 'limits.cpu': '1', 'user.anklume.managed': 'true' },
        devices: { data: { type: 'disk', source: '/tmp', path: '/mnt/tmp', readonly: 'true' } },
      },
      p,
    )
    const { value, etag } = await c.profiles.getWithEtag(profile, p)
    expect(value).toMatchObject({ name: profile, config: { 'limits.cpu': '1' } })
    expect(value.devices['data']?.['path']).toBe('/mnt/tmp')
    await c.profiles.update(
      profile,
      { ...value, config: { ...value.config, 'limits.cpu': '2' } },
      { ...p, etag },
    )
    await expect(c.profiles.update(profile, value, { ...p, etag })).rejects.toMatchObject({
      code: 'INCUS_CONFLICT',
      status: 412,
    })
    await c.profiles.patch(profile, { config: { 'limits.memory': '256MiB' } }, p)
    expect((await c.profiles.get(profile, p)).config).toMatchObject({
      'limits.cpu': '2',
      'limits.memory': '256MiB',
      'user.anklume.managed': 'true',
    })
    expect((await c.profiles.list(p)).map((x) => x.name).sort()).toEqual(['default', profile].sort())
    await c.profiles.rename(profile, `${profile}2`, p)
    await c.profiles.delete(`${profile}2`, p)
    await expect(c.profiles.get(`${profile}2`, p)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
    // Profiles of another project are not visible from the default project.
    await expect(c.profiles.get(profile)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
  })
})

describe('operations', () => {
  it('gets a running operation, refuses to cancel a non-cancellable one, waits for it', async () => {
    const p = { project: sb.project }
    await c.instances.create(
      { name: inst, source: { type: 'image', alias: 'anklume-test/busybox' }, start: true },
      p,
    )
    const res = await c.request<Operation>('POST', `/1.0/instances/${inst}/exec`, {
      ...p,
      body: {
        command: ['sleep', '2'],
        'wait-for-websocket': false,
        interactive: false,
        'record-output': false,
      },
    })
    expect(res).toMatchObject({ status: 202, type: 'async' })
    expect(res.operation).toMatch(/^\/1\.0\/operations\//)
    const running = await c.operations.get(res.operation!)
    expect(running).toMatchObject({ id: res.metadata.id, status: 'Running', may_cancel: false })
    const refused = await c.operations.cancel(res.operation!).catch((e) => e)
    expect(refused).toMatchObject({ code: 'INCUS_API_ERROR' })
    expect(refused.serverMessage).toMatch(/cancel/i)
    const done = await c.operations.wait(res.operation!, { timeoutSec: 30 })
    expect(done).toMatchObject({ status_code: 200, metadata: { return: 0 } })
  })

  it('reports a forgotten operation as undefined on wait', async () => {
    const missing = '00000000-0000-4000-8000-000000000000'
    expect(await c.wait(missing)).toBeUndefined()
    await expect(c.operations.get(missing)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
  })
})
