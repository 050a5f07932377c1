import { mkdir, open, readFile, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { AnklumeError } from '@anklume/errors'

/**
 * A host-wide lock so two `anklume apply` runs never interleave. The lock is
 * a file created with O_EXCL holding the owner's pid; a lock whose pid is
 * dead (a killed apply) is taken over, so an interrupted apply never blocks
 * the next one.
 */

export const DEFAULT_LOCK_PATH = '/run/anklume/apply.lock'

export class LockError extends AnklumeError<'ANKLUME_LOCKED'> {
  /** The live process holding the lock. */
  readonly pid: number
  constructor(path: string, pid: number) {
    super('ANKLUME_LOCKED', `another anklume apply (pid ${pid}) holds ${path}`, {
      hint: 'wait for it to finish; if that process is gone, the lock is taken over automatically',
    })
    this.name = 'LockError'
    this.pid = pid
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface Lock {
  release(): Promise<void>
}

export interface AcquireOptions {
  path?: string
  /** How long to wait for a live holder before failing (ms). Default 0: fail at once. */
  waitMs?: number
}

export async function acquireLock(opts: AcquireOptions = {}): Promise<Lock> {
  const path = opts.path ?? DEFAULT_LOCK_PATH
  const deadline = Date.now() + (opts.waitMs ?? 0)
  await mkdir(dirname(path), { recursive: true })
  for (;;) {
    try {
      const fh = await open(path, 'wx')
      await fh.writeFile(`${process.pid}\n`)
      await fh.close()
      return {
        release: async () => {
          const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10)
          if (owner === process.pid) await rm(path, { force: true })
        },
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10)
    if (!Number.isFinite(pid) || !alive(pid)) {
      await rm(path, { force: true })
      continue
    }
    if (Date.now() >= deadline) throw new LockError(path, pid)
    await new Promise((r) => setTimeout(r, 200))
  }
}
