import { type FakeIncusd, failure, fakeIncusd, reply, sync } from '@anklume/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, type IncusClient } from './client.js'
import { IncusError } from './errors.js'

let daemon: FakeIncusd | undefined
let client: IncusClient | undefined

afterEach(async () => {
  await client?.close()
  await daemon?.close()
  client = daemon = undefined
})

async function answering(status: number, body: string, type = 'application/json'): Promise<IncusClient> {
  daemon = await fakeIncusd((_req, res) => {
    res.writeHead(status, { 'content-type': type })
    res.end(body)
  })
  client = createClient({ socketPath: daemon.socketPath })
  return client
}

describe('response envelopes', () => {
  it('rejects malformed JSON with INCUS_BAD_RESPONSE', async () => {
    const c = await answering(200, '{"type":"sync","metadata":[')
    const err = await c.projects.list().catch((e) => e)
    expect(err).toBeInstanceOf(IncusError)
    expect(err).toMatchObject({ code: 'INCUS_BAD_RESPONSE', status: 200, path: '/1.0/projects?recursion=1' })
    expect(err.message).toContain('not JSON')
  })

  it('rejects JSON that is not an Incus envelope with INCUS_BAD_RESPONSE', async () => {
    const c = await answering(200, '{"hello":"world"}')
    await expect(c.server()).rejects.toMatchObject({ code: 'INCUS_BAD_RESPONSE' })
  })

  it('keeps the status and text of a non-JSON error page (e.g. a proxy)', async () => {
    const c = await answering(502, '<html>Bad Gateway</html>', 'text/html')
    const err = await c.projects.list().catch((e) => e)
    expect(err).toMatchObject({
      code: 'INCUS_API_ERROR',
      status: 502,
      serverMessage: '<html>Bad Gateway</html>',
    })
  })

  it('maps error envelopes by status: 404, 409, 412, others', async () => {
    const cases: Array<[number, string, string]> = [
      [404, 'Instance not found', 'INCUS_NOT_FOUND'],
      [409, 'Alias "x" already exists', 'INCUS_CONFLICT'],
      [412, "ETag doesn't match: a vs b", 'INCUS_CONFLICT'],
      [403, 'not authorized', 'INCUS_API_ERROR'],
      [500, 'boom', 'INCUS_API_ERROR'],
    ]
    let i = 0
    daemon = await fakeIncusd((_req, res) => {
      const [status, message] = cases[i++] ?? [500, '']
      reply(res, status, failure(status, message))
    })
    client = createClient({ socketPath: daemon.socketPath })
    for (const [status, message, code] of cases) {
      const err = await client.instances.get('x').catch((e) => e)
      expect(err).toMatchObject({ code, status, serverMessage: message })
    }
  })

  it('treats an error envelope sent with HTTP 200 as an error', async () => {
    const c = await answering(200, JSON.stringify(failure(500, 'failed late')))
    await expect(c.projects.get('p')).rejects.toMatchObject({ code: 'INCUS_API_ERROR', status: 500 })
  })

  it('returns the ETag with getWithEtag', async () => {
    daemon = await fakeIncusd((_req, res) => reply(res, 200, sync({ name: 'p' }), { etag: '"e1"' }))
    client = createClient({ socketPath: daemon.socketPath })
    expect(await client.projects.getWithEtag('p')).toEqual({ value: { name: 'p' }, etag: '"e1"' })
  })
})
