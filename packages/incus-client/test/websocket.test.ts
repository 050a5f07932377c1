/**
 * The websocket APIs on the real daemon: the event stream reports a stop
 * done behind its back (with the project), and a terminal runs a shell on a
 * pseudo-terminal, echoes its output, follows a resize and reports the exit
 * code. Both also over an HTTPS remote (client certificate, pinned server
 * certificate), and a wrong pin is refused.
 */
import { type HttpsRemote, setupHttpsRemote } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type IncusEvent } from '../src/index.js'
import { client, prefix } from './helpers.js'
import { createSandbox, type Sandbox } from './sandbox.js'

const c = client()
let sb: Sandbox
const name = `${prefix}-ws`
const p = () => ({ project: sb.project })

beforeAll(async () => {
  sb = await createSandbox(c, 'ws')
  await c.instances.create(
    { name, source: { type: 'image', alias: 'anklume-test/busybox' }, start: true },
    { project: sb.project },
  )
})

afterAll(async () => {
  await sb?.destroy()
  await c.close()
})

async function until<T>(what: string, get: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = get()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('events', () => {
  it('reports instance-stopped and instance-started lifecycle events with their project', async () => {
    const seen: IncusEvent[] = []
    const stream = await c.events((e) => seen.push(e), { types: ['lifecycle'] })
    try {
      await c.instances.setState(name, { action: 'stop', force: true }, p())
      const ofUs = (action: string) =>
        seen.find(
          (e) =>
            e.metadata['action'] === action &&
            String(e.metadata['source']).startsWith(`/1.0/instances/${name}`),
        )
      const stopped = await until('instance-stopped', () => ofUs('instance-stopped'))
      expect(stopped.type).toBe('lifecycle')
      expect(stopped.project).toBe(sb.project)
      await c.instances.setState(name, { action: 'start' }, p())
      await until('instance-started', () => ofUs('instance-started'))
      expect(seen.every((e) => e.type === 'lifecycle')).toBe(true)
    } finally {
      stream.close()
    }
    await expect(stream.closed).resolves.toBeUndefined()
  })

  it('a project filter only delivers that project', async () => {
    const seen: IncusEvent[] = []
    const stream = await c.events((e) => seen.push(e), { types: ['lifecycle'], project: sb.project })
    try {
      await c.snapshots.create(name, { name: 'ev1' }, p())
      await until('snapshot-created', () =>
        seen.find((e) => e.metadata['action'] === 'instance-snapshot-created'),
      )
      expect(seen.every((e) => e.project === sb.project)).toBe(true)
    } finally {
      stream.close()
    }
  })
})

describe('terminal', () => {
  it('runs a shell on a pty: input, output, resize and the exit code', async () => {
    const term = await c.terminal(name, ['sh'], { ...p(), width: 100, height: 30 })
    let out = ''
    term.onData((b) => {
      out += b.toString()
    })
    term.write('hostname; stty size\r')
    await until('hostname', () => (out.includes(name) && out.includes('30 100') ? true : undefined))
    term.resize(120, 40)
    // The resize is applied asynchronously by Incus: ask until the pty shows it.
    const end = Date.now() + 10_000
    while (!out.includes('40 120') && Date.now() < end) {
      term.write('stty size\r')
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(out).toContain('40 120')
    term.write('exit 7\r')
    expect(await term.exit).toBe(7)
  })

  it('close() hangs the shell up', async () => {
    const term = await c.terminal(name, ['sh'], p())
    term.close()
    expect(typeof (await term.exit)).toBe('number')
  })
})

describe('over an HTTPS remote', () => {
  let remoteEnv: HttpsRemote
  beforeAll(async () => {
    remoteEnv = await setupHttpsRemote(`${prefix}w`)
  })
  afterAll(async () => {
    await remoteEnv?.close()
  })

  it('events and a terminal go over the remote with the pinned certificate', async () => {
    const { url, serverCert, trusted } = remoteEnv
    const remote = createClient({ remote: { url, cert: trusted.cert, key: trusted.key, serverCert } })
    try {
      const seen: IncusEvent[] = []
      const stream = await remote.events((e) => seen.push(e), { types: ['lifecycle'], project: sb.project })
      await c.snapshots.create(name, { name: 'remote1' }, p())
      await until('snapshot event over https', () =>
        seen.find((e) => e.metadata['action'] === 'instance-snapshot-created'),
      )
      stream.close()
      const term = await remote.terminal(name, ['sh'], p())
      let out = ''
      term.onData((b) => {
        out += b.toString()
      })
      term.write('hostname; exit 0\r')
      expect(await term.exit).toBe(0)
      expect(out).toContain(name)
    } finally {
      await remote.close()
    }
  })

  it('refuses a server whose certificate is not the pinned one', async () => {
    const { url, trusted, stranger } = remoteEnv
    const remote = createClient({
      remote: { url, cert: trusted.cert, key: trusted.key, serverCert: stranger.cert },
    })
    try {
      await expect(remote.events(() => undefined)).rejects.toThrow(/certificate/)
    } finally {
      await remote.close()
    }
  })
})
