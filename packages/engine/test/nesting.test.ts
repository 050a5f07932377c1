/**
 * Nesting proof on the real daemon: an admin container with `incus_socket:
 * true` gets the host's Incus socket (proxy device, /var/lib/incus/unix.socket
 * inside) and the context files (absolute_level = host + 1). With the host's
 * /usr and this repository mounted read-only, the built anklume CLI runs
 * inside it: `status` sees the host's domains through the proxied socket with
 * no configuration, and `apply` from inside creates a project, a bridge and an
 * instance that the host then sees.
 */
import { fileURLToPath } from 'node:url'
import { readNestingContext } from '@anklume/host'
import type { IncusClient } from '@anklume/incus-client'
import { freeBaseSubnet, loadInfra, runPrefix, TEST_IMAGE } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyInfra, planInfra } from '../src/index.js'
import { cliPath, execIn, newClient } from './helpers.js'

const prefix = runPrefix()
const adminDomain = `${prefix}adm`
const innerDomain = `${prefix}in`
const admin = `${prefix}-admin`
const inner = `${prefix}-inner`
// The repository root, mounted at the same path inside so the CLI's pnpm links resolve.
const repo = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '')
let client: IncusClient
let base = ''
let bin = ''

async function removeDomain(project: string): Promise<void> {
  for (const i of await client.instances.list({ project }).catch(() => [])) {
    await client.instances.patch(i.name, { config: { 'security.protection.delete': 'false' } }, { project })
    await client.instances.delete(i.name, { project, force: true }).catch(() => undefined)
  }
  await client.projects.delete(project, { force: true }).catch(() => undefined)
  await client.networks.delete(`net-${project}`).catch(() => undefined)
}

beforeAll(async () => {
  bin = cliPath() // fails with "run pnpm build" when apps/cli/dist is missing
  client = newClient()
  base = await freeBaseSubnet()
})

afterAll(async () => {
  await removeDomain(innerDomain)
  await removeDomain(adminDomain)
  await client.close()
})

const hostInfra = () => `
project_name: ${prefix}-nest
global:
  base_subnet: "${base}"
  default_os_image: ${TEST_IMAGE}
domains:
  ${adminDomain}:
    description: admin domain driving the host Incus
    subnet_id: 41
    nat: false
    ephemeral: true
    trust_level: admin
    machines:
      ${admin}:
        ip: ${base}.41.10
        incus_socket: true
        # The test mounts the host's /usr (node) and the repository: host access, granted.
        host_access: [disk:/usr, disk:${repo}]
        devices:
          host-usr: { type: disk, source: /usr, path: /usr, readonly: "true" }
          repo: { type: disk, source: ${repo}, path: ${repo}, readonly: "true" }
`

const innerInfra = () => `
project_name: ${prefix}-inner
global:
  base_subnet: "${base}"
  default_os_image: ${TEST_IMAGE}
domains:
  ${innerDomain}:
    subnet_id: 42
    nat: false
    ephemeral: true
    machines:
      ${inner}:
        ip: ${base}.42.10
`

/** Runs the built CLI inside the admin container. */
async function anklumeInside(args: string[]) {
  return client.exec(admin, ['/usr/bin/node', bin, ...args], {
    project: adminDomain,
    env: { HOME: '/root', PATH: '/usr/bin:/bin' },
  })
}

describe('nesting: anklume inside an admin container drives the host Incus', () => {
  it('applies the admin container with the socket proxy and context files', async () => {
    const infra = loadInfra(hostInfra())
    const host = await readNestingContext()
    const planned = await planInfra(client, infra, { level: 1 })
    const result = await applyInfra(client, planned, { nesting: host })
    expect(result.execution.results.filter((r) => r.status !== 'done')).toEqual([])
    const inst = await client.instances.get(admin, { project: adminDomain })
    expect(inst.status).toBe('Running')
    expect(inst.config['security.nesting']).toBe('true')
    expect(inst.devices['incus-socket']).toMatchObject({ type: 'proxy', bind: 'instance' })

    const level = await execIn(client, adminDomain, admin, 'cat /etc/anklume/absolute_level')
    expect(Number(level.stdout.trim())).toBe(host.absoluteLevel + 1)
    const sock = await execIn(client, adminDomain, admin, 'test -S /var/lib/incus/unix.socket && echo socket')
    expect(sock.stdout.trim()).toBe('socket')
    const links = await execIn(
      client,
      adminDomain,
      admin,
      '[ -e /lib ] || ln -s usr/lib /lib; [ -e /lib64 ] || ln -s usr/lib64 /lib64; mkdir -p /root /srv/anklume',
    )
    expect(links.exitCode).toBe(0)
    const node = await anklumeInside(['--version'])
    expect({ code: node.exitCode, err: node.stderr }).toEqual({ code: 0, err: '' })
  })

  it('status from inside sees the host domains through the proxied socket', async () => {
    await client.files.push(admin, '/srv/anklume/infra.yml', hostInfra(), {
      project: adminDomain,
      mode: 0o644,
    })
    const res = await anklumeInside(['status', '--json', '-f', '/srv/anklume/infra.yml'])
    expect(res.stderr).toBe('')
    expect(res.exitCode).toBe(0)
    const rows = JSON.parse(res.stdout).result.instances as Array<{
      domain: string
      projectExists: boolean
      bridgeExists: boolean
      instances: Array<{ instance: string; exists: boolean; state: string; ipv4: string[] }>
    }>
    expect(rows).toEqual([
      expect.objectContaining({
        domain: adminDomain,
        projectExists: true,
        bridgeExists: true,
        instances: [expect.objectContaining({ instance: admin, exists: true, state: 'Running' })],
      }),
    ])
  })

  it('apply from inside creates a project, bridge and instance on the host', async () => {
    await client.files.push(admin, '/srv/anklume/inner.yml', innerInfra(), {
      project: adminDomain,
      mode: 0o644,
    })
    const res = await anklumeInside(['apply', '--yes', '--no-nft', '-f', '/srv/anklume/inner.yml'])
    // Progress lines go to stderr: one ✓ per action, no failure.
    expect(res.stderr).toContain(`✓ create instance ${innerDomain}/${inner}`)
    expect(res.stderr).not.toMatch(/✗|error/)
    expect(res.stdout).toMatch(/Apply complete: \d+ done, 0 failed/)
    expect(res.exitCode).toBe(0)

    const project = await client.projects.get(innerDomain)
    expect(project.config['user.anklume.project']).toBe(`${prefix}-inner`)
    const bridge = await client.networks.get(`net-${innerDomain}`)
    expect(bridge.config['ipv4.address']).toBe(`${base}.42.254/24`)
    const inst = await client.instances.get(inner, { project: innerDomain })
    expect(inst.status).toBe('Running')
    expect(inst.devices.eth0?.['ipv4.address']).toBe(`${base}.42.10`)
    // The admin container is level host+1, so what it creates is level host+2.
    const level = await execIn(client, innerDomain, inner, 'cat /etc/anklume/absolute_level')
    const host = await readNestingContext()
    expect(Number(level.stdout.trim())).toBe(host.absoluteLevel + 2)

    // Converged, seen from inside too.
    const again = await anklumeInside([
      'plan',
      '-f',
      '/srv/anklume/inner.yml',
      '--detailed-exitcode',
      '--no-nft',
    ])
    expect({ code: again.exitCode, err: again.stderr }).toEqual({ code: 0, err: '' })
  })
})
