/**
 * The real proof: three domains on the local Incus (plus one bridge outside
 * the infra), busybox containers with static IPs, real TCP connections and
 * pings. Routing between the bridges works before
 * the table is loaded; with it, exactly the policies' flows get through.
 * Traffic stays between this run's containers and the host's own bridges.
 */
import { createServer, type Server } from 'node:net'
import { diffRulesets, generateRuleset } from '@anklume/nftables'
import {
  canConnect,
  canPing,
  createBridge,
  createProject,
  deleteInstance,
  deleteNetwork,
  deleteProject,
  exec,
  freeBaseSubnet,
  launch,
  makeInfra,
  nftHost,
  raw,
  runPrefix,
  waitForIp,
} from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyRuleset, listTable } from '../src/index.js'

const prefix = runPrefix()
const table = `anklume_${prefix}`
const base = await freeBaseSubnet()
/** The first /24 of the free base; domain i is on `${base}.${third + i}`. */
const third = 1
const net = (i: number) => `${base}.${third + i}`
const HOST_PORT = 7100

const [A, B, C] = ['a', 'b', 'c'].map((s) => `${prefix}${s}`) as [string, string, string]
/** A bridge that is NOT a domain of the infra: "the outside" as far as the table knows. */
const O = `${prefix}o`
const ALL = [A, B, C, O]
const bridge = (d: string) => `net-${d}`
const m = (d: string, n: number) => `${d}${n}`
/** machine -> [domain, ip, listening ports] */
const machines: Record<string, [string, string, number[]]> = {
  [m(A, 1)]: [A, `${net(0)}.1`, [7003]],
  [m(A, 2)]: [A, `${net(0)}.2`, [7004]],
  [m(B, 1)]: [B, `${net(1)}.1`, [7001, 7002]],
  [m(B, 2)]: [B, `${net(1)}.2`, [7002]],
  [m(C, 1)]: [C, `${net(2)}.1`, [7001, 7003]],
  [m(O, 1)]: [O, `${net(3)}.1`, [7001]],
}
const ip = (name: string) => (machines[name] as [string, string, number[]])[1]
const gw = (i: number) => `${net(i)}.254`

const infra = (egress: boolean) =>
  makeInfra({
    base,
    table,
    egress,
    domains: [A, B, C].map((name, i) => ({
      name,
      id: third + i,
      machines: Object.fromEntries(
        Object.entries(machines)
          .filter(([, [d]]) => d === name)
          .map(([mn, [, addr]]) => [mn, Number(addr.split('.')[3])]),
      ),
    })),
    policies: [
      { from: A, to: B, ports: [7001], description: 'a to b web' },
      { from: m(A, 1), to: m(B, 2), ports: [7002], description: 'a1 to b2 only' },
      { from: m(C, 1), to: m(A, 1), ports: [7003], bidirectional: true },
      { from: B, to: 'host', ports: [HOST_PORT] },
      { from: B, to: C, description: 'b to c, every port and protocol' },
    ],
  })

const servers: Server[] = []
const domainOf = (name: string) => (machines[name] as [string, string, number[]])[0]
/** One DHCP request/lease cycle from the instance (the lease script does nothing). */
const dhcpRenews = async (name: string) =>
  (await exec(domainOf(name), name, 'udhcpc -n -q -i eth0 -t 3 -T 1 -s /bin/true')) === 0
/** Port 0 stands for ICMP (ping). */
const connect = (from: string, to: string, port: number) =>
  port === 0 ? canPing(domainOf(from), from, to) : canConnect(domainOf(from), from, to, port)

beforeAll(async () => {
  for (const [i, d] of ALL.entries()) await createBridge(bridge(d), net(i))
  await Promise.all(ALL.map((d) => createProject(d, bridge(d))))
  await Promise.all(Object.entries(machines).map(([n, [d, addr]]) => launch(d, n, bridge(d), addr)))
  await Promise.all(Object.entries(machines).map(([n, [d, addr]]) => waitForIp(d, n, addr)))
  for (const [n, [d, , ports]] of Object.entries(machines)) {
    for (const p of ports) expect(await exec(d, n, `httpd -p ${p} -h /tmp`)).toBe(0)
  }
  // The host listens on the gateways of a and b only (never any other address).
  for (const addr of [gw(0), gw(1)]) {
    const s = createServer((sock) => sock.end('HTTP/1.0 200 OK\r\n\r\n'))
    await new Promise<void>((res, rej) => s.once('error', rej).listen(HOST_PORT, addr, () => res()))
    servers.push(s)
  }
}, 240_000)

afterAll(async () => {
  nftHost(['delete', 'table', 'inet', table])
  for (const s of servers) s.close()
  await Promise.all(Object.entries(machines).map(([n, [d]]) => deleteInstance(d, n)))
  for (const d of ALL) await deleteProject(d)
  for (const d of ALL) await deleteNetwork(bridge(d))
}, 240_000)

/** Runs every probe at once; each blocked one costs nc's 3 s connect timeout. */
async function probe(cases: Array<[string, string, number]>): Promise<Record<string, boolean>> {
  const results = await Promise.all(cases.map(([from, to, port]) => connect(from, to, port)))
  return Object.fromEntries(
    cases.map(([from, to, port], i) => [`${from} -> ${to}:${port}`, results[i] as boolean]),
  )
}

describe('isolation on a real Incus (3 domains + 1 outside bridge, 6 containers; port 0 = ping)', () => {
  const cases: Array<[string, string, number]> = [
    [m(A, 1), ip(m(B, 1)), 7001],
    [m(A, 2), ip(m(B, 1)), 7001],
    [m(A, 1), ip(m(B, 1)), 7002],
    [m(A, 1), ip(m(B, 2)), 7002],
    [m(A, 2), ip(m(B, 2)), 7002],
    [m(B, 1), ip(m(A, 1)), 7003],
    [m(C, 1), ip(m(A, 1)), 7003],
    [m(A, 1), ip(m(C, 1)), 7003],
    [m(A, 2), ip(m(C, 1)), 7003],
    [m(C, 1), ip(m(B, 1)), 7001],
    [m(A, 1), ip(m(A, 2)), 7004],
    [m(B, 1), gw(1), HOST_PORT],
    [m(A, 1), gw(0), HOST_PORT],
    [m(A, 1), gw(1), HOST_PORT],
    [m(B, 1), gw(0), HOST_PORT],
    [m(A, 1), gw(0), 53],
    [m(A, 1), gw(1), 53],
    [m(B, 1), ip(m(C, 1)), 7001],
    [m(B, 1), ip(m(C, 1)), 0],
    [m(C, 1), ip(m(B, 1)), 0],
    [m(A, 1), ip(m(B, 1)), 0],
    [m(A, 1), gw(0), 0],
    [m(A, 1), gw(1), 0],
    [m(A, 1), ip(m(O, 1)), 7001],
    [m(O, 1), ip(m(A, 1)), 7003],
  ]

  it('routes everything between the bridges before the table is loaded', async () => {
    expect(nftHost(['list', 'table', 'inet', table]).status).not.toBe(0)
    const r = await probe(cases)
    expect(Object.entries(r).filter(([, ok]) => !ok)).toEqual([])
    expect(await dhcpRenews(m(A, 1))).toBe(true)
  })

  it('with the table loaded, lets exactly the declared flows through', async () => {
    const ruleset = generateRuleset(infra(true))
    const driver = (
      (await raw('GET', '/1.0')).body.metadata as { environment?: { firewall?: string } } | undefined
    )?.environment?.firewall
    expect(driver).toBe('nftables')
    const applied = await applyRuleset(ruleset, { firewallDriver: driver })
    expect(applied.table).toBe(table)
    // The bridges are in this network namespace, so the table does protect them.
    expect(applied.warnings.map((w) => w.code)).not.toContain('BRIDGES_NOT_HERE')
    expect(diffRulesets(await listTable(table), ruleset.json).same).toBe(true)
    expect(await probe(cases)).toEqual({
      [`${m(A, 1)} -> ${ip(m(B, 1))}:7001`]: true, // a -> b on 7001 (domain policy)
      [`${m(A, 2)} -> ${ip(m(B, 1))}:7001`]: true, // any machine of a
      [`${m(A, 1)} -> ${ip(m(B, 1))}:7002`]: false, // not that port
      [`${m(A, 1)} -> ${ip(m(B, 2))}:7002`]: true, // machine policy a1 -> b2
      [`${m(A, 2)} -> ${ip(m(B, 2))}:7002`]: false, // ... for a1 only
      [`${m(B, 1)} -> ${ip(m(A, 1))}:7003`]: false, // a -> b is one-way
      [`${m(C, 1)} -> ${ip(m(A, 1))}:7003`]: true, // bidirectional c1 <-> a1
      [`${m(A, 1)} -> ${ip(m(C, 1))}:7003`]: true, // ... mirrored
      [`${m(A, 2)} -> ${ip(m(C, 1))}:7003`]: false, // ... for a1 only
      [`${m(C, 1)} -> ${ip(m(B, 1))}:7001`]: false, // no policy c -> b
      [`${m(A, 1)} -> ${ip(m(A, 2))}:7004`]: true, // inside a domain: untouched
      [`${m(B, 1)} -> ${gw(1)}:${HOST_PORT}`]: true, // b -> host port, own gateway
      [`${m(A, 1)} -> ${gw(0)}:${HOST_PORT}`]: false, // no host policy for a
      [`${m(A, 1)} -> ${gw(1)}:${HOST_PORT}`]: false, // another domain's gateway
      [`${m(B, 1)} -> ${gw(0)}:${HOST_PORT}`]: false, // host port, but not via a's gateway
      [`${m(A, 1)} -> ${gw(0)}:53`]: true, // DNS on its own gateway
      [`${m(A, 1)} -> ${gw(1)}:53`]: false, // DNS of another domain's gateway
      [`${m(B, 1)} -> ${ip(m(C, 1))}:7001`]: true, // b -> c: every port
      [`${m(B, 1)} -> ${ip(m(C, 1))}:0`]: true, // ... and every protocol (ping)
      [`${m(C, 1)} -> ${ip(m(B, 1))}:0`]: false, // ... one way
      [`${m(A, 1)} -> ${ip(m(B, 1))}:0`]: false, // a -> b is tcp 7001 only
      [`${m(A, 1)} -> ${gw(0)}:0`]: true, // ICMP to its own gateway
      [`${m(A, 1)} -> ${gw(1)}:0`]: false, // ... not to another domain's
      [`${m(A, 1)} -> ${ip(m(O, 1))}:7001`]: true, // egress: non-domain networks untouched
      [`${m(O, 1)} -> ${ip(m(A, 1))}:7003`]: true, // ... both ways
    })
    // DHCP to the host still works (a one-shot lease request from udhcpc).
    expect(await dhcpRenews(m(A, 1))).toBe(true)
    // The drop counter saw the blocked connections.
    const listing = nftHost(['list', 'chain', 'inet', table, 'forward'])
    expect(listing.stdout).toMatch(/oifname @domain_bridges counter packets [1-9]\d* bytes \d+ drop/)
  })

  it('egress: false also cuts the domains off from non-domain networks, policies still apply', async () => {
    const ruleset = generateRuleset(infra(false))
    // Loading over the live table replaces it in one transaction.
    expect(nftHost([], ruleset.text).stderr).toBe('')
    expect(diffRulesets(await listTable(table), ruleset.json).same).toBe(true)
    expect(
      await probe([
        [m(A, 1), ip(m(O, 1)), 7001],
        [m(O, 1), ip(m(A, 1)), 7003],
        [m(A, 1), ip(m(B, 1)), 7001],
        [m(B, 1), gw(1), HOST_PORT],
      ]),
    ).toEqual({
      [`${m(A, 1)} -> ${ip(m(O, 1))}:7001`]: false,
      [`${m(O, 1)} -> ${ip(m(A, 1))}:7003`]: false,
      [`${m(A, 1)} -> ${ip(m(B, 1))}:7001`]: true,
      [`${m(B, 1)} -> ${gw(1)}:${HOST_PORT}`]: true,
    })
  })

  it('deleting the table restores routing (the blocks were the table)', async () => {
    expect(nftHost(['delete', 'table', 'inet', table]).status).toBe(0)
    const r = await probe([
      [m(A, 1), ip(m(B, 1)), 7002],
      [m(A, 1), gw(1), HOST_PORT],
    ])
    expect(Object.values(r)).toEqual([true, true])
  })
})
