import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { installRuleset } from './install.js'

const ruleset = {
  model: { table: 'anklume' },
  text: 'table inet anklume\ndelete table inet anklume\ntable inet anklume {\n\tchain forward {\n\t\ttype filter hook forward priority filter - 10; policy accept;\n\t}\n}\n',
}
const DEBIAN_CONF =
  '#!/usr/sbin/nft -f\n\nflush ruleset\n\ntable inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter;\n\t}\n}\n'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anklume-install-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('installRuleset', () => {
  it('writes the table file, includes it once, and the resulting config loads in a netns', async () => {
    const conf = join(dir, 'nftables.conf')
    await writeFile(conf, DEBIAN_CONF)
    const opts = { dir: join(dir, 'nftables.d'), conf }
    const first = await installRuleset(ruleset, opts)
    expect(first).toMatchObject({
      file: join(dir, 'nftables.d/anklume.nft'),
      fileChanged: true,
      includeAdded: true,
    })
    expect(first.notes[0]).toContain('flush ruleset')
    expect(await readFile(first.file, 'utf8')).toBe(ruleset.text)
    const text = await readFile(conf, 'utf8')
    expect(text.startsWith(DEBIAN_CONF)).toBe(true)
    expect(text.slice(DEBIAN_CONF.length)).toBe(
      `\n# anklume isolation table (anklume nft install)\ninclude "${first.file}"\n`,
    )

    const again = await installRuleset(ruleset, opts)
    expect(again).toMatchObject({ fileChanged: false, includeAdded: false })
    expect(await readFile(conf, 'utf8')).toBe(text)

    const loaded = spawnSync(
      'unshare',
      ['-n', 'sh', '-c', `nft -f ${conf} && nft -f ${conf} && nft list tables`],
      {
        encoding: 'utf8',
      },
    )
    expect(loaded.stderr).toBe('')
    expect(loaded.stdout).toBe('table inet filter\ntable inet anklume\n')
  })

  it('leaves a config alone when a glob include already covers the file, creates a missing one', async () => {
    const conf = join(dir, 'nftables.conf')
    const nftd = join(dir, 'nftables.d')
    await writeFile(conf, `include "${nftd}/*.nft"\n`)
    expect(await installRuleset(ruleset, { dir: nftd, conf })).toMatchObject({
      includeAdded: false,
      notes: [],
    })
    expect(await readFile(conf, 'utf8')).toBe(`include "${nftd}/*.nft"\n`)

    const fresh = join(dir, 'new.conf')
    const r = await installRuleset(ruleset, { dir: nftd, conf: fresh, fileName: 'x.nft' })
    expect(r.includeAdded).toBe(true)
    expect(await readFile(fresh, 'utf8')).toContain(`include "${nftd}/x.nft"`)
  })
})
