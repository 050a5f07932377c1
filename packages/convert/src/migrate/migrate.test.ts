import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadFromString } from '@anklume/schema'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { assignAddresses } from './addressing.js'
import { convertProject } from './convert.js'
import { readPythonProject } from './read-project.js'
import { migrateProject, renderMigrated } from './write.js'

const WORKSTATION = new URL('../../test/fixtures/migrate/workstation', import.meta.url).pathname

let tmp: string
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'anklume-migrate-'))
})
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true })
})

async function project(files: Record<string, string>): Promise<string> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(join(tmp, rel, '..'), { recursive: true })
    await writeFile(join(tmp, rel), text)
  }
  return tmp
}

describe('assignAddresses (AnKLuMe Python-era rule)', () => {
  it('numbers enabled domains per zone alphabetically and fills machine IPs from .1 by name', () => {
    const out = assignAddresses(
      [
        { name: 'zeta', trustLevel: 'trusted', enabled: true, machines: new Map([['a', undefined]]) },
        { name: 'alpha', trustLevel: 'trusted', enabled: true, machines: new Map() },
        { name: 'off', trustLevel: 'trusted', enabled: false, machines: new Map([['x', undefined]]) },
        {
          name: 'beta',
          trustLevel: 'untrusted',
          enabled: true,
          machines: new Map<string, string | undefined>([
            ['c', undefined],
            ['b', '10.140.0.1'],
            ['a', undefined],
          ]),
        },
      ],
      10,
      100,
    )
    expect(out.get('alpha')?.prefix).toBe('10.110.0')
    expect(out.get('zeta')?.prefix).toBe('10.110.1')
    expect(out.get('zeta')?.ips.get('a')).toBe('10.110.1.1')
    expect(out.has('off')).toBe(false)
    expect(Object.fromEntries(out.get('beta')!.ips)).toEqual({
      a: '10.140.0.2',
      b: '10.140.0.1',
      c: '10.140.0.3',
    })
  })
})

describe('migrate', () => {
  it('converts a Python-era project with the same names, subnets and addresses', async () => {
    const result = convertProject(await readPythonProject(WORKSTATION), { projectName: 'workstation' })
    expect(renderMigrated(result, 'workstation')).toMatchInlineSnapshot(`
      "# infra.yml migrated by \`anklume migrate\` from the AnKLuMe project workstation.
      # Every subnet_id and IP is written out, so addresses stay what AnKLuMe gave them.

      # Not carried over (review by hand):
      # - ai_access_policy: exclusive (runtime GPU switching) has no equivalent; network policies are migrated as written
      # - perso-web: persistent (host bind mounts) was not applied by AnKLuMe either; add disk devices by hand if needed
      # - pro-desktop: gui (Wayland/X11 display profile) has no equivalent; dropped
      # - pro-desktop: workspace (desktop layout) has no equivalent; dropped

      project_name: workstation
      schema_version: 1
      global:
        addressing:
          base_octet: 10
          zone_base: 100
        default_os_image: images:debian/13
        nesting_prefix: false
        resource_policy:
          host_reserve:
            cpu: 20%
            memory: 20%
          mode: proportional
        gpu_policy: shared
      domains:
        admin:
          description: Administration
          trust_level: admin
          subnet_id: 0
          machines:
            admin-ctl:
              description: Controller
              type: lxc
              ip: 10.100.0.1
              roles:
                - base
              config:
                security.nesting: "true"
        gaming:
          description: Games (off for now)
          trust_level: untrusted
          enabled: false
          machines:
            gaming-steam:
              description: Steam
              gpu: true
        perso:
          description: Personal
          trust_level: semi-trusted
          subnet_id: 0
          machines:
            perso-web:
              description: Browsing
              ip: 10.120.0.1
        pro:
          description: Professional work
          trust_level: trusted
          subnet_id: 0
          profiles:
            audio:
              devices:
                pipewire:
                  type: proxy
                  connect: unix:/run/user/1000/pipewire-0
                  listen: unix:/run/user/1000/pipewire-0
          machines:
            pro-dev:
              description: Development
              type: lxc
              ip: 10.110.0.1
              roles:
                - base
                - dev-tools
              vars:
                git_user: Jane
              weight: 2
            pro-desktop:
              description: Desktop with GPU
              type: lxc
              ip: 10.110.0.2
              gpu: true
              profiles:
                - default
                - audio
            pro-lab:
              description: Throwaway VM
              type: vm
              ip: 10.110.0.3
              ephemeral: true
              config:
                limits.cpu: "2"
        sandbox:
          description: Risky things
          trust_level: disposable
          subnet_id: 0
          ephemeral: true
          machines:
            sandbox-browse:
              description: Disposable browser
              ip: 10.150.0.1
            sandbox-tor:
              description: Tor gateway
              type: vm
              ip: 10.150.0.2
              ephemeral: false
      network_policies:
        - description: SSH both ways
          from: pro
          to: perso
          ports:
            - 22
          bidirectional: true
        - description: DNS through Tor
          from: sandbox-browse
          to: sandbox-tor
          ports:
            - 5353
          protocol: udp
        - description: Admin reaches pro over TCP
          from: admin
          to: pro
          ports: all
          protocol: tcp
        - description: Host reaches the controller (no filter)
          from: host
          to: admin-ctl
          ports: all
      "
    `)
  })

  it('produces an infra that validates, with the subnets and IPs AnKLuMe assigned', async () => {
    const { text } = await migrateProject(WORKSTATION, { projectName: 'workstation' })
    const result = loadFromString(text, 'infra.yml')
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([])
    expect(result.ok).toBe(true)
    const infra = result.infra!
    expect(Object.fromEntries(infra.domains.filter((d) => d.enabled).map((d) => [d.name, d.subnet]))).toEqual(
      {
        admin: '10.100.0.0/24',
        perso: '10.120.0.0/24',
        pro: '10.110.0.0/24',
        sandbox: '10.150.0.0/24',
      },
    )
    const ips = Object.fromEntries(infra.domains.flatMap((d) => d.machines.map((m) => [m.name, m.ip])))
    expect(ips).toMatchObject({
      'admin-ctl': '10.100.0.1',
      'perso-web': '10.120.0.1',
      'pro-desktop': '10.110.0.2',
      'pro-dev': '10.110.0.1',
      'pro-lab': '10.110.0.3',
      'sandbox-browse': '10.150.0.1',
      'sandbox-tor': '10.150.0.2',
    })
    const tor = infra.domains
      .find((d) => d.name === 'sandbox')!
      .machines.find((m) => m.name === 'sandbox-tor')!
    expect(tor.ephemeral).toBe(false)
    expect(infra.networkPolicies.map((p) => [p.from, p.to, p.ports, p.protocol, p.bidirectional])).toEqual([
      ['pro', 'perso', [22], 'tcp', true],
      ['sandbox-browse', 'sandbox-tor', [5353], 'udp', false],
      ['admin', 'pro', 'all', 'tcp', false],
      ['host', 'admin-ctl', 'all', undefined, false],
    ])
  })

  it('keeps the nesting prefix only where AnKLuMe applied it (below the physical host)', async () => {
    const p = await readPythonProject(WORKSTATION)
    expect(convertProject(p, { absoluteLevel: 0 }).infra.global).toMatchObject({ nesting_prefix: false })
    expect(convertProject(p, { absoluteLevel: 2 }).infra.global).toMatchObject({ nesting_prefix: true })
    p.settings.nesting = { prefix: false }
    expect(convertProject(p, { absoluteLevel: 2 }).infra.global).toMatchObject({ nesting_prefix: false })
  })

  it('names the project after the directory by default', async () => {
    const dir = await project({ 'anklume.yml': 'schema_version: 1\n' })
    const { infra } = await migrateProject(dir)
    expect(infra.project_name).toMatch(/^anklume-migrate-[a-z0-9]+$/)
    expect(infra.domains).toEqual({})
  })

  it('refuses a schema_version newer than it knows', async () => {
    const dir = await project({ 'anklume.yml': 'schema_version: 2\n' })
    await expect(migrateProject(dir)).rejects.toMatchObject({
      code: 'ANKLUME_SCHEMA_VERSION_UNSUPPORTED',
      message: expect.stringContaining('schema_version 2 is newer than this anklume knows (1)'),
    })
  })

  it('says clearly when the directory is not an AnKLuMe project', async () => {
    await expect(migrateProject(join(tmp, 'nope'))).rejects.toMatchObject({
      code: 'ANKLUME_MIGRATE_NOT_A_PROJECT',
      hint: expect.stringContaining('anklume.yml'),
    })
  })

  it('reports YAML errors with file, line and column', async () => {
    const dir = await project({
      'anklume.yml': 'schema_version: 1\n',
      'domains/pro.yml': 'description: x\nmachines: [\n',
    })
    await expect(migrateProject(dir)).rejects.toMatchObject({
      code: 'ANKLUME_MIGRATE_INVALID',
      message: expect.stringMatching(/domains\/pro\.yml:\d+:\d+: /),
    })
  })

  it('refuses an addressing base outside 10/8 and warns about what it drops', async () => {
    const bad = await project({ 'anklume.yml': 'addressing:\n  base: "192.168"\n' })
    await expect(migrateProject(bad)).rejects.toMatchObject({ code: 'ANKLUME_MIGRATE_UNSUPPORTED' })
    await project({
      'anklume.yml': 'schema_version: 1\nrequires_anklume: "0.3"\n',
      'domains/lab.yml':
        'description: Lab\nmachines:\n  gpu-vm:\n    description: v\n    type: vm\n    gpu: true\n',
    })
    const { infra, warnings } = await migrateProject(tmp)
    expect(warnings).toEqual([
      'requires_anklume 0.3 dropped',
      'lab-gpu-vm: gpu on a VM needs a PCI address; set gpu: true and gpu_pci by hand',
    ])
    expect(infra.domains).toEqual({
      lab: {
        description: 'Lab',
        trust_level: 'semi-trusted',
        subnet_id: 0,
        machines: { 'lab-gpu-vm': { description: 'v', type: 'vm', ip: '10.120.0.1' } },
      },
    })
  })
})
