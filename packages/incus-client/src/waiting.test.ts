/** A daemon that accepts and never answers: the `onWaiting` notices, and the timeout's hint. */

import { type FakeIncusd, fakeIncusd, reply, sync } from '@anklume/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, type IncusClient } from './client.js'
import type { WaitingEvent } from './http.js'

let daemon: FakeIncusd | undefined
let client: IncusClient | undefined

afterEach(async () => {
  await client?.close()
  await daemon?.close()
  client = daemon = undefined
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('waiting on a daemon that does not answer', () => {
  it('reports the request at growing intervals, then times out with a hint naming --timeout', async () => {
    daemon = await fakeIncusd(() => undefined)
    const events: WaitingEvent[] = []
    client = createClient({
      socketPath: daemon.socketPath,
      requestTimeoutMs: 500,
      retries: 0,
      waitingNoticeMs: 60,
      onWaiting: (e) => events.push(e),
    })
    const err = await client.projects.list().catch((e) => e)
    expect(err).toMatchObject({ code: 'INCUS_TIMEOUT' })
    expect(err.hint).toContain('--timeout <seconds>')
    // 60 ms, then 120, 240… ms later, until the limit (undici checks it with ~1 s precision).
    expect(events.length).toBeGreaterThanOrEqual(3)
    for (const e of events)
      expect([e.method, e.path, e.timeoutMs]).toEqual(['GET', '/1.0/projects?recursion=1', 500])
    const waited = events.map((e) => e.waitedMs)
    expect(waited[0]).toBeGreaterThanOrEqual(55)
    expect((waited[2] ?? 0) - (waited[1] ?? 0)).toBeGreaterThan((waited[1] ?? 0) - (waited[0] ?? 0))
    const seen = events.length
    await sleep(600)
    expect(events).toHaveLength(seen) // nothing after the request ended
  })

  it('says nothing about a request answered in time', async () => {
    daemon = await fakeIncusd((_req, res) => {
      setTimeout(() => reply(res, 200, sync([])), 20)
    })
    const events: WaitingEvent[] = []
    client = createClient({
      socketPath: daemon.socketPath,
      waitingNoticeMs: 200,
      onWaiting: (e) => events.push(e),
    })
    await client.projects.list()
    await sleep(300)
    expect(events).toEqual([])
  })

  it('does not report operation long polls, which are meant to wait', async () => {
    daemon = await fakeIncusd(() => undefined)
    const events: WaitingEvent[] = []
    client = createClient({
      socketPath: daemon.socketPath,
      waitingNoticeMs: 30,
      onWaiting: (e) => events.push(e),
    })
    const err = await client.wait('abc', { signal: AbortSignal.timeout(200) }).catch((e) => e)
    expect(err).toMatchObject({ code: 'INCUS_CANCELLED' })
    expect(events).toEqual([])
  })

  it('ignores a hook that throws', async () => {
    daemon = await fakeIncusd((_req, res) => {
      setTimeout(() => reply(res, 200, sync([])), 120)
    })
    client = createClient({
      socketPath: daemon.socketPath,
      waitingNoticeMs: 30,
      onWaiting: () => {
        throw new Error('boom')
      },
    })
    await expect(client.projects.list()).resolves.toEqual([])
  })
})
