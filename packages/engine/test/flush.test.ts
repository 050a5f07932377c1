/**
 * `flush` / `destroy` on the real daemon: the production guard refuses
 * and deletes nothing; a dry run deletes nothing; destroy removes one
 * domain; a flush without --force keeps the protected instance (and its
 * project, bridge and the isolation table), a flush with --force takes
 * them; the generated inventory goes while the user's files stay; an
 * unlabelled project and its instance are never touched.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { removeGeneratedInventory, syncInventory } from '@anklume/convert'
import { listTable, runNft } from '@anklume/host'
import type { IncusClient } from '@anklume/incus-client'
import type { Infra } from '@anklume/schema'
import { freeBaseSubnet, loadInfra, runPrefix, TEST_IMAGE, testInfraYaml } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../apps/cli/src/run-cli.test-util.js'
import { flush } from '../src/index.js'
import { apply, newClient } from './helpers.js'

const P = runPrefix()
const A = `${P}a`
const B = `${P}b`
const HAND = `${P}-hand`
const TABLE = `anklume_${P}`
const tmp = mkdtempSync(join(tmpdir(), 'anklume-flush-'))
const prodDir = join(tmp, 'ctx-prod') // no absolute_level file: production
const nestedDir = join(tmp, 'ctx-nested') // absolute_level 1
const invDir = join(tmp, 'ansible')
const lockPath = join(tmp, 'apply.lock')
let client: IncusClient
let infra: Infra
let infraFile = ''
let infraYaml = ''

const cli = runCli

const scope = () => ({ projectName: `${P}-flush` })
const names = async (project: string) => (await client.instances.list({ project })).map((i) => i.name).sort()
const projectNames = async () => (await client.projects.list()).map((p) => p.name)
const networkNames = async () => (await client.networks.list()).map((n) => n.name)

beforeAll(async () => {
  client = newClient()
  const base = await freeBaseSubnet()
  infraYaml = testInfraYaml({
    project: `${P}-flush`,
    base,
    table: TABLE,
    domains: `  ${A}:
    subnet_id: 1
    nat: false
    profiles:
      small:
        config:
          limits.memory: 256MiB
    machines:
      ${P}-a1: { ephemeral: true, profiles: [default, small] }
      ${P}-a2:
        ephemeral: false
        profiles: [default, small]
        storage_volumes:
          data: { size: 64MiB, path: /data }
  ${B}:
    subnet_id: 2
    nat: false
    ephemeral: true
    machines:
      ${P}-b1: {}
`,
  })
  infra = loadInfra(infraYaml)
  const { result } = await apply(client, infra)
  expect(result.execution.ok).toBe(true)

  // Not anklume's: a project and a running instance made by hand, without labels.
  await client.projects.create({
    name: HAND,
    config: { 'features.profiles': 'false', 'features.images': 'false' },
  })
  await client.instances.create(
    {
      name: `${P}-hand1`,
      source: { type: 'image', alias: TEST_IMAGE },
      devices: { root: { type: 'disk', path: '/', pool: 'default' } },
      start: true,
    },
    { project: HAND },
  )
  // The isolation table (loaded by hand: the test apply plans without hostIsolation).
  expect((await runNft(['add', 'table', 'inet', TABLE])).status).toBe(0)

  await mkdir(prodDir, { recursive: true })
  await mkdir(nestedDir, { recursive: true })
  writeFileSync(join(nestedDir, 'absolute_level'), '1\n')
  await syncInventory(infra, invDir, { level: 1 })
  infraFile = join(invDir, 'infra.yml')
  writeFileSync(infraFile, infraYaml)
  process.env.ANKLUME_LOCK_PATH = lockPath
  writeFileSync(join(invDir, 'host_vars', 'mine.yml'), 'my_var: 1\n')
  const gv = join(invDir, 'group_vars', `${A}.yml`)
  writeFileSync(gv, `${readFileSync(gv, 'utf8')}\nteam_owner: alice\n`)
})

afterAll(async () => {
  delete process.env.ANKLUME_CONTEXT_DIR
  delete process.env.ANKLUME_LOCK_PATH
  await runNft(['delete', 'table', 'inet', TABLE])
  await client.instances.delete(`${P}-hand1`, { project: HAND, force: true }).catch(() => undefined)
  await client.projects.delete(HAND).catch(() => undefined)
  rmSync(tmp, { recursive: true, force: true })
  await client.close()
})

describe('anklume flush / destroy', () => {
  it('refuses on a production host without --force, deleting nothing', async () => {
    const before = [await names(A), await names(B), await projectNames(), await networkNames()]
    await expect(
      flush(client, { scope: scope(), contextDir: prodDir, lockPath, nftTable: TABLE }),
    ).rejects.toMatchObject({ code: 'ANKLUME_PRODUCTION_HOST' })
    expect([await names(A), await names(B), await projectNames(), await networkNames()]).toEqual(before)
    expect(await listTable(TABLE)).toBeDefined()
  })

  it('--dry-run lists what would go and deletes nothing', async () => {
    const report = await flush(client, {
      scope: scope(),
      dryRun: true,
      nftTable: TABLE,
      inventory: ({ dryRun }) => removeGeneratedInventory(invDir, { dryRun }),
    })
    const would = report.items.filter((i) => i.status === 'would-delete').map((i) => `${i.kind}:${i.name}`)
    expect(would).toEqual(
      expect.arrayContaining([`instance:${P}-a1`, `instance:${P}-b1`, `project:${B}`, `network:net-${B}`]),
    )
    expect(report.items).toContainEqual(
      expect.objectContaining({ kind: 'instance', name: `${P}-a2`, status: 'kept' }),
    )
    expect(report.items.some((i) => i.name === `${P}-hand1` || i.name === HAND)).toBe(false)
    expect(await names(A)).toEqual([`${P}-a1`, `${P}-a2`])
    expect(await names(B)).toEqual([`${P}-b1`])
  })

  it('CLI: refuses on a production host (exit 1), needs --yes without a terminal (exit 2), --dry-run --json', async () => {
    process.env.ANKLUME_CONTEXT_DIR = prodDir
    const prod = await cli('flush', '-f', infraFile, '--yes')
    expect(prod.code).toBe(1)
    expect(prod.err).toContain('ANKLUME_PRODUCTION_HOST')
    process.env.ANKLUME_CONTEXT_DIR = nestedDir
    const noYes = await cli('destroy', B, '-f', infraFile)
    expect(noYes.code).toBe(2)
    expect(noYes.err).toContain('--yes')
    const typo = await cli('destroy', `${P}nosuch`, '-f', infraFile, '--yes')
    expect(typo.code).toBe(2)
    expect(typo.err).toContain(`no anklume object is labelled with domain "${P}nosuch"`)
    const dry = await cli('flush', '-f', infraFile, '--dry-run', '--json')
    expect(dry.code).toBe(0)
    const report = JSON.parse(dry.out).result as {
      dryRun: boolean
      items: Array<{ kind: string; name: string; status: string }>
    }
    expect(report.dryRun).toBe(true)
    expect(report.items).toContainEqual(
      expect.objectContaining({ kind: 'nft-table', name: `inet ${TABLE}`, status: 'kept' }),
    )
    expect(report.items).toContainEqual({
      kind: 'inventory',
      name: `host_vars/${P}-a1.yml`,
      status: 'would-delete',
    })
    // A generated file holding content of the user's is listed as kept (only the block goes).
    expect(report.items).toContainEqual(
      expect.objectContaining({ kind: 'inventory', name: `group_vars/${A}.yml`, status: 'kept' }),
    )
    const text = await cli('flush', '-f', infraFile, '--dry-run')
    expect(text.out).toContain(`- (would delete) inventory host_vars/${P}-a1.yml`)
    expect(text.out).toContain(
      `= kept inventory group_vars/${A}.yml: managed block to remove, your content kept`,
    )
    expect(await names(A)).toEqual([`${P}-a1`, `${P}-a2`])
    expect(await names(B)).toEqual([`${P}-b1`])
  })

  it('destroy <domain> removes that domain only', async () => {
    const r = await cli('destroy', B, '-f', infraFile, '--yes', '--json')
    expect(r.code).toBe(0)
    const report = JSON.parse(r.out).result as {
      ok: boolean
      items: Array<{ kind: string; name: string; status: string }>
    }
    expect(report.ok).toBe(true)
    expect(await projectNames()).not.toContain(B)
    expect(await networkNames()).not.toContain(`net-${B}`)
    expect(await names(A)).toEqual([`${P}-a1`, `${P}-a2`])
    expect(
      report.items
        .filter((i) => i.kind === 'inventory')
        .map((i) => i.name)
        .sort(),
    ).toEqual([`group_vars/${B}.yml`, `host_vars/${P}-b1.yml`, `inventory/${B}.yml`].sort())
    expect(await listTable(TABLE)).toBeDefined()
  })

  it('without --force keeps the protected instance, the profile and volume it uses, its project, bridge and the table', async () => {
    const report = await flush(client, { scope: scope(), contextDir: nestedDir, lockPath, nftTable: TABLE })
    expect(report.ok).toBe(true)
    expect(await names(A)).toEqual([`${P}-a2`])
    const kept = report.items.filter((i) => i.status === 'kept').map((i) => `${i.kind}:${i.name}`)
    expect(kept).toEqual(
      expect.arrayContaining([
        `instance:${P}-a2`,
        'profile:small',
        'volume:default/data',
        `project:${A}`,
        `network:net-${A}`,
        `nft-table:inet ${TABLE}`,
      ]),
    )
    expect(report.items.find((i) => i.kind === 'project' && i.name === A)?.reason).toContain(
      `protected instance ${P}-a2`,
    )
    expect(await listTable(TABLE)).toBeDefined()
  })

  it('with --force everything anklume made goes; the unlabelled project and the user files stay', async () => {
    const report = await flush(client, {
      scope: scope(),
      force: true,
      contextDir: prodDir, // --force also passes the production guard
      lockPath,
      nftTable: TABLE,
      inventory: ({ dryRun }) => removeGeneratedInventory(invDir, { dryRun }),
    })
    expect(report.items.filter((i) => i.status === 'failed')).toEqual([])
    expect(await projectNames()).not.toContain(A)
    expect(await networkNames()).not.toContain(`net-${A}`)
    expect(await listTable(TABLE)).toBeUndefined()
    expect(await names(HAND)).toEqual([`${P}-hand1`])
    expect((await client.instances.get(`${P}-hand1`, { project: HAND })).status).toBe('Running')
    expect(readFileSync(join(invDir, 'host_vars', 'mine.yml'), 'utf8')).toBe('my_var: 1\n')
    const stripped = readFileSync(join(invDir, 'group_vars', `${A}.yml`), 'utf8')
    expect(stripped).toContain('team_owner: alice')
    expect(stripped).not.toContain('MANAGED')
    const inv = report.items.filter((i) => i.kind === 'inventory')
    expect(inv).toContainEqual(expect.objectContaining({ name: `host_vars/${P}-a1.yml`, status: 'deleted' }))
    expect(inv).toContainEqual(expect.objectContaining({ name: `group_vars/${A}.yml`, status: 'kept' }))
  })
})
