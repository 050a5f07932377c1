/**
 * Ansible out of the box, on the real daemon, with real Debian machines:
 * `anklume apply` a 2-domain infra of Debian 12 containers (the
 * `anklume-test/debian` image, tooling/debian-image.sh), `anklume sync`,
 * then Debian 12's ansible-core with the community.general.incus connection
 * plugin (cached from Debian 13's package by tooling/ansible-incus-plugin.sh)
 * pings every machine and runs a small role; the role's effect is read
 * inside each container. An AnKLuMe-style `connection: local` play on the
 * same inventory still runs on the controller. `anklume doctor` tells
 * whether the plugin is there. `anklume flush` removes it all.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readAnsibleFacts } from '@anklume/host'
import { createClient, type IncusClient } from '@anklume/incus-client'
import { emptyInfraYaml, freeBaseSubnet, runPrefix } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const P = runPrefix()
const PROJECT = `${P}-ansible`
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
const IMAGE = 'anklume-test/debian'
const CACHE = process.env.ANKLUME_CACHE_DIR ?? '/var/cache/anklume'
const COLLECTIONS = join(CACHE, 'ansible', 'collections')
const PLUGIN = join(COLLECTIONS, 'ansible_collections/community/general/plugins/connection/incus.py')
const FIX =
  'As root run: bash tooling/setup.sh (ansible-core, debootstrap, the Debian test image, the plugin cache)'
const D1 = `${P}an1`
const D2 = `${P}an2`
/** machine -> its domain (= Incus project) */
const MACHINES: Record<string, string> = { [`${P}-an1a`]: D1, [`${P}-an1b`]: D1, [`${P}-an2a`]: D2 }
let client: IncusClient
let dir: string
let file: string
let base: string

interface Run {
  code: number
  stdout: string
  stderr: string
}

function sh(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: dir, env: { ...process.env, ...env }, timeout: 280_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
      },
    )
  })
}
const anklume = (...args: string[]) => sh(process.execPath, [BIN, ...args])
/** Debian's ansible with the cached plugin, no colours, no interpreter warnings. */
const ANSIBLE_ENV = {
  ANSIBLE_COLLECTIONS_PATH: COLLECTIONS,
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
  ANSIBLE_RETRY_FILES_ENABLED: 'false',
}

const infraYaml = () => `project_name: ${PROJECT}
global:
  base_subnet: "${base}"
  default_os_image: ${IMAGE}
domains:
  ${D1}:
    subnet_id: 1
    nat: false
    ephemeral: true
    machines:
      ${P}-an1a: { ip: "${base}.1.10" }
      ${P}-an1b: {}
  ${D2}:
    subnet_id: 2
    nat: false
    ephemeral: true
    machines:
      ${P}-an2a: { ip: "${base}.2.10" }
`

const ROLE = `- name: marker | write what the inventory says about this machine
  ansible.builtin.copy:
    dest: /etc/anklume-marker
    content: "{{ instance_name }} {{ incus_project }} {{ incus_network.name }} {{ ansible_facts['distribution'] }} {{ ansible_facts['distribution_major_version'] }}\\n"
    mode: "0644"
- name: marker | a system user
  ansible.builtin.user:
    name: anklume-role
    system: true
`

const PLAYBOOK = `- name: Provisioning through Incus, as AnKLuMe's site.yml does (no extra vars)
  hosts: all
  connection: community.general.incus
  roles: [marker]

- name: An AnKLuMe infrastructure play (connection local) still runs on the controller
  hosts: all
  connection: local
  gather_facts: false
  tasks:
    - name: where does this run
      ansible.builtin.command: cat /proc/sys/kernel/hostname
      register: where
      changed_when: false
    - name: record it on the controller
      ansible.builtin.copy:
        content: "{{ where.stdout }}"
        dest: "{{ playbook_dir }}/ran-{{ inventory_hostname }}.txt"
        mode: "0644"
`

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "pnpm build" before the integration tests`)
  if (!existsSync(PLUGIN))
    throw new Error(`the community.general.incus plugin is not cached at ${PLUGIN}. ${FIX}`)
  client = createClient()
  const alias = await client.images.aliases.get(IMAGE).catch(() => undefined)
  if (!alias) throw new Error(`the test image ${IMAGE} is missing. ${FIX}`)
  dir = await mkdtemp(join(tmpdir(), 'anklume-ansible-'))
  const version = await sh('ansible-playbook', ['--version'])
  if (version.code !== 0) throw new Error(`ansible-playbook does not run: ${version.stderr}. ${FIX}`)
  base = await freeBaseSubnet()
  file = join(dir, 'infra.yml')
  await writeFile(file, infraYaml())
  await mkdir(join(dir, 'roles/marker/tasks'), { recursive: true })
  await writeFile(join(dir, 'roles/marker/tasks/main.yml'), ROLE)
  await writeFile(join(dir, 'site.yml'), PLAYBOOK)
}, 120_000)

afterAll(async () => {
  if (dir) {
    // Whatever the tests left: the same project_name, emptied, with prune.
    await writeFile(join(dir, 'empty.yml'), emptyInfraYaml(PROJECT))
    await anklume('apply', '-f', join(dir, 'empty.yml'), '--yes', '--prune', '--force', '--no-nft')
    await rm(dir, { recursive: true, force: true })
  }
  await client?.close()
}, 180_000)

describe('Ansible on the machines of an applied infra', () => {
  it('apply, sync, ping and a role through community.general.incus, then flush', async () => {
    const applied = await anklume('apply', '-f', file, '--yes', '--no-nft')
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)
    const synced = await anklume('sync', '-f', file)
    expect(synced.code, synced.stderr).toBe(0)
    expect(await readFile(join(dir, `inventory/${D1}.yml`), 'utf8')).toContain(
      `${P}-an1a:\n          ansible_host: ${base}.1.10\n          ansible_incus_host: ${P}-an1a\n          ansible_incus_project: ${D1}\n`,
    )

    const ping = await sh(
      'ansible',
      ['all', '-i', 'inventory', '-c', 'community.general.incus', '-m', 'ansible.builtin.ping', '-o'],
      ANSIBLE_ENV,
    )
    expect(ping.code, ping.stdout + ping.stderr).toBe(0)
    for (const m of Object.keys(MACHINES)) expect(ping.stdout).toMatch(new RegExp(`^${m} \\| SUCCESS`, 'm'))

    const play = await sh('ansible-playbook', ['-i', 'inventory', 'site.yml'], ANSIBLE_ENV)
    expect(play.code, play.stdout + play.stderr).toBe(0)
    expect(play.stdout).toMatch(/failed=0/)
    for (const [m, domain] of Object.entries(MACHINES)) {
      const marker = await client.exec(m, ['cat', '/etc/anklume-marker'], { project: domain })
      expect(marker.stdout).toBe(`${m} ${domain} net-${domain} Debian 12\n`)
      const user = await client.exec(m, ['getent', 'passwd', 'anklume-role'], { project: domain })
      expect(user.stdout).toMatch(/^anklume-role:x:\d+:/)
      // The connection: local play ran here, not in the machine.
      expect(await readFile(join(dir, `ran-${m}.txt`), 'utf8')).toBe(hostname())
    }
    // A second run changes nothing in the machines.
    const again = await sh('ansible-playbook', ['-i', 'inventory', 'site.yml'], ANSIBLE_ENV)
    expect(again.stdout).toMatch(/changed=0 +unreachable=0 +failed=0/)

    const flushed = await anklume('flush', '-f', file, '--yes', '--force', '--no-nft')
    expect(flushed.code, flushed.stdout + flushed.stderr).toBe(0)
    const left = (await client.projects.list()).map((p) => p.name).filter((n) => n === D1 || n === D2)
    expect(left).toEqual([])
    expect(existsSync(join(dir, `inventory/${D1}.yml`))).toBe(false)
  }, 600_000)

  it('doctor says whether Ansible has the plugin, and what to install when it has not', async () => {
    const withPlugin = await readAnsibleFacts({
      env: { ...process.env, ANSIBLE_COLLECTIONS_PATH: COLLECTIONS },
    })
    expect(withPlugin.installed).toBe(true)
    expect(withPlugin.core).toMatch(/^2\.\d+\.\d+/)
    expect(withPlugin.incusPlugin).toBe(PLUGIN)
    // Debian 12's own Ansible: no plugin (community.general 6.6.2 when the `ansible` package is there).
    const empty = join(dir, 'no-collections')
    await mkdir(empty, { recursive: true })
    const debian12 = await readAnsibleFacts({ env: { ...process.env, ANSIBLE_COLLECTIONS_PATH: empty } })
    expect(debian12.incusPlugin).toBeUndefined()
    expect(debian12.communityGeneral.every((c) => c.version.startsWith('6.'))).toBe(true)

    const doctor = async (collections: string) => {
      const r = await sh(process.execPath, [BIN, 'doctor', '--json'], {
        ANSIBLE_COLLECTIONS_PATH: collections,
      })
      const findings = JSON.parse(r.stdout).result.findings as Array<{
        check: string
        status: string
        hint?: string
      }>
      return findings.find((f) => f.check === 'ansible-incus')
    }
    expect(await doctor(COLLECTIONS)).toMatchObject({ status: 'ok' })
    expect(await doctor(empty)).toMatchObject({
      status: 'warn',
      hint: expect.stringContaining("ansible-galaxy collection install 'community.general>=8.2.0'"),
    })
  }, 120_000)
})
