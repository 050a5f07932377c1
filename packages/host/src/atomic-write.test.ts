import { chmod, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileAtomic } from './atomic-write.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anklume-atomic-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('writeFileAtomic', () => {
  it('creates parent directories, replaces content, keeps permissions, leaves no temporary file', async () => {
    const path = join(dir, 'a/b/vars.yml')
    await writeFileAtomic(path, 'one\n')
    await chmod(path, 0o600)
    await writeFileAtomic(path, 'two\n')
    expect(await readFile(path, 'utf8')).toBe('two\n')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readdir(join(dir, 'a/b'))).toEqual(['vars.yml'])
  })

  it('replaces the file a symlink points to and keeps the link', async () => {
    await writeFile(join(dir, 'real.yml'), 'old\n')
    await symlink('real.yml', join(dir, 'link.yml'))
    await writeFileAtomic(join(dir, 'link.yml'), 'new\n')
    expect(await readlink(join(dir, 'link.yml'))).toBe('real.yml')
    expect(await readFile(join(dir, 'real.yml'), 'utf8')).toBe('new\n')
  })

  it('exclusive: refuses an existing file and leaves it and the directory untouched', async () => {
    const path = join(dir, 'infra.yml')
    await writeFileAtomic(path, 'first\n', { exclusive: true })
    await expect(writeFileAtomic(path, 'second\n', { exclusive: true })).rejects.toMatchObject({
      code: 'EEXIST',
    })
    expect(await readFile(path, 'utf8')).toBe('first\n')
    expect(await readdir(dir)).toEqual(['infra.yml'])
  })
})
