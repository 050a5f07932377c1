import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { removeGeneratedInventory, withoutManaged } from './clean.js'
import { mergeManaged } from './managed.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anklume-flush-inv-'))
  for (const sub of ['inventory', 'group_vars', 'host_vars']) await mkdir(join(dir, sub))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('withoutManaged', () => {
  it('a generated file has nothing of the user: undefined (delete it)', () => {
    expect(withoutManaged(mergeManaged(undefined, 'a: 1\n'))).toBeUndefined()
  })
  it("keeps the user's lines, drops the block and the notice", () => {
    const text = `${mergeManaged(undefined, 'a: 1\n')}mine: 2\n`
    expect(withoutManaged(text)).toBe('---\n\nmine: 2\n')
  })
  it('a file without markers is returned as is', () => {
    expect(withoutManaged('x: 1\n')).toBe('x: 1\n')
  })
})

describe('removeGeneratedInventory', () => {
  it('deletes generated files, strips mixed ones, never touches files without markers', async () => {
    await writeFile(join(dir, 'inventory', 'pro.yml'), mergeManaged(undefined, 'all: {}\n'))
    await writeFile(
      join(dir, 'group_vars', 'pro.yml'),
      `${mergeManaged(undefined, 'domain_name: pro\n')}owner: me\n`,
    )
    await writeFile(
      join(dir, 'host_vars', 'pro-dev.yml'),
      mergeManaged(undefined, 'instance_name: pro-dev\n'),
    )
    await writeFile(join(dir, 'host_vars', 'laptop.yml'), 'ansible_host: 1.2.3.4\n')
    await writeFile(join(dir, 'host_vars', 'broken.yml'), '# === MANAGED BY infra.yml ===\nx: 1\n')

    const dry = await removeGeneratedInventory(dir, { dryRun: true })
    expect(dry).toEqual({
      deleted: ['inventory/pro.yml', 'host_vars/pro-dev.yml'],
      stripped: ['group_vars/pro.yml'],
    })
    expect((await readdir(join(dir, 'host_vars'))).length).toBe(3)

    const done = await removeGeneratedInventory(dir)
    expect(done).toEqual(dry)
    expect(await readdir(join(dir, 'inventory'))).toEqual([])
    expect((await readdir(join(dir, 'host_vars'))).sort()).toEqual(['broken.yml', 'laptop.yml'])
    expect(await readFile(join(dir, 'group_vars', 'pro.yml'), 'utf8')).toBe('---\n\nowner: me\n')
  })

  it('a domain scope only looks at that domain and its machines', async () => {
    await writeFile(join(dir, 'inventory', 'pro.yml'), mergeManaged(undefined, 'all: {}\n'))
    await writeFile(join(dir, 'inventory', 'perso.yml'), mergeManaged(undefined, 'all: {}\n'))
    await writeFile(join(dir, 'host_vars', 'pro-dev.yml'), mergeManaged(undefined, 'x: 1\n'))
    const r = await removeGeneratedInventory(dir, { domain: { name: 'pro', machines: ['pro-dev'] } })
    expect(r.deleted).toEqual(['inventory/pro.yml', 'host_vars/pro-dev.yml'])
    expect(await readdir(join(dir, 'inventory'))).toEqual(['perso.yml'])
  })
})
