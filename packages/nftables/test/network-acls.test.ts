/**
 * generateNetworkAcls on the real daemon: the ACLs it writes are accepted by
 * Incus, attach to the domain bridges (`security.acls`), and filter real
 * traffic on their own (no anklume nftables table loaded).
 */

import {
  canConnect,
  createBridge,
  createProject,
  deleteInstance,
  deleteNetwork,
  deleteProject,
  exec,
  freeBaseSubnet,
  launch,
  makeInfra,
  raw,
  rawWait,
  runPrefix,
  waitForIp,
} from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateNetworkAcls, isolationModel, type NetworkAcls } from '../src/index.js'

const prefix = runPrefix()

const base = await freeBaseSubnet()
/** The first /24 of the free base; domain i is on `${base}.${third + i}`. */
const third = 1
const net = (i: number) => `${base}.${third + i}`
const [X, Y] = [`${prefix}x`, `${prefix}y`] as [string, string]
const x1 = `${X}1`
const y1 = `${Y}1`

const model = isolationModel(
  makeInfra({
    base,
    domains: [
      { name: X, id: third, machines: { [x1]: 1 } },
      { name: Y, id: third + 1, machines: { [y1]: 1 } },
    ],
    policies: [{ from: x1, to: Y, ports: [7001], description: 'x1 to y on 7001' }],
  }),
)
// Names start with the run prefix, so the global teardown would find them too.
const acls: NetworkAcls = generateNetworkAcls(model, { name: (d) => `${d.name}-iso` })

beforeAll(async () => {
  for (const [i, d] of model.domains.entries()) await createBridge(d.bridge, net(i))
  await Promise.all(model.domains.map((d) => createProject(d.name, d.bridge)))
  await launch(X, x1, `net-${X}`, `${net(0)}.1`)
  await launch(Y, y1, `net-${Y}`, `${net(1)}.1`)
  await Promise.all([waitForIp(X, x1, `${net(0)}.1`), waitForIp(Y, y1, `${net(1)}.1`)])
  for (const p of [7001, 7002]) expect(await exec(Y, y1, `httpd -p ${p} -h /tmp`)).toBe(0)
  expect(await exec(X, x1, 'httpd -p 7001 -h /tmp')).toBe(0)
}, 240_000)

afterAll(async () => {
  for (const n of acls.networks)
    await rawWait('PATCH', `/1.0/networks/${n.network}`, { config: { 'security.acls': '' } })
  for (const a of acls.acls) await rawWait('DELETE', `/1.0/network-acls/${a.name}`)
  await deleteInstance(X, x1)
  await deleteInstance(Y, y1)
  for (const d of model.domains) await deleteProject(d.name)
  for (const d of model.domains) await deleteNetwork(d.bridge)
}, 240_000)

describe('Incus network ACLs from the isolation model', () => {
  it('traffic flows between the bridges before the ACLs exist', async () => {
    expect(await canConnect(X, x1, `${net(1)}.1`, 7002)).toBe(true)
    expect(await canConnect(Y, y1, `${net(0)}.1`, 7001)).toBe(true)
  })

  it('creates the ACLs and attaches them to the bridges', async () => {
    for (const a of acls.acls) {
      const res = await raw('POST', '/1.0/network-acls', a)
      expect([res.status, res.body.error ?? '']).toEqual([201, ''])
    }
    for (const n of acls.networks) {
      const res = await rawWait('PATCH', `/1.0/networks/${n.network}`, { config: n.config })
      expect([res.status, res.body.error ?? '']).toEqual([200, ''])
    }
    const stored = await raw('GET', `/1.0/network-acls/${Y}-iso`)
    const meta = stored.body.metadata as {
      ingress: unknown[]
      used_by: string[]
      config: Record<string, string>
    }
    expect(meta.ingress).toEqual(acls.acls[1]?.ingress)
    expect(meta.used_by).toEqual([`/1.0/networks/net-${Y}`])
    expect(meta.config).toEqual({
      'user.anklume.managed': 'true',
      'user.anklume.project': 'test',
      'user.anklume.domain': Y,
    })
  })

  it('the ACLs alone let the declared flow through and reject the rest', async () => {
    const [allowed, otherPort, back] = await Promise.all([
      canConnect(X, x1, `${net(1)}.1`, 7001),
      canConnect(X, x1, `${net(1)}.1`, 7002),
      canConnect(Y, y1, `${net(0)}.1`, 7001),
    ])
    expect({ allowed, otherPort, back }).toEqual({ allowed: true, otherPort: false, back: false })
  })
})
