import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { infraJsonSchema, loadFromString, SCHEMA_FILE, SCHEMA_MODELINE } from '@anklume/schema'
import { WORKSTATION_DIR } from '@anklume/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../run-cli.test-util.js'
import { STARTER_INFRA } from './init.js'

const WORKSTATION = WORKSTATION_DIR

const run = runCli

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anklume-cli-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('anklume init', () => {
  it('writes a starter infra.yml that validates, and never overwrites it', async () => {
    const first = await run('init', dir)
    expect(first.code).toBe(0)
    const text = await readFile(join(dir, 'infra.yml'), 'utf8')
    expect(text).toBe(STARTER_INFRA)
    const loaded = loadFromString(text, 'infra.yml')
    expect(loaded.issues).toEqual([])
    expect(loaded.ok).toBe(true)
    // Editors find the schema: the modeline names the file written beside it.
    expect(text.split('\n')[0]).toBe(SCHEMA_MODELINE)
    expect(JSON.parse(await readFile(join(dir, SCHEMA_FILE), 'utf8'))).toEqual(infraJsonSchema())
    await writeFile(join(dir, 'infra.yml'), 'mine\n')
    const second = await run('init', dir)
    expect(second.code).toBe(2)
    expect(second.err).toContain('ANKLUME_INIT_EXISTS')
    expect(await readFile(join(dir, 'infra.yml'), 'utf8')).toBe('mine\n')
  })
})

describe('--help', () => {
  it.each([
    ['sync', 'anklume sync --clean-orphans'],
    ['migrate', 'anklume migrate ~/my-anklume-project -o infra.yml'],
    ['graph', 'anklume graph --format svg -o isolation.svg'],
    ['init', 'anklume init ~/lab'],
  ])('%s shows its options and examples', async (command, example) => {
    const help = await run(command, '--help')
    expect(help.code).toBe(0)
    expect(help.out).toContain('Options:')
    expect(help.out).toContain(example)
  })
})

describe('anklume sync', () => {
  it('writes the tree next to the infra file, then reports no change; exit 2 on an invalid infra', async () => {
    await writeFile(join(dir, 'infra.yml'), STARTER_INFRA)
    const first = await run('sync', '-f', join(dir, 'infra.yml'))
    expect(first.code).toBe(0)
    expect(first.out).toContain('created   host_vars/admin-ctl.yml')
    expect(first.out).toContain(`10 created, 0 updated, 0 unchanged in ${dir}`)
    expect(await readFile(join(dir, 'inventory/admin.yml'), 'utf8')).toContain('ansible_host: 10.100.0.10')
    const again = await run('sync', '-f', join(dir, 'infra.yml'), '--dry-run')
    expect(again.out).toBe(`dry run, nothing written: 0 created, 0 updated, 10 unchanged in ${dir}\n`)
    await writeFile(join(dir, 'infra.yml'), 'project_name: x\n')
    expect((await run('sync', '-f', join(dir, 'infra.yml'))).code).toBe(2)
  })

  it('writes the incus connection variables; the remote by name or found from --remote', async () => {
    await writeFile(join(dir, 'infra.yml'), STARTER_INFRA)
    const f = join(dir, 'infra.yml')
    expect((await run('sync', '-f', f)).code).toBe(0)
    const admin = () => readFile(join(dir, 'inventory/admin.yml'), 'utf8')
    expect(await admin()).toContain(
      'admin-ctl:\n          ansible_host: 10.100.0.10\n          ansible_incus_host: admin-ctl\n          ansible_incus_project: admin\n',
    )
    expect(await admin()).not.toContain('ansible_connection')

    const named = await run('sync', '-f', f, '--incus-remote', 'lab1', '--connection')
    expect(named.code).toBe(0)
    expect(await admin()).toContain(
      'ansible_incus_remote: lab1\n          ansible_connection: community.general.incus\n',
    )
    const bad = await run('sync', '-f', f, '--incus-remote', 'lab1:x')
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('--incus-remote must be the name of an incus CLI remote')

    // --remote URL: the incus CLI remote with that addr (default port 8443) is named.
    const conf = join(dir, 'incus-conf')
    await mkdir(conf)
    await writeFile(
      join(conf, 'config.yml'),
      'default-remote: local\nremotes:\n  other:\n    addr: https://192.0.2.9:8443\n  lab2:\n    addr: https://incus2.example\n',
    )
    const saved = process.env.INCUS_CONF
    process.env.INCUS_CONF = conf
    try {
      const found = await run('--remote', 'https://incus2.example:8443', 'sync', '-f', f)
      expect(found.code).toBe(0)
      expect(await admin()).toContain('ansible_incus_remote: lab2\n')
      expect(await admin()).not.toContain('ansible_connection')
      const missing = await run('--remote', 'https://incus3.example', 'sync', '-f', f)
      expect(missing.code).toBe(0)
      expect(missing.err).toContain('warning: ansible_incus_remote not written: no remote of the incus CLI')
      expect(await admin()).not.toContain('ansible_incus_remote')
    } finally {
      if (saved === undefined) delete process.env.INCUS_CONF
      else process.env.INCUS_CONF = saved
    }
  })

  it('-d/--dir names the tree; the old -o still works, with a deprecation warning', async () => {
    await writeFile(join(dir, 'infra.yml'), STARTER_INFRA)
    const tree = join(dir, 'tree')
    const r = await run('sync', '-f', join(dir, 'infra.yml'), '-d', tree)
    expect([r.code, r.err]).toEqual([0, ''])
    expect(r.out).toContain(`10 created, 0 updated, 0 unchanged in ${tree}`)
    const old = await run('sync', '-f', join(dir, 'infra.yml'), '-o', tree, '--dry-run')
    expect(old.code).toBe(0)
    expect(old.err).toBe(
      'warning: sync -o/--output-dir is deprecated: use -d/--dir (elsewhere -o names a file)\n',
    )
    expect(old.out).toContain(`10 unchanged in ${tree}`)
    expect((await run('sync', '--help')).out).not.toContain('--output-dir')
  })

  it('exits 2 and writes nothing when a managed block is broken', async () => {
    await writeFile(join(dir, 'infra.yml'), STARTER_INFRA)
    await run('sync', '-f', join(dir, 'infra.yml'))
    await writeFile(join(dir, 'host_vars/work-dev.yml'), '# === MANAGED BY infra.yml ===\nx: 1\n')
    const r = await run('sync', '-f', join(dir, 'infra.yml'))
    expect(r.code).toBe(2)
    expect(r.err).toContain('ANKLUME_INVENTORY_MARKERS')
  })
})

describe('anklume migrate', () => {
  it('writes a valid infra file atomically and refuses to overwrite it without --force', async () => {
    const out = join(dir, 'infra.yml')
    const r = await run('migrate', WORKSTATION, '-o', out, '--project-name', 'ws')
    expect(r.code).toBe(0)
    expect(r.out).toBe(`wrote ${out} (4 warnings)\n`)
    expect(r.err).toContain('warning: pro-desktop: gui')
    expect(loadFromString(await readFile(out, 'utf8'), out).ok).toBe(true)
    const again = await run('migrate', WORKSTATION, '-o', out)
    expect(again.code).toBe(2)
    expect(again.err).toContain('already exists')
    expect((await run('migrate', WORKSTATION, '-o', out, '--force')).code).toBe(0)
  })

  it('exits 2 on a newer schema_version or a directory that is not a project', async () => {
    await writeFile(join(dir, 'anklume.yml'), 'schema_version: 7\n')
    const newer = await run('migrate', dir)
    expect(newer.code).toBe(2)
    expect(newer.err).toContain('schema_version 7 is newer')
    expect((await run('migrate', join(dir, 'nothing-here'))).code).toBe(2)
  })
})

describe('anklume graph', () => {
  it('prints Mermaid by default and DOT on request; rejects unknown formats', async () => {
    await writeFile(join(dir, 'infra.yml'), STARTER_INFRA)
    const m = await run('graph', '-f', join(dir, 'infra.yml'))
    expect(m.code).toBe(0)
    expect(m.out).toContain('d_admin -->|"tcp 22"| d_work')
    const d = await run('graph', '-f', join(dir, 'infra.yml'), '--format', 'dot')
    expect(d.out).toContain('"d:admin" -> "d:work" [label="tcp 22"')
    expect((await run('graph', '--format', 'png')).code).toBe(2)
  })

  it('without Graphviz, svg fails with a hint to use --format dot', async () => {
    await writeFile(join(dir, 'infra.yml'), STARTER_INFRA)
    const path = process.env.PATH
    process.env.PATH = dir
    try {
      const r = await run('graph', '-f', join(dir, 'infra.yml'), '--format', 'svg')
      expect(r.code).toBe(1)
      expect(r.err).toContain('ANKLUME_GRAPHVIZ_MISSING')
      expect(r.err).toContain('--format dot')
    } finally {
      process.env.PATH = path
    }
  })
})

describe('anklume schema -o', () => {
  it('writes the schema to the file (atomically) and says so', async () => {
    const file = join(dir, 'infra.schema.json')
    const r = await run('schema', '-o', file)
    expect([r.code, r.out]).toEqual([0, `wrote ${file}\n`])
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(infraJsonSchema())
  })
})
