import { rmSync } from 'node:fs'
import { type FakeIncusd, fakeIncusd, reply, sync } from '@anklume/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, type IncusClient } from './client.js'
import type { RequestEvent } from './http.js'

let daemon: FakeIncusd | undefined
let client: IncusClient | undefined

afterEach(async () => {
  await client?.close()
  await daemon?.close()
  client = daemon = undefined
})

describe('transport', () => {
  it('reuses keep-alive connections instead of opening one per request', async () => {
    daemon = await fakeIncusd((_req, res) => reply(res, 200, sync([])))
    client = createClient({ socketPath: daemon.socketPath, connections: 8 })
    for (let i = 0; i < 30; i++) await client.projects.list()
    expect(daemon.seen).toHaveLength(30)
    // undici's pool opens a second socket while the first one finishes its first answer, then reuses both.
    expect(daemon.connections).toBeLessThanOrEqual(2)
    await Promise.all(Array.from({ length: 20 }, () => client?.projects.list()))
    expect(daemon.connections).toBeLessThanOrEqual(8) // the pool's size
    expect(client.stats).toMatchObject({ requests: 50, writes: 0, retries: 0 })
  })

  it('retries a GET after a connection reset, and reports both attempts', async () => {
    let n = 0
    daemon = await fakeIncusd((req, res) => {
      if (n++ === 0) req.socket.destroy()
      else reply(res, 200, sync([{ name: 'default' }]))
    })
    const events: RequestEvent[] = []
    client = createClient({ socketPath: daemon.socketPath, onRequest: (e) => events.push(e) })
    const projects = await client.projects.list()
    expect(projects).toEqual([{ name: 'default' }])
    expect(daemon.seen).toEqual(['GET /1.0/projects?recursion=1', 'GET /1.0/projects?recursion=1'])
    expect(client.stats).toMatchObject({ requests: 2, retries: 1 })
    expect(events.map((e) => [e.attempt, e.status, e.error])).toEqual([
      [1, 0, 'INCUS_UNREACHABLE'],
      [2, 200, undefined],
    ])
  })

  it('gives up on a GET after the configured retries', async () => {
    daemon = await fakeIncusd((req) => req.socket.destroy())
    client = createClient({ socketPath: daemon.socketPath, retries: 1 })
    await expect(client.projects.list()).rejects.toMatchObject({ code: 'INCUS_UNREACHABLE' })
    expect(daemon.seen).toHaveLength(2)
  })

  it('never retries a POST after a connection reset', async () => {
    daemon = await fakeIncusd((req) => req.socket.destroy())
    client = createClient({ socketPath: daemon.socketPath })
    const err = await client.projects.create({ name: 'p' }).catch((e) => e)
    expect(err).toMatchObject({ code: 'INCUS_UNREACHABLE', method: 'POST', path: '/1.0/projects' })
    expect(daemon.seen).toEqual(['POST /1.0/projects'])
    expect(client.stats).toMatchObject({ requests: 1, writes: 1, retries: 0 })
  })

  it('cancels a slow request through its AbortSignal', async () => {
    daemon = await fakeIncusd((_req, res) => {
      setTimeout(() => reply(res, 200, sync([])), 5_000)
    })
    client = createClient({ socketPath: daemon.socketPath })
    const ctl = new AbortController()
    setTimeout(() => ctl.abort(), 100)
    const started = Date.now()
    const err = await client.instances.list({ signal: ctl.signal }).catch((e) => e)
    expect(err).toMatchObject({ code: 'INCUS_CANCELLED' })
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(daemon.seen).toHaveLength(1) // no retry of a cancelled request
  })

  it('sends nothing when the signal is already aborted', async () => {
    daemon = await fakeIncusd((_req, res) => reply(res, 200, sync([])))
    client = createClient({ socketPath: daemon.socketPath })
    const err = await client.projects.list({ signal: AbortSignal.abort() }).catch((e) => e)
    expect(err).toMatchObject({ code: 'INCUS_CANCELLED' })
    expect(daemon.seen).toEqual([])
  })

  it('turns a response that never comes into INCUS_TIMEOUT', async () => {
    daemon = await fakeIncusd(() => undefined)
    client = createClient({ socketPath: daemon.socketPath, requestTimeoutMs: 200, retries: 0 })
    const err = await client.projects.list().catch((e) => e)
    expect(err).toMatchObject({ code: 'INCUS_TIMEOUT' })
    expect(err.message).toContain(daemon.socketPath)
  })

  it('reports a missing socket as INCUS_UNREACHABLE with its path and a hint', async () => {
    daemon = await fakeIncusd(() => undefined)
    const gone = daemon.socketPath
    rmSync(gone)
    client = createClient({ socketPath: gone })
    const err = await client.server().catch((e) => e)
    expect(err).toMatchObject({ code: 'INCUS_UNREACHABLE' })
    expect(err.message).toContain(gone)
    expect(err.hint).toContain(`The socket ${gone} does not exist`)
    expect(err.hint).toMatch(/INCUS_SOCKET/)
  })

  it('sends the user agent, the JSON body, the project and If-Match', async () => {
    const got: Array<{ headers: Record<string, unknown>; body: string }> = []
    daemon = await fakeIncusd((req, res, body) => {
      got.push({ headers: req.headers, body })
      reply(res, 200, sync({}))
    })
    client = createClient({ socketPath: daemon.socketPath, userAgent: 'ua-test' })
    await client.profiles.update('p1', { config: { a: 'b' } }, { project: 'x y', etag: '"abc"' })
    expect(daemon.seen).toEqual(['PUT /1.0/profiles/p1?project=x+y'])
    expect(got[0]?.headers).toMatchObject({
      'user-agent': 'ua-test',
      'if-match': '"abc"',
      'content-type': 'application/json',
    })
    expect(JSON.parse(got[0]?.body ?? '')).toEqual({ config: { a: 'b' } })
  })

  it('ignores an error thrown by the onRequest hook', async () => {
    daemon = await fakeIncusd((_req, res) => reply(res, 200, sync([])))
    client = createClient({
      socketPath: daemon.socketPath,
      onRequest: () => {
        throw new Error('hook bug')
      },
    })
    expect(await client.projects.list()).toEqual([])
    expect(daemon.seen).toHaveLength(1)
  })
})
