import { afterAll, describe, expect, it } from 'vitest'
import { IncusError, type RequestEvent } from '../src/index.js'
import { cleanup, client, prefix } from './helpers.js'

const events: RequestEvent[] = []
const c = client({ onRequest: (e) => events.push(e) })
const project = `${prefix}-proj`
const renamed = `${prefix}-proj2`

afterAll(async () => {
  await cleanup(
    () => c.projects.delete(project),
    () => c.projects.delete(renamed),
  )
  await c.close()
})

describe('server', () => {
  it('reads GET /1.0 with its API extensions, once', async () => {
    const before = c.stats.requests
    const info = await c.server()
    expect(info.api_version).toBe('1.0')
    expect(info.auth).toBe('trusted')
    expect(info.api_extensions).toContain('instance_all_projects')
    expect(info.environment?.server).toBe('incus')
    expect(await c.hasExtension('profiles_all_projects')).toBe(true)
    expect(await c.hasExtension('no_such_extension_anywhere')).toBe(false)
    expect(c.stats.requests - before).toBe(1)
  })

  it('ignoreExtensions hides an extension the server has', async () => {
    const old = client({ ignoreExtensions: ['profiles_all_projects'] })
    expect(await old.hasExtension('profiles_all_projects')).toBe(false)
    expect(await old.hasExtension('instance_all_projects')).toBe(true)
    await old.close()
  })

  it('reads /1.0/resources', async () => {
    const res = await c.resources()
    expect(res.cpu.total).toBeGreaterThan(0)
    expect(res.memory.total).toBeGreaterThan(1024 * 1024)
  })
})

describe('projects', () => {
  it('creates, reads with ETag, updates, patches, renames and deletes a project', async () => {
    const created = await c.projects.create({
      name: project,
      description: 'incus-client test',
      config: { 'features.profiles': 'true', 'user.anklume.managed': 'true' },
    })
    expect(created).toBeUndefined() // sync call: no operation
    const listed = await c.projects.list()
    expect(listed.map((p) => p.name)).toContain(project)

    const { value, etag } = await c.projects.getWithEtag(project)
    expect(value.config['user.anklume.managed']).toBe('true')
    expect(etag).toMatch(/^"?[0-9a-f]{64}"?$/)

    await c.projects.update(project, { ...value, description: 'updated' }, { etag })
    expect((await c.projects.get(project)).description).toBe('updated')

    await c.projects.patch(project, { description: 'patched' })
    const patched = await c.projects.get(project)
    expect(patched.description).toBe('patched')
    expect(patched.config['user.anklume.managed']).toBe('true')
    // Incus quirk (documented in the README): a project PATCH with `config` replaces the whole map.
    await c.projects.patch(project, { config: { ...patched.config, 'user.extra': 'x' } })
    expect((await c.projects.get(project)).config).toEqual({ ...patched.config, 'user.extra': 'x' })

    await c.projects.rename(project, renamed)
    expect((await c.projects.get(renamed)).description).toBe('patched')
    await c.projects.delete(renamed)
    await expect(c.projects.get(renamed)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND', status: 404 })
  })

  it('turns a stale ETag into INCUS_CONFLICT (412)', async () => {
    await c.projects.create({ name: project, config: {} })
    const { value, etag } = await c.projects.getWithEtag(project)
    await c.projects.patch(project, { description: 'changed by someone else' })
    const err = await c.projects.update(project, { ...value, description: 'mine' }, { etag }).catch((e) => e)
    expect(err).toBeInstanceOf(IncusError)
    expect(err).toMatchObject({ code: 'INCUS_CONFLICT', status: 412, method: 'PUT' })
    expect(err.serverMessage).toMatch(/ETag/i)
    expect(err.hint).toMatch(/read it again/)
    expect((await c.projects.get(project)).description).toBe('changed by someone else')
  })

  it('reports a missing object as INCUS_NOT_FOUND with the server message', async () => {
    const err = await c.projects.get(`${prefix}-missing`).catch((e) => e)
    expect(err).toMatchObject({ code: 'INCUS_NOT_FOUND', status: 404, serverMessage: 'Project not found' })
    expect(err.message).toContain(`/1.0/projects/${prefix}-missing`)
  })

  it('reports other API errors as INCUS_API_ERROR with status and message', async () => {
    const err = await c.request('POST', '/1.0/projects', { body: { name: 'default' } }).catch((e) => e)
    expect(err).toBeInstanceOf(IncusError)
    expect(err.code).toBe('INCUS_API_ERROR')
    expect(err.status).toBeGreaterThanOrEqual(400)
    expect(err.serverMessage).toMatch(/default/)
  })

  it('counts requests and writes and reports each one to onRequest', async () => {
    const before = { ...c.stats }
    const seen = events.length
    await c.projects.list()
    await c.projects.patch(project, { description: 'counted' })
    expect(c.stats.requests - before.requests).toBe(2)
    expect(c.stats.writes - before.writes).toBe(1)
    const mine = events.slice(seen)
    expect(mine.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', '/1.0/projects?recursion=1', 200],
      ['PATCH', `/1.0/projects/${project}`, 200],
    ])
    expect(mine.every((e) => e.durationMs >= 0 && e.attempt === 1)).toBe(true)
  })

  it('shares one keep-alive pool between concurrent reads', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => c.projects.get('default')))
    expect(results.every((p) => p.name === 'default')).toBe(true)
  })

  it('observes a whole daemon in a constant number of read-only requests', async () => {
    const obs = client()
    await Promise.all([
      obs.projects.list(),
      obs.networks.list(),
      obs.profiles.list({ allProjects: true }),
      obs.instances.list({ allProjects: true }),
      obs.storage.volumes.list('default', { allProjects: true }),
      obs.images.list({ allProjects: true }),
    ])
    // Six lists plus one GET /1.0 shared by every extension check.
    expect(obs.stats).toMatchObject({ requests: 7, writes: 0, retries: 0 })
    await obs.close()
  })
})
