import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, prefix } from './helpers.js'
import { createSandbox, type Sandbox } from './sandbox.js'

const c = client()
let sb: Sandbox
const name = `${prefix}-fx`
const p = () => ({ project: sb.project })

beforeAll(async () => {
  sb = await createSandbox(c, 'fx')
  await c.instances.create(
    { name, source: { type: 'image', alias: 'anklume-test/busybox' }, start: true },
    { project: sb.project },
  )
})

afterAll(async () => {
  await sb?.destroy()
  await c.close()
})

describe('files', () => {
  it('makes a directory and pushes a file with mode, uid and gid, then reads it back', async () => {
    // The parent must exist: the daemon does not create it.
    await expect(c.files.mkdir(name, '/srv/app', p())).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
    await c.files.mkdir(name, '/srv', p())
    await c.files.mkdir(name, '/srv', p()) // an existing directory is fine
    await c.files.mkdir(name, '/srv/app', { ...p(), mode: 0o750, uid: 1000, gid: 1000 })
    const content = `hello from ${prefix}\n`
    await c.files.push(name, '/srv/app/conf.txt', content, { ...p(), mode: 0o640, uid: 1000, gid: 2000 })
    expect((await c.files.read(name, '/srv/app/conf.txt', p())).toString()).toBe(content)
    const info = await c.files.readWithInfo(name, '/srv/app/conf.txt', p())
    expect(info).toMatchObject({ uid: 1000, gid: 2000, mode: 0o640, type: 'file' })
    // The container sees the same owner and mode.
    const stat = await c.exec(name, ['stat', '-c', '%a %u %g', '/srv/app', '/srv/app/conf.txt'], p())
    expect(stat.stdout.trim().split('\n')).toEqual(['750 1000 1000', '640 1000 2000'])
  })

  it('pushes binary content from a stream and overwrites an existing file', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 256))
    await c.files.push(
      name,
      '/srv/blob',
      Readable.from([bytes.subarray(0, 30_000), bytes.subarray(30_000)]),
      p(),
    )
    expect((await c.files.read(name, '/srv/blob', p())).equals(bytes)).toBe(true)
    await c.files.push(name, '/srv/blob', 'short', p())
    expect((await c.files.read(name, '/srv/blob', p())).toString()).toBe('short')
    await c.files.delete(name, '/srv/blob', p())
    await expect(c.files.read(name, '/srv/blob', p())).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
  })

  it('reports a missing instance as INCUS_NOT_FOUND', async () => {
    await expect(c.files.read(`${prefix}-nobody`, '/etc/passwd', p())).rejects.toMatchObject({
      code: 'INCUS_NOT_FOUND',
      status: 404,
    })
  })
})

describe('exec', () => {
  it('returns the exit code and the recorded stdout and stderr', async () => {
    const r = await c.exec(name, ['sh', '-c', 'echo out; echo err >&2; exit 3'], p())
    expect(r).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' })
  })

  it('passes environment and working directory', async () => {
    const r = await c.exec(name, ['sh', '-c', 'echo "$GREETING $(pwd)"'], {
      ...p(),
      env: { GREETING: 'hi' },
      cwd: '/srv',
    })
    expect(r.stdout).toBe('hi /srv\n')
    expect(r.exitCode).toBe(0)
  })

  it('removes the recorded output logs once read', async () => {
    await c.exec(name, ['true'], p())
    const logs = await c.request<string[]>('GET', `/1.0/instances/${name}/logs/exec-output`, p())
    expect(logs.metadata).toEqual([])
  })

  it('gives up after timeoutSec with INCUS_TIMEOUT, and the operation can be waited for again', async () => {
    const err = await c.exec(name, ['sleep', '5'], { ...p(), timeoutSec: 1 }).catch((e) => e)
    expect(err).toMatchObject({ code: 'INCUS_TIMEOUT' })
    expect(err.operationId).toMatch(/^[0-9a-f-]{36}$/)
    const done = await c.operations.wait(err.operationId, { timeoutSec: 30 })
    expect(done?.status_code).toBe(200)
  })

  it('cancels a wait through its AbortSignal', async () => {
    const ctl = new AbortController()
    setTimeout(() => ctl.abort(), 300)
    const started = Date.now()
    const err = await c.exec(name, ['sleep', '3'], { ...p(), signal: ctl.signal }).catch((e) => e)
    expect(err).toMatchObject({ code: 'INCUS_CANCELLED' })
    expect(Date.now() - started).toBeLessThan(2500)
  })
})
