/**
 * isolation.network_acls and dns_zone on the real daemon: the ACLs and zones
 * are created and attached to the bridges, a converged infra plans nothing
 * and writes nothing, and turning the features off removes them.
 */

import type { IncusClient } from '@anklume/incus-client'
import { freeBaseSubnet, loadInfra, runPrefix, TEST_IMAGE } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApplyResult, InfraPlan } from '../src/index.js'
import { apply, newClient, plan, removeInfra } from './helpers.js'

const P = runPrefix()
const A = `${P}x`
const B = `${P}y`
let client: IncusClient
let base: string

const yaml = (on: boolean) => `
project_name: ${P}-aux
global:
  base_subnet: "${base}"
  default_os_image: ${TEST_IMAGE}
  isolation: { network_acls: ${on} }
domains:
  ${A}:
    subnet_id: 1
    nat: false
    ephemeral: true
${on ? '    dns_zone: lab.internal\n' : ''}    machines:
      ${P}-web: { ip: "${base}.1.10" }
  ${B}:
    subnet_id: 2
    nat: false
    ephemeral: true
    machines:
      ${P}-cli: { ip: "${base}.2.10" }
network_policies:
  - { from: ${B}, to: ${P}-web, ports: [80] }
`

/** The ACL and zone actions that ran: `acl acl-net-x`. */
const written = (r: ApplyResult) =>
  r.execution.results
    .filter((x) => x.status === 'done' && (x.action.kind === 'acl' || x.action.kind === 'zone'))
    .map((x) => `${x.action.kind} ${x.action.name}`)
    .sort()

/** The ACL and zone actions planned: `{op, kind, name}`. */
const planned = (p: InfraPlan) =>
  p.plan.actions
    .filter((a) => a.kind === 'acl' || a.kind === 'zone')
    .map(({ op, kind, name }) => ({ op, kind, name }))

beforeAll(async () => {
  client = newClient()
  base = await freeBaseSubnet()
})

afterAll(async () => {
  await removeInfra(client, `${P}-aux`)
  await client.close()
})

describe('network ACLs and zones', () => {
  it('creates the ACLs and the zone, attaches them to the bridges, and converges', async () => {
    const infra = loadInfra(yaml(true))
    const { result } = await apply(client, infra)
    expect(result.execution.ok).toBe(true)
    expect(written(result)).toEqual([`acl acl-net-${A}`, `acl acl-net-${B}`, `zone ${A}.lab.internal`])

    const acl = await client.networkAcls.get(`acl-net-${A}`)
    expect(acl.config['user.anklume.project']).toBe(`${P}-aux`)
    expect(acl.ingress).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          source: `${base}.2.0/24`,
          destination: `${base}.1.10`,
          destination_port: '80',
        }),
      ]),
    )
    const net = await client.networks.get(`net-${A}`)
    expect(net.config).toMatchObject({
      'security.acls': `acl-net-${A}`,
      'security.acls.default.ingress.action': 'reject',
      'dns.zone.forward': `${A}.lab.internal`,
    })
    expect((await client.networkZones.get(`${A}.lab.internal`)).name).toBe(`${A}.lab.internal`)

    const again = await plan(client, infra)
    expect(again.plan.actions).toEqual([])
    const before = client.stats.writes
    const noop = await apply(client, infra)
    expect(written(noop.result)).toEqual([])
    expect(client.stats.writes).toBe(before)
  })

  it('removes them when the infra stops asking for them', async () => {
    const pending = await plan(client, loadInfra(yaml(false)))
    expect(planned(pending)).toEqual(
      expect.arrayContaining([
        { op: 'delete', kind: 'acl', name: `acl-net-${A}` },
        { op: 'delete', kind: 'zone', name: `${A}.lab.internal` },
      ]),
    )
    const { result } = await apply(client, loadInfra(yaml(false)))
    expect(result.execution.ok).toBe(true)
    expect(written(result)).toEqual([`acl acl-net-${A}`, `acl acl-net-${B}`, `zone ${A}.lab.internal`])
    const net = await client.networks.get(`net-${A}`)
    expect(net.config['security.acls']).toBeUndefined()
    expect(net.config['dns.zone.forward']).toBeUndefined()
    await expect(client.networkAcls.get(`acl-net-${A}`)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
    await expect(client.networkZones.get(`${A}.lab.internal`)).rejects.toMatchObject({
      code: 'INCUS_NOT_FOUND',
    })
  })
})
