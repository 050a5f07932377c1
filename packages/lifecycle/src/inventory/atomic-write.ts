import { randomBytes } from 'node:crypto'
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export interface AtomicWriteOptions {
  /** Fail with EEXIST instead of replacing an existing file (the check and the write are one step). */
  exclusive?: boolean
}

/**
 * Writes `content` to `path` so that readers see either the old file or the
 * whole new one, never a partial write: the bytes go to a temporary file in
 * the same directory, are flushed to disk, then renamed over the target (or
 * hard-linked into place with `exclusive`, which fails if the target exists).
 * An existing file keeps its permission bits.
 */
export async function writeFileAtomic(
  path: string,
  content: string,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true })
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let mode = 0o644
  try {
    mode = (await stat(path)).mode & 0o7777
  } catch {
    // new file
  }
  const fh = await open(tmp, 'wx', mode)
  try {
    try {
      await fh.writeFile(content, 'utf8')
      await fh.chmod(mode)
      await fh.sync()
    } finally {
      await fh.close()
    }
    if (opts.exclusive) {
      await link(tmp, path)
      await unlink(tmp)
    } else {
      await rename(tmp, path)
    }
  } catch (err) {
    await unlink(tmp).catch(() => undefined)
    throw err
  }
}
