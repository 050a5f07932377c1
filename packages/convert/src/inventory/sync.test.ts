import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sampleInfra } from '@anklume/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MANAGED_BEGIN, MANAGED_END } from './managed.js'
import { syncInventory } from './sync.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anklume-sync-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const read = (rel: string) => readFile(join(dir, rel), 'utf8')

describe('syncInventory', () => {
  it('creates the tree, then a second run changes nothing', async () => {
    const first = await syncInventory(sampleInfra(), dir)
    expect(first.files.every((f) => f.status === 'created')).toBe(true)
    expect(first.files).toHaveLength(8)
    expect((await readdir(join(dir, 'host_vars'))).sort()).toEqual([
      'anklume-instance.yml',
      'work-dev.yml',
      'work-dhcp.yml',
    ])
    const before = await read('host_vars/work-dev.yml')
    const second = await syncInventory(sampleInfra(), dir)
    expect(second.files.every((f) => f.status === 'unchanged')).toBe(true)
    expect(await read('host_vars/work-dev.yml')).toBe(before)
    expect((await readdir(join(dir, 'host_vars'))).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('keeps user variables above and below the managed block when the infra changes', async () => {
    await syncInventory(sampleInfra(), dir)
    const original = await read('host_vars/work-dev.yml')
    const user = `${original}my_custom_var: 42\n# note to self\n`
    const header = '# header written by hand\n'
    await writeFile(join(dir, 'host_vars/work-dev.yml'), header + user)
    const changed = sampleInfra()
    changed.domains[1]!.machines[0]!.ip = '10.100.1.20'
    const report = await syncInventory(changed, dir)
    expect(report.files.find((f) => f.path === 'host_vars/work-dev.yml')?.status).toBe('updated')
    const text = await read('host_vars/work-dev.yml')
    expect(text.startsWith(`${header}---\n${MANAGED_BEGIN}\n`)).toBe(true)
    expect(
      text.endsWith(
        `${MANAGED_END}\n\n# Your custom variables below: anything outside the MANAGED block is kept by \`anklume sync\`.\nmy_custom_var: 42\n# note to self\n`,
      ),
    ).toBe(true)
    expect(text).toContain('instance_ip: 10.100.1.20')
    expect(text).not.toContain('10.100.1.10')
  })

  it('dry run writes nothing and says what would change', async () => {
    const report = await syncInventory(sampleInfra(), dir, { dryRun: true })
    expect(report.dryRun).toBe(true)
    expect(report.files.map((f) => f.status)).toEqual(Array(8).fill('created'))
    expect(await readdir(dir)).toEqual([])
  })

  it('stops with nothing written when a file has broken markers', async () => {
    await mkdir(join(dir, 'host_vars'), { recursive: true })
    const broken = `---\n${MANAGED_BEGIN}\ninstance_name: x\n`
    await writeFile(join(dir, 'host_vars/work-dev.yml'), broken)
    await expect(syncInventory(sampleInfra(), dir)).rejects.toMatchObject({
      code: 'ANKLUME_INVENTORY_MARKERS',
      message: expect.stringContaining('host_vars/work-dev.yml'),
    })
    expect(await readdir(dir)).toEqual(['host_vars'])
    expect(await read('host_vars/work-dev.yml')).toBe(broken)
  })

  it('reports orphans; --clean-orphans deletes only unprotected anklume files', async () => {
    await syncInventory(sampleInfra(), dir)
    const gone = sampleInfra()
    const work = gone.domains.pop()!
    // a user file without markers is not anklume's: never reported
    await writeFile(join(dir, 'group_vars/webservers.yml'), 'http_port: 80\n')
    const dry = await syncInventory(gone, dir, { cleanOrphans: true, dryRun: true })
    expect(dry.orphans).toEqual([
      { path: 'inventory/work.yml', protected: true, removed: false },
      { path: 'group_vars/work.yml', protected: true, removed: false },
      { path: 'host_vars/work-dev.yml', protected: true, removed: false },
      { path: 'host_vars/work-dhcp.yml', protected: false, removed: false },
    ])
    const report = await syncInventory(gone, dir, { cleanOrphans: true })
    expect(report.orphans.filter((o) => o.removed).map((o) => o.path)).toEqual(['host_vars/work-dhcp.yml'])
    expect((await readdir(join(dir, 'host_vars'))).sort()).toEqual(['anklume-instance.yml', 'work-dev.yml'])
    expect(await read('group_vars/webservers.yml')).toBe('http_port: 80\n')
    // a disabled domain's files are not orphans
    work.enabled = false
    const disabled = sampleInfra()
    disabled.domains[1] = work
    expect((await syncInventory(disabled, dir)).orphans).toEqual([])
  })
})
