/**
 * `anklume images` on the real daemon, with a COPY of the test image under
 * a per-run alias (re-packed tarball: another fingerprint), so the shared
 * `anklume-test/busybox` image is never touched: export -> delete -> import
 * gives the same fingerprint and alias back; import is idempotent; a remote
 * image fails cleanly (unreachable server, no internet contacted) while a
 * local alias is reported as cached.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gunzipSync, gzipSync } from 'node:zlib'
import type { IncusClient } from '@anklume/incus-client'
import { loadInfra, runPrefix, TEST_IMAGE } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  exportImages,
  type ImageEvent,
  imagesOfInfra,
  importImages,
  pullImages,
  readIndex,
} from '../src/index.js'
import { cliPath, newClient } from './helpers.js'

const prefix = runPrefix()
const alias = `${prefix}/img`
const tmp = mkdtempSync(join(tmpdir(), 'anklume-images-'))
const store = join(tmp, 'store')
let client: IncusClient
let fp = ''

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  client = newClient()
  const original = await client.images.aliases.get(TEST_IMAGE)
  const file = join(tmp, 'original.tar.gz')
  await client.images.exportToFile(original.target, file)
  const copy = gzipSync(gunzipSync(readFileSync(file)), { level: 1 })
  fp = (await client.images.importTarball(copy, { alias })).fingerprint
  expect(fp).not.toBe(original.target)
})

afterAll(async () => {
  await client.images.aliases.delete(alias).catch(() => undefined)
  if (fp) await client.images.delete(fp).catch(() => undefined)
  rmSync(tmp, { recursive: true, force: true })
  await client.close()
})

const infra = () =>
  loadInfra(`
project_name: ${prefix}-img
global:
  base_subnet: "10.210"
  default_os_image: ${alias}
domains:
  ${prefix}d:
    subnet_id: 1
    machines:
      ${prefix}-a: {}
      ${prefix}-b: { os_image: images:debian/13 }
`)

describe('anklume images', () => {
  it('lists the distinct images of an infra, default included', () => {
    expect(imagesOfInfra(infra())).toEqual([alias, 'images:debian/13'].sort())
  })

  it('pull: a remote image fails cleanly, naming it; a local alias is already cached', async () => {
    const before = (await client.images.list()).length
    const events: ImageEvent[] = []
    const outcomes = await pullImages(client, imagesOfInfra(infra()), {
      remotes: { images: 'https://127.0.0.1:1' },
      onEvent: (e) => events.push(e),
    })
    const byImage = Object.fromEntries(outcomes.map((o) => [o.image, o]))
    expect(byImage[alias]).toMatchObject({ status: 'cached', fingerprint: fp, aliases: [alias] })
    expect(byImage['images:debian/13']?.status).toBe('failed')
    expect(byImage['images:debian/13']?.error).toMatch(
      /^images:debian\/13: pull from https:\/\/127\.0\.0\.1:1 failed: .+/,
    )
    expect(events.filter((e) => e.type === 'start')).toHaveLength(2)
    expect(events.filter((e) => e.type === 'done')).toHaveLength(2)
    expect((await client.images.list()).length).toBe(before)
    const missing = await pullImages(client, [`${prefix}/nope`])
    expect(missing[0]).toMatchObject({ status: 'failed' })
    expect(missing[0]?.error).toContain(`${prefix}/nope`)
  })

  it('export -> delete -> import gives the same image and alias back; import is idempotent', async () => {
    const exported = await exportImages(client, store, { images: [alias, 'images:debian/13'] })
    expect(exported.outcomes.map((o) => o.status)).toEqual(['exported', 'failed'])
    expect(exported.outcomes[1]?.error).toContain('images:debian/13')
    expect(sha256(readFileSync(join(store, `${fp}.tar.gz`)))).toBe(fp)
    const index = await readIndex(store)
    expect(index?.images).toEqual([
      expect.objectContaining({ fingerprint: fp, file: `${fp}.tar.gz`, aliases: [{ name: alias }] }),
    ])
    // A second export finds the file there.
    expect((await exportImages(client, store, { images: [alias] })).outcomes[0]?.status).toBe('present')

    await client.images.delete(fp)
    await expect(client.images.aliases.get(alias)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })

    const imported = await importImages(client, store)
    expect(imported).toEqual([expect.objectContaining({ image: fp, status: 'imported', aliases: [alias] })])
    expect((await client.images.aliases.get(alias)).target).toBe(fp)
    expect((await client.images.get(fp)).fingerprint).toBe(fp)

    const again = await importImages(client, store)
    expect(again).toEqual([expect.objectContaining({ status: 'present', aliases: [alias] })])
  })

  it('import refuses a directory without an index', async () => {
    await expect(importImages(client, tmp + '/none')).rejects.toMatchObject({
      code: 'ANKLUME_IMAGES_NO_INDEX',
    })
  })
  it('the CLI: pull reports a cached local image (exit 0), export --json, import without an index exits 2', async () => {
    const bin = cliPath()
    const run = promisify(execFile)
    const file = join(tmp, 'local.yml')
    writeFileSync(
      file,
      `project_name: ${prefix}-cli\nglobal:\n  base_subnet: "10.211"\n  default_os_image: ${alias}\ndomains:\n  ${prefix}c:\n    subnet_id: 1\n    machines:\n      ${prefix}-c1: {}\n`,
    )
    const pulled = await run('node', [bin, 'images', 'pull', '-f', file])
    expect(pulled.stdout).toBe('Images: 1 cached\n')
    expect(pulled.stderr).toContain(`✓ cached ${alias} (${fp.slice(0, 12)}) as ${alias}`)
    const cliStore = join(tmp, 'cli-store')
    const exported = await run('node', [bin, 'images', 'export', cliStore, '-f', file, '--json'])
    const json = JSON.parse(exported.stdout).result
    expect(json.images).toEqual([
      expect.objectContaining({ image: alias, status: 'exported', fingerprint: fp }),
    ])
    expect(json.index).toBe(join(cliStore, 'index.json'))
    const again = await run('node', [bin, 'images', 'import', cliStore])
    expect(again.stdout).toBe('Images: 1 present\n')
    const bad = await run('node', [bin, 'images', 'import', join(tmp, 'none')]).catch((e) => e)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('ANKLUME_IMAGES_NO_INDEX')
  })
})
