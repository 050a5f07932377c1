/**
 * Snapshots on the real daemon: a file's content comes back after a
 * restore done on the RUNNING instance (no stop by hand); list shows the
 * rows for an instance and for a domain (resolved by label from one
 * all-projects listing); delete removes them.
 */
import type { IncusClient } from '@anklume/incus-client'
import { runPrefix, useTestInfra } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../apps/cli/src/run-cli.test-util.js'
import {
  createSnapshots,
  deleteSnapshots,
  listSnapshots,
  resolveTargets,
  restoreSnapshots,
} from '../src/index.js'
import { engineDriver, newClient } from './helpers.js'

const P = runPrefix()
const S = `${P}s`
const ONE = `${P}-s1`
const TWO = `${P}-s2`
let client: IncusClient

const cli = runCli

const listing = () => client.instances.list({ allProjects: true })
const one = async () => resolveTargets(await listing(), { kind: 'instance', name: ONE })
const readData = async () => (await client.files.read(ONE, '/root/data.txt', { project: S })).toString('utf8')

useTestInfra(engineDriver, {
  name: 'snap',
  domains: () => `  ${S}:
    subnet_id: 1
    nat: false
    ephemeral: true
    machines:
      ${ONE}: {}
      ${TWO}: {}
`,
})

beforeAll(() => {
  client = newClient()
})

afterAll(async () => {
  await client.close()
})

describe('anklume snapshot', () => {
  it('restores a file on the running instance', async () => {
    const targets = await one()
    expect(targets).toEqual([expect.objectContaining({ name: ONE, project: S, status: 'Running' })])
    await client.files.push(ONE, '/root/data.txt', 'before\n', { project: S, mode: 0o644, uid: 0, gid: 0 })
    const created = await createSnapshots(client, targets, { name: 'base' })
    expect(created).toEqual([{ instance: ONE, project: S, snapshot: 'base', ok: true }])
    await client.files.push(ONE, '/root/data.txt', 'after\n', { project: S, mode: 0o644, uid: 0, gid: 0 })
    expect(await readData()).toBe('after\n')

    const restored = await restoreSnapshots(client, targets, 'base')
    expect(restored.map((r) => r.ok)).toEqual([true])
    expect(await readData()).toBe('before\n')
    expect((await client.instances.state(ONE, { project: S })).status).toBe('Running')
  })

  it('default name snap-YYYYMMDD-HHMMSS (UTC); list for an instance and for a domain', async () => {
    const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5))
    const domainTargets = resolveTargets(await listing(), { kind: 'domain', domain: S })
    expect(domainTargets.map((t) => t.name)).toEqual([ONE, TWO])
    const created = await createSnapshots(client, domainTargets, { now })
    expect(created.map((c) => [c.instance, c.snapshot, c.ok])).toEqual([
      [ONE, 'snap-20260102-030405', true],
      [TWO, 'snap-20260102-030405', true],
    ])
    const rows = await listSnapshots(client, domainTargets)
    expect(rows.map((r) => [r.instance, r.snapshot])).toEqual([
      [ONE, 'base'],
      [ONE, 'snap-20260102-030405'],
      [TWO, 'snap-20260102-030405'],
    ])
    for (const r of rows) {
      expect(r.project).toBe(S)
      expect(r.stateful).toBe(false)
      expect(r.expiresAt).toBeUndefined()
      expect(Number.isNaN(Date.parse(r.createdAt))).toBe(false)
    }
    expect((await listSnapshots(client, await one())).map((r) => r.snapshot)).toEqual([
      'base',
      'snap-20260102-030405',
    ])
  })

  it('a failing instance is reported, the others still done; delete removes snapshots', async () => {
    const domainTargets = resolveTargets(await listing(), { kind: 'domain', domain: S })
    const res = await deleteSnapshots(client, domainTargets, 'base')
    expect(res.map((r) => [r.instance, r.ok])).toEqual([
      [ONE, true],
      [TWO, false],
    ])
    expect(String((res[1]?.error as Error | undefined)?.message)).toMatch(/not found/i)
    await deleteSnapshots(client, domainTargets, 'snap-20260102-030405')
    expect(await listSnapshots(client, domainTargets)).toEqual([])
  })

  it('CLI: create (default name), list table and --json, restore, delete; unknown instance is exit 2', async () => {
    const c = await cli('snapshot', 'create', ONE)
    expect(c.code).toBe(0)
    const name = /created (snap-\d{8}-\d{6}) of /.exec(c.out)?.[1]
    expect(c.out).toBe(`created ${name} of ${S}/${ONE}\n`)
    const table = await cli('snapshot', 'list', ONE)
    expect(table.out.split('\n')[0]).toMatch(/^INSTANCE\s+SNAPSHOT\s+CREATED\s+EXPIRES\s+STATEFUL$/)
    // CREATED in UTC seconds (Incus's nanosecond RFC 3339 stays in --json).
    expect(table.out).toMatch(
      new RegExp(`^${ONE}\\s+${name}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+-\\s+no$`, 'm'),
    )
    const listed = JSON.parse((await cli('snapshot', 'list', '--domain', S, '--json')).out)
    expect(listed).toMatchObject({ format_version: 1, command: 'snapshot list', ok: true, diagnostics: [] })
    const json = listed.result.snapshots as Array<{ snapshot: string; createdAt: string }>
    expect(json[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(json.map((r) => r.snapshot)).toEqual([name])
    await client.files.push(ONE, '/root/data.txt', 'cli\n', { project: S, mode: 0o644, uid: 0, gid: 0 })
    await cli('snapshot', 'create', ONE, 'cli-snap')
    await client.files.push(ONE, '/root/data.txt', 'later\n', { project: S, mode: 0o644, uid: 0, gid: 0 })
    expect((await cli('snapshot', 'restore', ONE, 'cli-snap')).code).toBe(0)
    expect(await readData()).toBe('cli\n')
    expect((await cli('snapshot', 'delete', ONE, 'cli-snap')).code).toBe(0)
    expect((await cli('snapshot', 'delete', '--domain', S, name as string)).code).toBe(1) // TWO has no such snapshot
    expect(await listSnapshots(client, await one())).toEqual([])
    const missing = await cli('snapshot', 'create', `${P}-nosuch`)
    expect(missing.code).toBe(2)
    expect(missing.err).toContain(`no instance named "${P}-nosuch"`)
  })
})
