import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { acquireLock, LockError, lockName } from './lock.js'

const uniquePath = () => `/tmp/anklume-lock-test-${randomBytes(6).toString('hex')}`

describe('apply lock', () => {
  it('is exclusive while held and free after release', async () => {
    const path = uniquePath()
    const lock = await acquireLock({ path })
    await expect(acquireLock({ path })).rejects.toBeInstanceOf(LockError)
    await lock.release()
    const again = await acquireLock({ path })
    await again.release()
  })

  it('names the holder and waits up to waitMs', async () => {
    const path = uniquePath()
    const lock = await acquireLock({ path })
    const t0 = Date.now()
    const err = await acquireLock({ path, waitMs: 300, pollMs: 20 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'ANKLUME_LOCKED', pid: process.pid })
    expect((err as Error).message).toContain(`pid ${process.pid}`)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300)
    setTimeout(() => void lock.release(), 100)
    const second = await acquireLock({ path, waitMs: 2000, pollMs: 20 })
    await second.release()
  })

  it('is scoped by target: two Incus servers never wait for each other', async () => {
    const a = await acquireLock({ target: `unix:/tmp/${randomBytes(4).toString('hex')}/unix.socket` })
    const b = await acquireLock({ target: `https://${randomBytes(4).toString('hex')}.invalid:8443` })
    expect(a.name).not.toBe(b.name)
    expect(lockName({ target: 'x' })).toBe(lockName({ target: 'x' }))
    expect(lockName({ target: 'x', path: 'y' })).toBe(lockName({ path: 'y' }))
    await Promise.all([a.release(), b.release()])
  })

  it('goes with its holder when the holder is killed (kill -9): no stale lock', async () => {
    const path = uniquePath()
    const name = lockName({ path })
    // A child binds the same abstract socket the lock uses, then is killed.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require('net').createServer().listen({ path: '\\0' + ${JSON.stringify(name)} }, () => console.log('held'))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()))
    await expect(acquireLock({ path })).rejects.toBeInstanceOf(LockError)
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    const lock = await acquireLock({ path })
    await lock.release()
  })
})
