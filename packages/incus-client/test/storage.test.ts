import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, prefix } from './helpers.js'
import { createSandbox, type Sandbox } from './sandbox.js'

const c = client()
let sb: Sandbox
const vol = `${prefix}-data`
const defaultVol = `${prefix}-dvol`

beforeAll(async () => {
  sb = await createSandbox(c, 'st')
})

afterAll(async () => {
  await c.storage.volumes.delete('default', defaultVol).catch(() => undefined)
  await sb?.destroy()
  await c.close()
})

describe('storage', () => {
  it('lists and reads storage pools', async () => {
    const pools = await c.storage.pools.list()
    expect(pools.map((p) => p.name)).toContain('default')
    const pool = await c.storage.pools.get('default')
    expect(pool.driver).toBe('dir')
    await expect(c.storage.pools.get(`${prefix}-nopool`)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
  })

  it('creates, reads, updates, patches and deletes a custom volume in a project', async () => {
    const p = { project: sb.project }
    await c.storage.volumes.create(
      'default',
      { name: vol, config: { 'user.anklume.managed': 'true' }, description: 'test volume' },
      p,
    )
    const got = await c.storage.volumes.get('default', vol, p)
    expect(got).toMatchObject({ name: vol, type: 'custom', content_type: 'filesystem', project: sb.project })
    const { value, etag } = await c.storage.volumes.getWithEtag('default', vol, p)
    expect(etag).toBeTruthy()
    await c.storage.volumes.update(
      'default',
      vol,
      { config: { ...value.config, 'user.put': '1' }, description: value.description },
      { ...p, etag },
    )
    await c.storage.volumes.patch('default', vol, { config: { 'user.patch': '1' } }, p)
    expect((await c.storage.volumes.get('default', vol, p)).config).toMatchObject({
      'user.anklume.managed': 'true',
      'user.put': '1',
      'user.patch': '1',
    })
    await expect(
      c.storage.volumes.update('default', vol, { config: {} }, { ...p, etag }),
    ).rejects.toMatchObject({ code: 'INCUS_CONFLICT', status: 412 })
    expect((await c.storage.volumes.list('default', p)).map((v) => v.name)).toEqual([vol])
  })

  it('lists custom volumes across projects, with and without storage_volumes_all_projects', async () => {
    await c.storage.volumes.create('default', { name: defaultVol })
    const all = await c.storage.volumes.list('default', { allProjects: true })
    const key = (v: { project: string; name: string }) => `${v.project}/${v.name}`
    expect(all.map(key)).toEqual(expect.arrayContaining([`${sb.project}/${vol}`, `default/${defaultVol}`]))
    expect(all.every((v) => v.type === 'custom')).toBe(true)
    const old = client({ ignoreExtensions: ['storage_volumes_all_projects'] })
    const fallback = await old.storage.volumes.list('default', { allProjects: true })
    await old.close()
    expect(fallback.map(key).sort()).toEqual(all.map(key).sort())
  })

  it('deletes volumes', async () => {
    await c.storage.volumes.delete('default', vol, { project: sb.project })
    await c.storage.volumes.delete('default', defaultVol)
    await expect(c.storage.volumes.get('default', vol, { project: sb.project })).rejects.toMatchObject({
      code: 'INCUS_NOT_FOUND',
    })
  })
})
