import { domain, globalSettings, infra, machine, sampleInfra } from '@anklume/test-utils'
import { describe, expect, it } from 'vitest'
import { inventoryWarnings, renderInventory } from './render.js'

describe('renderInventory', () => {
  it('writes the files AnKLuMe wrote, with its variable names and values', () => {
    const files = renderInventory(sampleInfra())
    expect([...files.keys()]).toEqual([
      'group_vars/all.yml',
      'inventory/anklume.yml',
      'group_vars/anklume.yml',
      'host_vars/anklume-instance.yml',
      'inventory/work.yml',
      'group_vars/work.yml',
      'host_vars/work-dev.yml',
      'host_vars/work-dhcp.yml',
    ])
    expect(files.get('group_vars/all.yml')).toMatchInlineSnapshot(`
      "project_name: test-infra
      base_subnet: "10.100"
      default_os_image: images:debian/13
      psot_default_connection: community.general.incus
      psot_default_user: root
      incus_all_images:
        - images:debian/13
      network_policies:
        - description: admin to work ssh
          from: anklume
          to: work
          ports:
            - 22
          protocol: tcp
      "
    `)
    expect(files.get('inventory/work.yml')).toMatchInlineSnapshot(`
      "all:
        children:
          work:
            hosts:
              work-dev:
                ansible_host: 10.100.1.10
                ansible_incus_host: work-dev
                ansible_incus_project: work
              work-dhcp:
                ansible_incus_host: work-dhcp
                ansible_incus_project: work
      "
    `)
    expect(files.get('group_vars/work.yml')).toMatchInlineSnapshot(`
      "domain_name: work
      domain_description: Professional workspace
      domain_ephemeral: false
      domain_trust_level: trusted
      domain_ai_provider: local
      domain_ai_sanitize: false
      incus_project: work
      incus_network:
        name: net-work
        subnet: 10.100.1.0/24
        gateway: 10.100.1.254
      subnet_id: 1
      incus_profiles:
        gpu:
          devices:
            gpu:
              type: gpu
      "
    `)
    expect(files.get('host_vars/work-dev.yml')).toMatchInlineSnapshot(`
      "instance_name: work-dev
      instance_type: lxc
      instance_description: Development workspace
      instance_domain: work
      instance_ephemeral: false
      instance_os_image: images:debian/13
      instance_ip: 10.100.1.10
      instance_profiles:
        - default
        - gpu
      instance_roles:
        - base_system
      instance_snapshots_schedule: 0 2 * * *
      instance_snapshots_expiry: 30d
      "
    `)
    expect(files.get('host_vars/work-dhcp.yml')).not.toContain('instance_ip')
    expect(files.get('host_vars/work-dhcp.yml')).toContain('instance_ephemeral: true')
  })

  it('writes no ansible_connection or ansible_user by default, not even from a machine`s vars', () => {
    const m = machine('box', 'lab', {
      vars: { ansible_connection: 'local', ansible_user: 'root', instance_ip: '1.2.3.4', my_role_var: 'on' },
    })
    const inf = infra([domain('lab', 3, { machines: [m] })], {
      global: globalSettings({ defaultConnection: 'community.general.incus', defaultUser: 'admin' }),
    })
    const all = [...renderInventory(inf).values()].join('\n')
    expect(all).not.toMatch(/ansible_connection|ansible_user/)
    expect(all).toContain('ansible_incus_host: box')
    const hv = renderInventory(inf).get('host_vars/box.yml')
    expect(hv).toContain('my_role_var: "on"') // quoted: YAML 1.1 would read `on` as true
    expect(hv).not.toContain('1.2.3.4')
    expect(inventoryWarnings(inf)).toEqual([
      "box: vars.ansible_connection not written (it would override the playbook's connection)",
      "box: vars.ansible_user not written (it would override the playbook's connection)",
      'box: vars.instance_ip not written (anklume manages instance_ip)',
    ])
  })

  it('applies the nesting prefix to project, bridge and instance names', () => {
    const inf = sampleInfra()
    inf.global.nestingPrefix = true
    const files = renderInventory(inf, { level: 2 })
    expect(files.get('group_vars/work.yml')).toContain('incus_project: 002-work')
    expect(files.get('group_vars/work.yml')).toContain('name: 002-net-work')
    expect(files.get('host_vars/work-dev.yml')).toContain('instance_name: 002-work-dev')
    expect(files.get('inventory/work.yml')).toContain(
      'work-dev:\n          ansible_host: 10.100.1.10\n          ansible_incus_host: 002-work-dev\n          ansible_incus_project: 002-work\n',
    )
  })

  it('names the incus remote when given, and writes ansible_connection only on request', () => {
    const inv = renderInventory(sampleInfra(), { incusRemote: 'lab1', connection: true }).get(
      'inventory/work.yml',
    )
    expect(inv).toContain(
      'work-dhcp:\n          ansible_incus_host: work-dhcp\n          ansible_incus_project: work\n          ansible_incus_remote: lab1\n          ansible_connection: community.general.incus\n',
    )
    const plain = [...renderInventory(sampleInfra()).values()].join('\n')
    expect(plain).not.toMatch(/ansible_incus_remote|ansible_connection/)
  })

  it('skips disabled domains, writes addressing instead of base_subnet in addressing mode', () => {
    const inf = sampleInfra()
    inf.global.baseSubnet = undefined
    inf.global.addressing = { baseOctet: 10, zoneBase: 100, zoneStep: 10 }
    inf.domains[1]!.enabled = false
    const files = renderInventory(inf)
    expect([...files.keys()].some((k) => k.includes('work'))).toBe(false)
    expect(files.get('group_vars/all.yml')).toContain(
      'addressing:\n  base_octet: 10\n  zone_base: 100\n  zone_step: 10\n',
    )
    expect(files.get('group_vars/all.yml')).not.toContain('base_subnet')
  })

  it('passes compatibility keys through and merges persistent_data / shared_volumes devices', () => {
    const m = machine('ai-box', 'ai', {
      exportApps: ['opencode'],
      services: [{ name: 'ollama', port: 11434 }],
      persistentData: { models: { path: '/var/lib/ollama', readonly: true } },
      devices: { eth1: { type: 'nic', network: 'x' } },
    })
    const inf = infra(
      [domain('ai', 4, { machines: [m], filePortal: { allowedPaths: ['/srv'], readOnly: true } })],
      {
        sharedVolumes: { docs: { consumers: { ai: 'ro' } } },
      },
    )
    const files = renderInventory(inf)
    expect(files.get('host_vars/ai-box.yml')).toMatchInlineSnapshot(`
      "instance_name: ai-box
      instance_type: lxc
      instance_description: ""
      instance_domain: ai
      instance_ephemeral: false
      instance_os_image: images:debian/13
      instance_devices:
        sv-docs:
          type: disk
          source: /srv/anklume/shares/docs
          path: /shared/docs
          shift: "true"
          readonly: "true"
        pd-models:
          type: disk
          source: /srv/anklume/data/ai/ai-box/models
          path: /var/lib/ollama
          shift: "true"
          readonly: "true"
        eth1:
          type: nic
          network: x
      instance_services:
        - name: ollama
          port: 11434
      instance_export_apps:
        - opencode
      instance_persistent_data:
        models:
          path: /var/lib/ollama
          readonly: true
      "
    `)
    expect(files.get('group_vars/ai.yml')).toContain(
      'domain_file_portal:\n  allowed_paths:\n    - /srv\n  read_only: true\n',
    )
  })
})
