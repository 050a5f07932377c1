import { randomBytes } from 'node:crypto'
import { link, mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export interface AtomicWriteOptions {
  /** Fail with EEXIST instead of replacing an existing file (the check and the write are one step). */
  exclusive?: boolean
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code
}

/** Moves `tmp` to `path` only if `path` does not exist: a hard link is atomic; filesystems without links get a check first. */
async function placeExclusive(tmp: string, path: string): Promise<void> {
  try {
    await link(tmp, path)
    await unlink(tmp)
  } catch (err) {
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes(errno(err) ?? '')) throw err
    const exists = await stat(path).then(
      () => true,
      () => false,
    )
    if (exists) throw Object.assign(new Error(`EEXIST: file already exists, '${path}'`), { code: 'EEXIST' })
    await rename(tmp, path)
  }
}

/**
 * Writes `content` to `path` so that readers see either the old file or the
 * whole new one, never a partial write: the bytes go to a temporary file in
 * the same directory, are flushed to disk, then renamed over the target (or
 * linked into place with `exclusive`, which fails if the target exists).
 * An existing file keeps its permission bits; a symlink is followed, so the
 * file it points to is replaced and the link stays.
 */
export async function writeFileAtomic(
  path: string,
  content: string,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  const target = await realpath(path).catch(() => path)
  const dir = dirname(target)
  await mkdir(dir, { recursive: true })
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let mode = 0o644
  try {
    mode = (await stat(target)).mode & 0o7777
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
    if (opts.exclusive) await placeExclusive(tmp, path)
    else await rename(tmp, target)
  } catch (err) {
    await unlink(tmp).catch(() => undefined)
    throw err
  }
}
