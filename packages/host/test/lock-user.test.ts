/**
 * A non-root user with access to the Incus socket can apply: the lock needs
 * no file in a root-only directory. Run as root (CI), the holder runs as
 * `nobody` through runuser; as anyone else, as that user. The root process
 * then sees the lock held (one lock per target, whoever holds it).
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { acquireLock, LockError } from '../src/index.js'

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url))

describe('apply lock and users', () => {
  it('is taken by an unprivileged user and excludes root while held', async () => {
    if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`pnpm build\` first`)
    const target = `unix:/tmp/${randomBytes(6).toString('hex')}/unix.socket`
    const script = `const { acquireLock } = await import(${JSON.stringify(DIST)}); await acquireLock({ target: ${JSON.stringify(target)} }); console.log(process.getuid()); setInterval(() => {}, 1000)`
    const asRoot = process.getuid?.() === 0
    const cmd = asRoot ? 'runuser' : process.execPath
    const args = asRoot
      ? ['-u', 'nobody', '--', process.execPath, '--input-type=module', '-e', script]
      : ['--input-type=module', '-e', script]
    // Its own process group: runuser forks the node process, the whole group is killed.
    const holder = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: '/tmp', detached: true })
    try {
      const uid = await new Promise<number>((resolve, reject) => {
        holder.stdout.once('data', (d) => resolve(Number(String(d).trim())))
        holder.once('exit', (code) => reject(new Error(`holder exited ${code}`)))
      })
      if (asRoot) expect(uid).not.toBe(0)
      await expect(acquireLock({ target })).rejects.toBeInstanceOf(LockError)
    } finally {
      const exited = new Promise((r) => holder.once('exit', r))
      process.kill(-(holder.pid as number), 'SIGKILL')
      await exited
    }
    // The grandchild may outlive runuser by a moment; the kernel frees the lock when it is gone.
    const lock = await acquireLock({ target, waitMs: 5000, pollMs: 20 })
    await lock.release()
  })
})
