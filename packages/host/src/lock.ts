import { createHash } from 'node:crypto'
import { createConnection, createServer, type Server } from 'node:net'
import { AnklumeError } from '@anklume/errors'

/**
 * The apply lock: two anklume runs that change the same Incus never
 * interleave. It is a Linux abstract unix socket (`\0anklume-lock-<hash>`)
 * bound by the holder:
 * - taking it is one atomic `bind` (the kernel refuses a second binder), so
 *   no reader ever sees a half-written lock and two takers never both win;
 * - the kernel releases it when the holder exits, even on `kill -9`: there
 *   is no stale lock to take over, hence no takeover race;
 * - no file is written, so any user who may talk to Incus may take it (no
 *   root-only `/run` directory);
 * - it is scoped by target: runs against two different Incus servers never
 *   wait for each other;
 * - the holder answers every connection with its pid, so a refused run names
 *   it (`ss -xlp | grep anklume-lock` shows it too).
 * Abstract sockets belong to the network namespace: a run inside a container
 * does not see the host's lock (as a file in the container's /run would not).
 */

export const DEFAULT_LOCK_TARGET = 'unix:/var/lib/incus/unix.socket'

export class LockError extends AnklumeError<'ANKLUME_LOCKED'> {
  /** The process holding the lock (0 when it did not answer). */
  readonly pid: number
  constructor(target: string, pid: number) {
    super('ANKLUME_LOCKED', `another anklume run${pid > 0 ? ` (pid ${pid})` : ''} is changing ${target}`, {
      hint: 'wait for it to finish: the lock goes with its process, even when that process is killed',
    })
    this.name = 'LockError'
    this.pid = pid
  }
}

export interface Lock {
  /** The abstract socket name, without the leading NUL. */
  readonly name: string
  release(): Promise<void>
}

export interface AcquireOptions {
  /**
   * What the lock protects: the Incus endpoint (a socket path or an HTTPS
   * URL). Default: the local Incus socket.
   */
  target?: string | undefined
  /** An explicit lock name instead of one derived from the target (tests: `ANKLUME_LOCK_PATH`). */
  path?: string | undefined
  /** How long to wait for a live holder before failing (ms). Default 0: fail at once. */
  waitMs?: number
  /** Poll interval while waiting (ms, default 200). */
  pollMs?: number
}

/** The abstract socket name of a target's lock (without the leading NUL). */
export function lockName(opts: Pick<AcquireOptions, 'target' | 'path'> = {}): string {
  const key = opts.path ?? opts.target ?? DEFAULT_LOCK_TARGET
  return `anklume-lock-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`
}

function bind(name: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.end(`${process.pid}\n`))
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') resolve(undefined)
      else reject(err)
    })
    server.listen({ path: `\0${name}` }, () => {
      // A forgotten lock must not keep the process alive.
      server.unref()
      resolve(server)
    })
  })
}

/** Asks the holder for its pid (0 when it does not answer within a second). */
function holderPid(name: string): Promise<number> {
  return new Promise((resolve) => {
    let data = ''
    const socket = createConnection({ path: `\0${name}` })
    const done = (pid: number) => {
      socket.destroy()
      resolve(pid)
    }
    socket.setTimeout(1000, () => done(0))
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8')
    })
    socket.on('end', () => done(Number.parseInt(data, 10) || 0))
    socket.on('error', () => done(0))
  })
}

export async function acquireLock(opts: AcquireOptions = {}): Promise<Lock> {
  const name = lockName(opts)
  const target = opts.path ?? opts.target ?? DEFAULT_LOCK_TARGET
  const deadline = Date.now() + (opts.waitMs ?? 0)
  for (;;) {
    const server = await bind(name)
    if (server) {
      return {
        name,
        release: () => new Promise<void>((resolve) => server.close(() => resolve())),
      }
    }
    if (Date.now() >= deadline) throw new LockError(target, await holderPid(name))
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 200))
  }
}
