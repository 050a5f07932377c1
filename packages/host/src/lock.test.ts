import { spawn } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { acquireLock, LockError } from './lock.js'

const tmpLock = async () => join(await mkdtemp(join(tmpdir(), 'anklume-lock-')), 'sub', 'apply.lock')

describe('apply lock', () => {
  it('is exclusive while held and free after release', async () => {
    const path = await tmpLock()
    const lock = await acquireLock({ path })
    expect(await readFile(path, 'utf8')).toBe(`${process.pid}\n`)
    await expect(acquireLock({ path })).rejects.toBeInstanceOf(LockError)
    await lock.release()
    const again = await acquireLock({ path })
    await again.release()
  })

  it('names the holder and waits up to waitMs', async () => {
    const path = await tmpLock()
    const lock = await acquireLock({ path })
    const t0 = Date.now()
    const err = await acquireLock({ path, waitMs: 300 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'ANKLUME_LOCKED', pid: process.pid })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300)
    setTimeout(() => void lock.release(), 100)
    const second = await acquireLock({ path, waitMs: 2000 })
    await second.release()
  })

  it('takes over the lock of a dead process (a killed apply)', async () => {
    const path = await tmpLock()
    const child = spawn(process.execPath, ['-e', ''])
    const deadPid = await new Promise<number>((r) => child.on('exit', () => r(child.pid as number)))
    await acquireLock({ path }).then((l) => l.release())
    await writeFile(path, `${deadPid}\n`)
    const lock = await acquireLock({ path })
    expect(await readFile(path, 'utf8')).toBe(`${process.pid}\n`)
    await lock.release()
  })
})
