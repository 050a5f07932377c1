import { type FakeIncusd, fakeIncusd, reply, sync } from '@anklume/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, type IncusClient } from './client.js'

let daemon: FakeIncusd | undefined
let client: IncusClient | undefined

afterEach(async () => {
  await client?.close()
  await daemon?.close()
  client = daemon = undefined
})

const projects = [
  { name: 'default', config: { 'features.profiles': 'true' } },
  { name: 'own', config: { 'features.profiles': 'true' } },
  { name: 'shared', config: { 'features.profiles': 'false' } },
]

/** A server with the given extensions; per-project profile lists as Incus answers them. */
async function server(extensions: string[]): Promise<IncusClient> {
  daemon = await fakeIncusd((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/1.0') return reply(res, 200, sync({ api_extensions: extensions, auth: 'trusted' }))
    if (url.pathname === '/1.0/projects') return reply(res, 200, sync(projects))
    if (url.searchParams.get('all-projects') === 'true') {
      return reply(
        res,
        200,
        sync([
          { name: 'default', project: 'default' },
          { name: 'web', project: 'own' },
        ]),
      )
    }
    const project = url.searchParams.get('project') ?? 'default'
    // A project without features.profiles shows the default project's profiles.
    const names = project === 'own' ? ['default', 'web'] : ['default']
    return reply(res, 200, sync(names.map((name) => ({ name }))))
  })
  client = createClient({ socketPath: daemon.socketPath })
  return client
}

describe('listing across projects', () => {
  it('uses ?all-projects=true in one request when the server has the extension', async () => {
    const c = await server(['profiles_all_projects'])
    const list = await c.profiles.list({ allProjects: true })
    expect(list.map((p) => `${p.project}/${p.name}`)).toEqual(['default/default', 'own/web'])
    expect(daemon?.seen).toEqual(['GET /1.0', 'GET /1.0/profiles?recursion=1&all-projects=true'])
  })

  it('falls back to one list per project that owns profiles, tagging each object with its project', async () => {
    const c = await server([])
    const list = await c.profiles.list({ allProjects: true })
    expect(list.map((p) => `${p.project}/${p.name}`)).toEqual(['default/default', 'own/default', 'own/web'])
    expect(daemon?.seen.sort()).toEqual(
      [
        'GET /1.0',
        'GET /1.0/projects?recursion=1',
        'GET /1.0/profiles?recursion=1&project=default',
        'GET /1.0/profiles?recursion=1&project=own',
      ].sort(),
    )
  })

  it('lists one project with ?project= and asks nothing else', async () => {
    const c = await server([])
    expect(await c.profiles.list({ project: 'own' })).toEqual([{ name: 'default' }, { name: 'web' }])
    expect(daemon?.seen).toEqual(['GET /1.0/profiles?recursion=1&project=own'])
  })

  it('reads /1.0 once for every feature check', async () => {
    const c = await server(['instance_all_projects'])
    expect(await c.hasExtension('instance_all_projects')).toBe(true)
    expect(await c.hasExtension('profiles_all_projects')).toBe(false)
    await c.instances.list({ allProjects: true })
    expect(daemon?.seen.filter((s) => s === 'GET /1.0')).toHaveLength(1)
  })

  it('does not let one caller abort the shared GET /1.0 of the others', async () => {
    daemon = await fakeIncusd((_req, res) => {
      setTimeout(() => reply(res, 200, sync({ api_extensions: ['x'], auth: 'trusted' })), 200)
    })
    client = createClient({ socketPath: daemon.socketPath })
    const ctl = new AbortController()
    const first = client.hasExtension('x', { signal: ctl.signal })
    const second = client.hasExtension('x')
    ctl.abort()
    await expect(first).rejects.toMatchObject({ code: 'INCUS_CANCELLED' })
    expect(await second).toBe(true)
    expect(daemon.seen).toEqual(['GET /1.0'])
  })
})
