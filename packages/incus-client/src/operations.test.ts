import {
  asyncReply,
  type FakeIncusd,
  failure,
  fakeIncusd,
  type Handler,
  operation,
  reply,
  sync,
} from '@anklume/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, type IncusClient } from './client.js'
import { operationId } from './operations.js'

let daemon: FakeIncusd | undefined
let client: IncusClient | undefined

afterEach(async () => {
  await client?.close()
  await daemon?.close()
  client = daemon = undefined
})

const ID = '0b1c2d3e-0000-4000-8000-000000000001'

/** POST /1.0/instances starts operation ID; every wait is answered by `onWait`. */
async function withOperation(onWait: Handler, onGet?: Handler): Promise<IncusClient> {
  daemon = await fakeIncusd((req, res, body) => {
    if (req.method === 'POST') reply(res, 202, asyncReply(ID))
    else if (req.url?.startsWith(`/1.0/operations/${ID}/wait`)) onWait(req, res, body)
    else if (req.url === `/1.0/operations/${ID}` && onGet) onGet(req, res, body)
    else reply(res, 404, failure(404, 'not found'))
  })
  client = createClient({ socketPath: daemon.socketPath })
  return client
}

const create = (c: IncusClient, extra = {}) =>
  c.instances.create({ name: 'i', source: { type: 'none' } }, { project: 'p', ...extra })

describe('operations', () => {
  it('parses ids and operation URLs', () => {
    expect(operationId(ID)).toBe(ID)
    expect(operationId(`/1.0/operations/${ID}`)).toBe(ID)
    expect(operationId(`/1.0/operations/${ID}?project=p`)).toBe(ID)
  })

  it('polls wait?timeout=N until the operation succeeds', async () => {
    let polls = 0
    const c = await withOperation((_req, res) => {
      if (++polls < 3) reply(res, 200, failure(500, 'context deadline exceeded'))
      else reply(res, 200, sync(operation(ID, 200, { metadata: { fingerprint: 'abc' } })))
    })
    const op = await create(c)
    expect(op).toMatchObject({ id: ID, status_code: 200, metadata: { fingerprint: 'abc' } })
    expect(daemon?.seen).toEqual([
      'POST /1.0/instances?project=p',
      `GET /1.0/operations/${ID}/wait?timeout=30`,
      `GET /1.0/operations/${ID}/wait?timeout=30`,
      `GET /1.0/operations/${ID}/wait?timeout=30`,
    ])
  })

  it('keeps polling when the wait answers a still-running operation', async () => {
    let polls = 0
    const c = await withOperation((_req, res) => {
      reply(res, 200, sync(operation(ID, ++polls < 2 ? 103 : 200)))
    })
    expect((await create(c))?.status_code).toBe(200)
    expect(polls).toBe(2)
  })

  it('throws INCUS_OPERATION_FAILED with the server err on status 400', async () => {
    const c = await withOperation((_req, res) =>
      reply(res, 200, sync(operation(ID, 400, { description: 'Creating instance', err: 'disk full' }))),
    )
    const err = await create(c).catch((e) => e)
    expect(err).toMatchObject({
      code: 'INCUS_OPERATION_FAILED',
      status: 400,
      serverMessage: 'disk full',
      operationId: ID,
    })
    expect(err.message).toBe('Creating instance failed: disk full')
  })

  it('reads the operation when the wait itself answers with its error (what Incus 6 does)', async () => {
    const c = await withOperation(
      (_req, res) => reply(res, 200, failure(500, 'Image not provided')),
      (_req, res) => reply(res, 200, sync(operation(ID, 400, { err: 'Image not provided' }))),
    )
    await expect(create(c)).rejects.toMatchObject({
      code: 'INCUS_OPERATION_FAILED',
      serverMessage: 'Image not provided',
    })
  })

  it('keeps the wait error when the failed operation is already gone', async () => {
    const c = await withOperation((_req, res) => reply(res, 200, failure(500, 'Image not provided')))
    await expect(create(c)).rejects.toMatchObject({
      code: 'INCUS_OPERATION_FAILED',
      serverMessage: 'Image not provided',
    })
  })

  it('throws INCUS_CANCELLED for a cancelled operation (401)', async () => {
    const c = await withOperation((_req, res) =>
      reply(res, 200, sync(operation(ID, 401, { status: 'Cancelled', err: 'cancelled by user' }))),
    )
    await expect(create(c)).rejects.toMatchObject({ code: 'INCUS_CANCELLED', status: 401 })
  })

  it('treats a 404 on wait as "finished and forgotten": undefined, the caller re-reads', async () => {
    const c = await withOperation((_req, res) => reply(res, 404, failure(404, 'Operation not found')))
    expect(await create(c)).toBeUndefined()
    expect(await c.wait(ID)).toBeUndefined()
  })

  it('polls again a wait that fell while Incus was forgetting the operation (500 "Missing event connection"), until its 404', async () => {
    let polls = 0
    const c = await withOperation((_req, res) => {
      if (++polls < 3) reply(res, 500, failure(500, 'Missing event connection with target cluster member'))
      else reply(res, 404, failure(404, 'Operation not found'))
    })
    expect(await create(c)).toBeUndefined()
    expect(polls).toBe(3)
  })

  it('lets that 500 stand when it lasts (a cluster member really unreachable)', async () => {
    const c = await withOperation((_req, res) =>
      reply(res, 500, failure(500, 'Missing event connection with target cluster member')),
    )
    await expect(create(c)).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining('Missing event'),
    })
  }, 15_000)

  it('does not wait with wait: false, and returns the running operation', async () => {
    const c = await withOperation((_req, res) => reply(res, 200, sync(operation(ID, 200))))
    const op = await create(c, { wait: false })
    expect(op?.status_code).toBe(103)
    expect(daemon?.seen).toEqual(['POST /1.0/instances?project=p'])
  })

  it('gives up after timeoutSec with INCUS_TIMEOUT and shortens the last poll', async () => {
    const c = await withOperation((_req, res) => {
      setTimeout(() => reply(res, 200, failure(500, 'context deadline exceeded')), 300)
    })
    const err = await c.wait(ID, { timeoutSec: 1 }).catch((e) => e)
    expect(err).toMatchObject({ code: 'INCUS_TIMEOUT', operationId: ID })
    expect(daemon?.seen.every((s) => s === `GET /1.0/operations/${ID}/wait?timeout=1`)).toBe(true)
  })

  it('cancels a wait through its AbortSignal', async () => {
    const c = await withOperation(() => undefined)
    const ctl = new AbortController()
    setTimeout(() => ctl.abort(), 100)
    await expect(c.wait(ID, { signal: ctl.signal })).rejects.toMatchObject({ code: 'INCUS_CANCELLED' })
  })

  it('gets and cancels operations', async () => {
    daemon = await fakeIncusd((req, res) => {
      if (req.method === 'DELETE') reply(res, 200, sync({}))
      else reply(res, 200, sync(operation(ID, 103)))
    })
    client = createClient({ socketPath: daemon.socketPath })
    expect((await client.operations.get(`/1.0/operations/${ID}`)).status).toBe('Running')
    await client.operations.cancel(ID)
    expect(daemon.seen).toEqual([`GET /1.0/operations/${ID}`, `DELETE /1.0/operations/${ID}`])
  })
})
