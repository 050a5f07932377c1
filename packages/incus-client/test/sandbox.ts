/**
 * A per-file sandbox on the real daemon: a bridge on a free test subnet
 * (no NAT, no IPv6), a project with its own profiles and volumes, and that
 * project's default profile filled with a root disk and an eth0 nic.
 */
import { freeBaseSubnet } from '@anklume/test-utils'
import type { IncusClient } from '../src/index.js'
import { cleanup, prefix } from './helpers.js'

export interface Sandbox {
  project: string
  bridge: string
  subnet: string
  /** Deletes every instance of the project, the project, then the bridge. */
  destroy(): Promise<void>
}

export async function createSandbox(c: IncusClient, tag: string): Promise<Sandbox> {
  const project = `${prefix}-${tag}`
  const bridge = `${prefix}${tag}`.slice(0, 15)
  const subnet = `${await freeBaseSubnet()}.1`
  await c.networks.create({
    name: bridge,
    type: 'bridge',
    config: {
      'ipv4.address': `${subnet}.254/24`,
      'ipv4.nat': 'false',
      'ipv4.dhcp.ranges': `${subnet}.100-${subnet}.249`,
      'ipv6.address': 'none',
    },
  })
  await c.projects.create({
    name: project,
    config: {
      'features.profiles': 'true',
      'features.storage.volumes': 'true',
      'features.images': 'false',
      'features.networks': 'false',
    },
  })
  await c.profiles.update(
    'default',
    {
      description: 'incus-client test sandbox',
      config: {},
      devices: {
        root: { type: 'disk', path: '/', pool: 'default' },
        eth0: { type: 'nic', network: bridge, name: 'eth0' },
      },
    },
    { project },
  )
  return {
    project,
    bridge,
    subnet,
    destroy: async () => {
      const instances = await c.instances.list({ project }).catch(() => [])
      await cleanup(
        ...instances.map((i) => () => c.instances.delete(i.name, { project, force: true })),
        async () => {
          for (const v of await c.storage.volumes.list('default', { project })) {
            await c.storage.volumes.delete('default', v.name, { project })
          }
        },
        () => c.projects.delete(project),
        () => c.networks.delete(bridge),
      )
    },
  }
}
