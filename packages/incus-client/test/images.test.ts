import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Image, IncusError } from '../src/index.js'
import { client, prefix } from './helpers.js'

const c = client()
const TEST_ALIAS = 'anklume-test/busybox'
const tmp = mkdtempSync(join(tmpdir(), 'incus-client-images-'))
const created: string[] = []
let original: Image

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  const alias = await c.images.aliases.get(TEST_ALIAS)
  original = await c.images.get(alias.target)
})

afterAll(async () => {
  for (const fp of created) await c.images.delete(fp).catch(() => undefined)
  await c.images.aliases.delete(`${prefix}/alias`).catch(() => undefined)
  rmSync(tmp, { recursive: true, force: true })
  await c.close()
})

describe('images', () => {
  it('lists images, also across projects (with and without images_all_projects)', async () => {
    const list = await c.images.list()
    const img = list.find((i) => i.fingerprint === original.fingerprint)
    expect(img?.aliases.map((a) => a.name)).toContain(TEST_ALIAS)
    const all = await c.images.list({ allProjects: true })
    expect(all.find((i) => i.fingerprint === original.fingerprint)?.project).toBe('default')
    const old = client({ ignoreExtensions: ['images_all_projects'] })
    const fallback = await old.images.list({ allProjects: true })
    await old.close()
    const key = (i: Image) => `${i.project}/${i.fingerprint}`
    expect(fallback.map(key).sort()).toEqual(all.map(key).sort())
  })

  it('creates, lists, reads and deletes an alias', async () => {
    const name = `${prefix}/alias`
    await c.images.aliases.create({ name, target: original.fingerprint, description: 'test alias' })
    expect((await c.images.aliases.get(name)).target).toBe(original.fingerprint)
    await c.images.aliases.update(name, { target: original.fingerprint, description: 'renamed' })
    expect(await c.images.aliases.get(name)).toMatchObject({
      target: original.fingerprint,
      description: 'renamed',
    })
    expect((await c.images.aliases.list()).map((a) => a.name)).toEqual(
      expect.arrayContaining([name, TEST_ALIAS]),
    )
    await expect(c.images.aliases.create({ name, target: original.fingerprint })).rejects.toMatchObject({
      code: 'INCUS_CONFLICT',
      status: 409,
    })
    await c.images.aliases.delete(name)
    await expect(c.images.aliases.get(name)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
  })

  it('exports an image to a file and to a stream, byte for byte', async () => {
    const file = join(tmp, 'export.tar.gz')
    const { bytes } = await c.images.exportToFile(original.fingerprint, file)
    expect(bytes).toBe(original.size)
    expect(statSync(file).size).toBe(original.size)
    expect(sha256(readFileSync(file))).toBe(original.fingerprint)
    const exp = await c.images.export(original.fingerprint)
    expect(exp.filename).toBe(`${original.fingerprint}.tar.gz`)
    const chunks: Buffer[] = []
    for await (const chunk of exp.body) chunks.push(chunk as Buffer)
    expect(sha256(Buffer.concat(chunks))).toBe(original.fingerprint)
  })

  it('imports copies of the exported tarball from a buffer and from a stream, then deletes them', async () => {
    const tar = gunzipSync(readFileSync(join(tmp, 'export.tar.gz')))
    // Same image, different bytes: new fingerprints, so the test image itself is never touched.
    const fromBuffer = gzipSync(tar, { level: 1 })
    const first = await c.images.importTarball(fromBuffer, {
      alias: `${prefix}/copy`,
      properties: { description: `${prefix} copy`, os: 'busybox' },
      filename: 'copy.tar.gz',
    })
    created.push(first.fingerprint)
    expect(first.fingerprint).toBe(sha256(fromBuffer))
    const img = await c.images.get(first.fingerprint)
    expect(img.aliases.map((a) => a.name)).toEqual([`${prefix}/copy`])
    expect(img.properties['description']).toBe(`${prefix} copy`)
    expect(img.type).toBe('container')

    const second = await c.images.importTarball(
      Readable.from([tar.subarray(0, 100_000), tar.subarray(100_000)]),
    )
    created.push(second.fingerprint)
    expect(second.fingerprint).toBe(sha256(tar))

    await c.images.delete(first.fingerprint)
    await c.images.delete(second.fingerprint)
    await expect(c.images.get(first.fingerprint)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
    await expect(c.images.aliases.get(`${prefix}/copy`)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
    expect((await c.images.aliases.get(TEST_ALIAS)).target).toBe(original.fingerprint)
  })

  it('fails a copy from an unreachable image server cleanly (no internet is contacted)', async () => {
    const before = (await c.images.list()).length
    const err = await c.images
      .copyFromRemote(
        { server: 'https://127.0.0.1:1', protocol: 'simplestreams', alias: 'debian/12' },
        { aliases: [`${prefix}/remote`] },
      )
      .catch((e) => e)
    expect(err).toBeInstanceOf(IncusError)
    expect(err.code).toBe('INCUS_OPERATION_FAILED')
    expect(err.serverMessage).toMatch(/remote image/i)
    expect((await c.images.list()).length).toBe(before)
  })

  it('refuses to import bytes that are not an image', async () => {
    const err = await c.images.importTarball(Buffer.from('not a tarball')).catch((e) => e)
    expect(err).toBeInstanceOf(IncusError)
    expect(err.code).toBe('INCUS_OPERATION_FAILED')
    expect(err.serverMessage).toMatch(/compression/i)
  })
})
