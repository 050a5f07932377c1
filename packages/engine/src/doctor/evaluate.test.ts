import { describe, expect, it } from 'vitest'
import { ANKLUME_EXTENSIONS, doctorFailed, evaluateDoctor } from './evaluate.js'
import type { DoctorFacts, Finding } from './types.js'

/** A healthy host: every check ok. */
function healthy(): DoctorFacts {
  return {
    socket: { path: '/var/lib/incus/unix.socket', exists: true, accessible: true },
    incus: {
      ok: true,
      value: {
        version: '6.0.4',
        apiExtensions: ANKLUME_EXTENSIONS.map((e) => e.name),
        firewall: 'nftables',
        storagePools: ['default'],
        defaultProfileDevices: { root: { type: 'disk', path: '/', pool: 'default' } },
      },
    },
    subuid: 'root:1000000:1000000000\n',
    subgid: 'root:1000000:1000000000\n',
    nft: { ok: true, value: 'nftables v1.0.6' },
    forward: { ok: true, value: [] },
  }
}

const status = (fs: Finding[], check: string) => fs.filter((f) => f.check === check).map((f) => f.status)

describe('evaluateDoctor', () => {
  it('a healthy host: all ok, no hints, not failed', () => {
    const fs = evaluateDoctor(healthy())
    expect(fs.map((f) => f.check)).toEqual([
      'incus-socket',
      'incus-version',
      'api-extensions',
      'storage-pool',
      'default-profile-root',
      'firewall-driver',
      'subuid',
      'subgid',
      'nft',
      'br_netfilter',
      'forward-policy',
      'infra',
    ])
    expect(fs.every((f) => f.status === 'ok' && f.hint === undefined)).toBe(true)
    expect(doctorFailed(fs)).toBe(false)
  })

  it('socket missing or not permitted, Incus down: errors with hints', () => {
    const f = healthy()
    f.socket = { path: '/x.sock', exists: false, accessible: false }
    f.incus = { ok: false, error: 'connect ENOENT /x.sock' }
    const fs = evaluateDoctor(f)
    expect(fs[0]).toMatchObject({ check: 'incus-socket', status: 'error', message: '/x.sock does not exist' })
    expect(fs[1]).toMatchObject({ check: 'incus-api', status: 'error' })
    expect(fs[1]?.hint).toBeTruthy()
    expect(doctorFailed(fs)).toBe(true)
    f.socket = { path: '/x.sock', exists: true, accessible: false }
    expect(evaluateDoctor(f)[0]).toMatchObject({ status: 'error', message: '/x.sock: permission denied' })
  })

  it('missing extensions: required ones are errors, optional ones warnings, both named', () => {
    const f = healthy()
    if (!f.incus.ok) throw new Error('setup')
    f.incus.value.apiExtensions = ['projects', 'instance_all_projects']
    const warn = evaluateDoctor(f).find((x) => x.check === 'api-extensions')
    expect(warn?.status).toBe('warn')
    expect(warn?.message).toContain('profiles_all_projects')
    f.incus.value.apiExtensions = ['projects']
    expect(status(evaluateDoctor(f), 'api-extensions')).toEqual(['error'])
  })

  it('pool, root disk, firewall driver, id maps, nft, br_netfilter, forward policies', () => {
    const f = healthy()
    if (!f.incus.ok) throw new Error('setup')
    f.incus.value.storagePools = ['fast']
    f.incus.value.defaultProfileDevices = {}
    f.incus.value.firewall = 'xtables'
    f.subuid = 'alice:100000:65536\n'
    delete f.subgid
    f.nft = { ok: false, error: 'nft not found' }
    f.brNetfilter = {
      code: 'BR_NETFILTER',
      message: 'br_netfilter is loaded',
      hint: 'modprobe -r br_netfilter',
    }
    f.forward = {
      ok: true,
      value: [
        { code: 'FORWARD_POLICY_DROP', message: 'ip filter FORWARD drops', hint: 'DOCKER-USER' },
        { code: 'DOCKER_CHAINS', message: 'Docker chains' },
      ],
    }
    const fs = evaluateDoctor(f)
    expect(status(fs, 'storage-pool')).toEqual(['error'])
    expect(status(fs, 'default-profile-root')).toEqual(['warn'])
    expect(status(fs, 'firewall-driver')).toEqual(['error'])
    expect(fs.find((x) => x.check === 'subuid')?.message).toBe(
      '/etc/subuid has no root: entry: Incus falls back to its built-in id map',
    )
    expect(fs.find((x) => x.check === 'subgid')?.message).toContain('/etc/subgid is missing')
    expect(status(fs, 'nft')).toEqual(['error'])
    expect(status(fs, 'br_netfilter')).toEqual(['warn'])
    expect(status(fs, 'forward-policy')).toEqual(['warn', 'warn'])
    expect(fs.filter((x) => x.status !== 'ok').every((x) => x.hint)).toBe(true)
  })

  it("uses the infra's storage pool; overlaps are errors; drift is a warning", () => {
    const f = healthy()
    f.infra = {
      source: 'infra.yml',
      storagePool: 'fast',
      overlaps: {
        ok: true,
        value: [
          {
            bridge: 'net-pro',
            subnet: '10.1.1.0/24',
            kind: 'route',
            host: '10.1.0.0/16',
            message: 'bridge net-pro overlaps',
          },
        ],
      },
      drift: { ok: true, value: { changes: 3, summary: 'Plan: 3 to create' } },
    }
    const fs = evaluateDoctor(f)
    expect(fs.find((x) => x.check === 'storage-pool')).toMatchObject({
      status: 'error',
      message: expect.stringContaining('"fast"'),
    })
    expect(status(fs, 'subnet-overlap')).toEqual(['error'])
    expect(fs.find((x) => x.check === 'drift')).toMatchObject({
      status: 'warn',
      message: 'Plan: 3 to create',
    })
    f.infra.drift = { ok: true, value: { changes: 0, summary: 'No changes.' } }
    f.infra.overlaps = { ok: true, value: [] }
    expect(status(evaluateDoctor(f), 'drift')).toEqual(['ok'])
    f.infra.drift = { ok: false, error: 'boom' }
    expect(status(evaluateDoctor(f), 'drift')).toEqual(['error'])
  })

  it('reports the isolation table: loaded, missing (an error), different, unchecked', () => {
    const f = healthy()
    const drift = { ok: true as const, value: { changes: 0, summary: 'No changes.' } }
    f.infra = { source: 'infra.yml', storagePool: 'default', overlaps: { ok: true, value: [] }, drift }
    expect(status(evaluateDoctor(f), 'isolation')).toEqual([])
    const finding = (isolation: NonNullable<typeof f.infra>['isolation']) =>
      evaluateDoctor({ ...f, infra: { ...(f.infra as NonNullable<typeof f.infra>), isolation } }).find(
        (x) => x.check === 'isolation',
      )
    expect(finding({ table: 'anklume', status: 'same' })).toMatchObject({ status: 'ok' })
    expect(finding({ table: 'anklume', status: 'missing' })).toEqual({
      check: 'isolation',
      status: 'error',
      message: 'isolation table inet anklume is not loaded: domains are not isolated',
      hint: 'sudo anklume apply (or: sudo anklume nft apply)',
    })
    expect(finding({ table: 'lab', status: 'differs', detail: '2 elements differ' })).toMatchObject({
      status: 'warn',
      message: 'isolation table inet lab differs from the infra file: 2 elements differ',
    })
    expect(finding({ table: 'lab', status: 'unknown', detail: 'needs root' })).toMatchObject({
      status: 'warn',
      message: 'isolation table inet lab not checked: needs root',
    })
  })
})

describe('the ansible-incus check', () => {
  const withAnsible = (ansible: DoctorFacts['ansible']): Finding | undefined =>
    evaluateDoctor({ ...healthy(), ansible }).find((f) => f.check === 'ansible-incus')

  it('is not run when not gathered, and placed before the infra checks when it is', () => {
    expect(withAnsible(undefined)).toBeUndefined()
    const fs = evaluateDoctor({
      ...healthy(),
      ansible: { ok: true, value: { installed: false, communityGeneral: [] } },
    })
    expect(fs.map((f) => f.check).slice(-2)).toEqual(['ansible-incus', 'infra'])
  })

  it('no Ansible: ok (it is optional)', () => {
    const f = withAnsible({ ok: true, value: { installed: false, communityGeneral: [] } })
    expect(f).toMatchObject({ status: 'ok', message: expect.stringContaining('Ansible is not installed') })
  })

  it("Debian 12's community.general 6.6.2: a warning saying it predates the plugin, and what to install", () => {
    const f = withAnsible({
      ok: true,
      value: {
        installed: true,
        core: '2.14.18',
        communityGeneral: [{ path: '/usr/lib/python3/dist-packages/ansible_collections', version: '6.6.2' }],
      },
    })
    expect(f).toEqual({
      check: 'ansible-incus',
      status: 'warn',
      message:
        'ansible-core 2.14.18 has no community.general.incus connection plugin (community.general 6.6.2 in /usr/lib/python3/dist-packages/ansible_collections; the plugin ships from 8.2.0): playbooks cannot reach the machines of the `anklume sync` inventory',
      hint: "ansible-galaxy collection install 'community.general>=8.2.0' (Debian 13's ansible package has it; Debian 12's has 6.6.2)",
    })
    expect(doctorFailed([f as Finding])).toBe(false)
  })

  it('ansible-core without community.general, the plugin present, or Ansible failing', () => {
    expect(
      withAnsible({
        ok: true,
        value: { installed: true, core: '2.14.18', communityGeneral: [] },
      })?.message,
    ).toContain('(community.general is not installed)')
    expect(
      withAnsible({
        ok: true,
        value: {
          installed: true,
          core: '2.19.0',
          incusPlugin: '/x/ansible_collections/community/general/plugins/connection/incus.py',
          communityGeneral: [
            { path: '/usr/ansible_collections', version: '6.6.2' },
            { path: '/x/ansible_collections', version: '11.1.0' },
          ],
        },
      }),
    ).toEqual({
      check: 'ansible-incus',
      status: 'ok',
      message:
        'ansible-core 2.19.0: the community.general.incus connection plugin is installed, from community.general 11.1.0 in /x/ansible_collections',
    })
    expect(withAnsible({ ok: false, error: 'boom' })).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('boom'),
    })
  })
})
