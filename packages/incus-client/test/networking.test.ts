import { freeBaseSubnet } from '@anklume/test-utils'
import { afterAll, describe, expect, it } from 'vitest'
import { cleanup, client, prefix } from './helpers.js'

const c = client()
const bridge = `${prefix}net`
const acl = `${prefix}-acl`
const zone = `${prefix}.anklume.test`
const subnet = `${await freeBaseSubnet()}.1`

afterAll(async () => {
  await cleanup(
    () => c.networks.patch(bridge, { config: { 'security.acls': '', 'dns.zone.forward': '' } }),
    () => c.networks.delete(bridge),
    () => c.networkAcls.delete(acl),
    () => c.networkZones.delete(zone),
  )
  await c.close()
})

describe('networks', () => {
  it('creates a bridge with an explicit address, reads it with its ETag, patches it', async () => {
    await c.networks.create({
      name: bridge,
      type: 'bridge',
      description: 'incus-client test',
      config: { 'ipv4.address': `${subnet}.254/24`, 'ipv4.nat': 'false', 'ipv6.address': 'none' },
    })
    const { value, etag } = await c.networks.getWithEtag(bridge)
    expect(value).toMatchObject({ name: bridge, type: 'bridge', managed: true })
    expect(value.config['ipv4.address']).toBe(`${subnet}.254/24`)
    await c.networks.update(
      bridge,
      { config: { ...value.config, 'user.k': 'v' }, description: 'x' },
      { etag },
    )
    await c.networks.patch(bridge, { config: { 'user.p': 'q' } })
    const after = await c.networks.get(bridge)
    expect(after.config).toMatchObject({ 'user.k': 'v', 'user.p': 'q', 'ipv4.nat': 'false' })
    expect((await c.networks.list()).map((n) => n.name)).toContain(bridge)
    const across = await c.networks.list({ allProjects: true })
    expect(across.find((n) => n.name === bridge)?.project).toBe('default')
  })
})

describe('network ACLs', () => {
  it('creates, reads, updates and deletes an ACL, and attaches it to a bridge', async () => {
    await c.networkAcls.create({
      name: acl,
      description: 'test',
      ingress: [{ action: 'allow', state: 'enabled', protocol: 'tcp', destination_port: '22' }],
      egress: [],
    })
    const { value, etag } = await c.networkAcls.getWithEtag(acl)
    expect(value.ingress).toHaveLength(1)
    expect(value.ingress[0]).toMatchObject({ action: 'allow', destination_port: '22' })
    await c.networkAcls.update(
      acl,
      { ...value, egress: [{ action: 'drop', state: 'enabled', destination: `${subnet}.0/24` }] },
      { etag },
    )
    expect((await c.networkAcls.get(acl)).egress[0]).toMatchObject({ action: 'drop' })
    await expect(c.networkAcls.update(acl, value, { etag })).rejects.toMatchObject({ code: 'INCUS_CONFLICT' })
    expect((await c.networkAcls.list()).map((a) => a.name)).toContain(acl)
    expect((await c.networkAcls.list({ allProjects: true })).find((a) => a.name === acl)?.project).toBe(
      'default',
    )

    await c.networks.patch(bridge, { config: { 'security.acls': acl } })
    expect((await c.networkAcls.get(acl)).used_by).toEqual([`/1.0/networks/${bridge}`])
    await c.networks.patch(bridge, { config: { 'security.acls': '' } })
    await c.networkAcls.delete(acl)
    await expect(c.networkAcls.get(acl)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
  })
})

describe('network zones', () => {
  it('creates, reads, patches and deletes a zone, and links it to a bridge', async () => {
    await c.networkZones.create({ name: zone, description: 'test zone', config: {} })
    const { value, etag } = await c.networkZones.getWithEtag(zone)
    expect(value.name).toBe(zone)
    await c.networkZones.update(zone, { description: 'updated', config: { 'user.z': '1' } }, { etag })
    expect((await c.networkZones.get(zone)).description).toBe('updated')
    await c.networkZones.patch(zone, { description: 'patched', config: { 'user.y': '2' } })
    const after = await c.networkZones.get(zone)
    expect(after.description).toBe('patched')
    expect(after.config).toMatchObject({ 'user.z': '1', 'user.y': '2' })
    expect((await c.networkZones.list()).map((z) => z.name)).toContain(zone)
    const across = await c.networkZones.list({ allProjects: true })
    expect(across.find((z) => z.name === zone)?.project).toBe('default')

    await c.networks.patch(bridge, { config: { 'dns.zone.forward': zone } })
    expect((await c.networks.get(bridge)).config['dns.zone.forward']).toBe(zone)
    await c.networks.patch(bridge, { config: { 'dns.zone.forward': '' } })
    await c.networkZones.delete(zone)
    await expect(c.networkZones.get(zone)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
  })

  it('deletes the bridge', async () => {
    await c.networks.delete(bridge)
    await expect(c.networks.get(bridge)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
  })
})
