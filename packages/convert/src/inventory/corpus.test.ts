import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bridgeName, type Infra, instanceName, loadFromString, projectName } from '@anklume/schema'
import { CORPUS_DIR } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { syncInventory } from './sync.js'

/** AnKLuMe's real infra files, as kept in the schema package's fixtures (a copy of shared/corpus). */
const CORPUS = CORPUS_DIR
const SETS = ['anklume-ansible', 'anklume-poc']
/** Genuinely invalid for Incus (bridge name over 15 characters): nothing to sync. */
const INVALID = new Set(['anklume-ansible/sys-print.yml', 'anklume-poc/labs-05-security-audit.yml'])

const files = (
  await Promise.all(SETS.map(async (s) => (await readdir(join(CORPUS, s))).map((f) => `${s}/${f}`)))
).flat()

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'anklume-corpus-sync-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function load(file: string): Promise<Infra | undefined> {
  const r = loadFromString(await readFile(join(CORPUS, file), 'utf8'), file, { absoluteLevel: 1 })
  return r.ok ? r.infra : undefined
}

async function tree(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const sub of await readdir(dir)) for (const f of await readdir(join(dir, sub))) out.push(`${sub}/${f}`)
  return out.sort()
}

describe('anklume sync on every AnKLuMe corpus file', () => {
  it('covers the whole corpus', () => {
    expect(files).toHaveLength(25)
  })

  it.each(files)('%s', async (file) => {
    const infra = await load(file)
    if (INVALID.has(file)) {
      expect(infra).toBeUndefined()
      return
    }
    expect(infra).toBeDefined()
    const inf = infra!
    const dir = join(root, file.replace(/[/.]/g, '_'))
    const report = await syncInventory(inf, dir, { level: 1 })
    const enabled = inf.domains.filter((d) => d.enabled)
    const expected = [
      'group_vars/all.yml',
      ...enabled.flatMap((d) => [
        `inventory/${d.name}.yml`,
        `group_vars/${d.name}.yml`,
        ...d.machines.map((m) => `host_vars/${m.name}.yml`),
      ]),
    ].sort()
    expect(await tree(dir)).toEqual(expected)
    expect(report.files.every((f) => f.status === 'created')).toBe(true)

    const read = async (rel: string) => {
      const text = await readFile(join(dir, rel), 'utf8')
      expect(text).not.toMatch(/ansible_connection|ansible_user/)
      return parse(text, { version: '1.1' }) as Record<string, unknown>
    }
    const naming = { nestingPrefix: inf.global.nestingPrefix, level: 1 }
    const all = await read('group_vars/all.yml')
    expect(all.project_name).toBe(inf.projectName)
    expect(all.default_os_image).toBe(inf.global.defaultOsImage)
    for (const d of enabled) {
      const g = await read(`group_vars/${d.name}.yml`)
      expect(g).toMatchObject({
        domain_name: d.name,
        domain_ephemeral: d.ephemeral,
        incus_project: projectName(d.name, naming),
        incus_network: { name: bridgeName(d.name, naming), subnet: d.subnet, gateway: d.gateway },
        subnet_id: d.subnetId,
      })
      const inv = (await read(`inventory/${d.name}.yml`)) as {
        all: { children: Record<string, { hosts: unknown }> }
      }
      const hosts = (inv.all.children[d.name]?.hosts ?? {}) as Record<
        string,
        { ansible_host?: string; ansible_incus_host?: string; ansible_incus_project?: string } | null
      >
      expect(Object.keys(hosts)).toEqual(d.machines.map((m) => m.name))
      for (const m of d.machines) {
        expect(hosts[m.name]?.ansible_host).toBe(m.ip)
        expect(hosts[m.name]?.ansible_incus_host).toBe(instanceName(m.name, naming))
        expect(hosts[m.name]?.ansible_incus_project).toBe(projectName(d.name, naming))
        const h = await read(`host_vars/${m.name}.yml`)
        expect(h).toMatchObject({
          instance_name: instanceName(m.name, naming),
          instance_type: m.type,
          instance_domain: d.name,
          instance_ephemeral: m.ephemeral,
          instance_os_image: m.osImage,
        })
        expect(h.instance_ip).toBe(m.ip)
        if (m.roles.length > 0) expect(h.instance_roles).toEqual(m.roles)
        if (Object.keys(m.config).length > 0) expect(h.instance_config).toEqual(m.config)
      }
    }
    const again = await syncInventory(inf, dir, { level: 1 })
    expect(again.files.every((f) => f.status === 'unchanged')).toBe(true)
    expect(again.orphans).toEqual([])
  })
})
