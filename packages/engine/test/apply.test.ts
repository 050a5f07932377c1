/**
 * The heart, on the real daemon: apply an infra exercising every coverage
 * row that can run here, converge to zero changes, detect and repair drift,
 * prune orphans safely, and never touch what anklume did not create.
 */
import type { IncusClient } from '@anklume/incus-client'
import { formatPlan } from '@anklume/planner'
import { freeBaseSubnet, loadInfra, runPrefix, TEST_IMAGE } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apply, execIn, newClient, plan, removeInfra, waitForIp } from './helpers.js'

const P = runPrefix()
const A = `${P}a` // protected work domain
const B = `${P}b` // ephemeral domain
let client: IncusClient
let base: string

function infraYaml(opts: { withB?: boolean; withExtra?: boolean; cpu?: string } = {}): string {
  const { withB = true, withExtra = true, cpu = '1' } = opts
  return `
project_name: ${P}-apply
global:
  base_subnet: "${base}"
  default_os_image: ${TEST_IMAGE}
domains:
  ${A}:
    description: "work domain"
    subnet_id: 1
    nat: false
    limits:
      instances: 10
    profiles:
      small:
        description: "small machines"
        config:
          limits.memory: 256MiB
        devices:
          hosttmp:
            type: disk
            source: /tmp
            path: /mnt/hosttmp
            readonly: true
    machines:
      ${P}-dev:
        description: "dev box"
        ip: "${base}.1.10"
        profiles: [default, small]
        boot_autostart: true
        boot_priority: 42
        snapshots_schedule: "0 3 * * *"
        snapshots_expiry: 14d
        config:
          limits.cpu: "${cpu}"
          user.note: hello
        cloud_init:
          user_data:
            packages: [htop]
        storage_volumes:
          ${P}-data:
            size: 64MiB
            path: /srv/data
${withExtra ? `      ${P}-extra:\n        ip: "${base}.1.11"\n        ephemeral: true\n` : ''}${
  withB
    ? `  ${B}:
    subnet_id: 2
    nat: false
    ephemeral: true
    machines:
      ${P}-tmp:
        ip: "${base}.2.10"
`
    : ''
}`
}

beforeAll(async () => {
  client = newClient()
  base = await freeBaseSubnet()
})

afterAll(async () => {
  // Whatever a failed test left (the last test removes everything when it passes).
  await removeInfra(client, `${P}-apply`)
  await client.close()
})

describe('apply on a real Incus', () => {
  it('creates every declared object and converges to a zero-change plan', async () => {
    const infra = loadInfra(infraYaml())
    const { planned, result } = await apply(client, infra)
    expect(planned.plan.summary.create).toBeGreaterThanOrEqual(9)
    expect(result.execution.results.filter((r) => r.status !== 'done')).toEqual([])

    // bridge with an explicit address, DHCP range, no NAT, no IPv6
    const net = await client.networks.get(`net-${A}`)
    expect(net.config).toMatchObject({
      'ipv4.address': `${base}.1.254/24`,
      'ipv4.dhcp.ranges': `${base}.1.100-${base}.1.249`,
      'ipv4.nat': 'false',
      'ipv6.address': 'none',
      'user.anklume.managed': 'true',
    })
    // project features + limits
    const project = await client.projects.get(A)
    expect(project.config).toMatchObject({
      'features.profiles': 'true',
      'features.networks': 'false',
      'features.images': 'false',
      'features.storage.volumes': 'true',
      'limits.instances': '10',
    })
    // domain profile: config AND devices
    const small = await client.profiles.get('small', { project: A })
    expect(small.config['limits.memory']).toBe('256MiB')
    expect(small.devices.hosttmp).toMatchObject({ type: 'disk', path: '/mnt/hosttmp' })
    // instance keys: boot, snapshots, protection, limits, cloud-init
    const dev = await client.instances.get(`${P}-dev`, { project: A })
    expect(dev.config).toMatchObject({
      'boot.autostart': 'true',
      'boot.autostart.priority': '42',
      'snapshots.schedule': '0 3 * * *',
      'snapshots.expiry': '14d',
      'security.protection.delete': 'true',
      'limits.cpu': '1',
      'user.note': 'hello',
    })
    expect(dev.config['cloud-init.user-data']).toMatch(/^#cloud-config\n/)
    expect(dev.profiles).toEqual(['default', 'small'])
    expect(dev.status).toBe('Running')
    const tmp = await client.instances.get(`${P}-tmp`, { project: B })
    expect(tmp.config['security.protection.delete']).toBe('false')

    // static IP really inside the container, volume mounted at its path, context files pushed
    await waitForIp(client, A, `${P}-dev`, `${base}.1.10`)
    await waitForIp(client, B, `${P}-tmp`, `${base}.2.10`)
    const mounts = await execIn(
      client,
      A,
      `${P}-dev`,
      'grep -c " /srv/data " /proc/mounts; cat /etc/anklume/absolute_level',
    )
    expect(mounts.stdout.split('\n').slice(0, 2)).toEqual(['1', '1'])
    const vol = await client.storage.volumes.get('default', `${P}-data`, { project: A })
    expect(vol.config.size).toBe('64MiB')

    const again = await plan(client, infra)
    expect(formatPlan(again.plan)).toContain('No changes')
    expect(again.plan.actions).toEqual([])
  })

  it('shows drift made behind its back as exactly that change, and repairs it', async () => {
    const infra = loadInfra(infraYaml())
    // Behind anklume's back, as `incus config set` does it (a full PUT: Incus's
    // instance PATCH would also blank the description, which is drift too).
    const { value, etag } = await client.instances.getWithEtag(`${P}-dev`, { project: A })
    await client.instances.update(
      `${P}-dev`,
      { ...value, config: { ...value.config, 'limits.cpu': '2' } },
      { project: A, etag },
    )
    const drift = await plan(client, infra)
    expect(drift.plan.actions).toHaveLength(1)
    expect(drift.plan.actions[0]).toMatchObject({ op: 'update', kind: 'instance', name: `${P}-dev` })
    expect(drift.plan.actions[0]?.changes).toEqual([
      { field: 'config', key: 'limits.cpu', from: '2', to: '1' },
    ])

    await apply(client, infra)
    expect((await client.instances.get(`${P}-dev`, { project: A })).config['limits.cpu']).toBe('1')
    expect((await plan(client, infra)).plan.actions).toEqual([])
  })

  it('applies a changed declared key in place and removes a key dropped from the file', async () => {
    const changed = loadInfra(infraYaml({ cpu: '2' }).replace('          user.note: hello\n', ''))
    const p = await plan(client, changed)
    expect(p.plan.actions.map((a) => a.changes)).toEqual([
      [
        { field: 'config', key: 'limits.cpu', from: '1', to: '2' },
        { field: 'config', key: 'user.note', from: 'hello', to: undefined },
      ],
    ])
    await apply(client, changed)
    const dev = await client.instances.get(`${P}-dev`, { project: A })
    expect(dev.config['limits.cpu']).toBe('2')
    expect(dev.config['user.note']).toBeUndefined()
    await apply(client, loadInfra(infraYaml()))
  })

  it('prunes only with --prune, keeps protected instances without --force, never touches unlabelled objects', async () => {
    // A project made by hand, unlabelled: must survive everything.
    const handmade = `${P}-hand`
    await client.projects.create({ name: handmade, config: { 'features.profiles': 'false' } })

    const smaller = loadInfra(infraYaml({ withB: false, withExtra: false }))
    const noPrune = await plan(client, smaller)
    expect(noPrune.plan.actions.filter((a) => a.op === 'delete')).toEqual([])
    expect(noPrune.plan.skipped.map((s) => s.name)).toEqual(
      expect.arrayContaining([`${P}-extra`, `${P}-tmp`, B, `net-${B}`]),
    )

    const pruned = await apply(client, smaller, { prune: true })
    const deleted = pruned.planned.plan.actions
      .filter((a) => a.op === 'delete')
      .map((a) => `${a.kind}:${a.name}`)
    expect(deleted).toEqual(
      expect.arrayContaining([
        `instance:${P}-extra`,
        `instance:${P}-tmp`,
        `project:${B}`,
        `network:net-${B}`,
      ]),
    )
    expect(pruned.result.execution.ok).toBe(true)
    await expect(client.projects.get(B)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
    await expect(client.networks.get(`net-${B}`)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
    await expect(client.instances.get(`${P}-extra`, { project: A })).rejects.toMatchObject({
      code: 'INCUS_NOT_FOUND',
    })

    // Everything removed from the file: the protected instance survives --prune alone.
    const empty = loadInfra(`project_name: ${P}-apply\nglobal: { base_subnet: "${base}" }\ndomains: {}\n`)
    const protectedRun = await apply(client, empty, { prune: true })
    expect(protectedRun.planned.plan.skipped.find((s) => s.name === `${P}-dev`)?.reason).toMatch(/protected/)
    expect((await client.instances.get(`${P}-dev`, { project: A })).status).toBe('Running')

    // --force removes it, and the rest of the domain with it.
    const forced = await apply(client, empty, { prune: true, force: true })
    expect(forced.result.execution.ok).toBe(true)
    await expect(client.projects.get(A)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
    await expect(client.networks.get(`net-${A}`)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })

    // The hand-made project is still there, untouched.
    expect((await client.projects.get(handmade)).name).toBe(handmade)
    await client.projects.delete(handmade)
  })
})
