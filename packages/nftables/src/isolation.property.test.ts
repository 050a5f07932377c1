/**
 * Property: for random infras and policies, the generated ruleset (its JSON,
 * run through the packet evaluator) accepts exactly the flows the policies
 * declare, between domains and towards the host, and drops every packet
 * between a domain bridge and a bridge of another infra on the host (the
 * foreign bridges apply passes), new or established. The oracle below reads the
 * infra's policies directly and shares no code with the generator.
 */
import type { Infra } from '@anklume/schema'
import { makeInfra, nftCheck, type PolicySpec } from '@anklume/test-utils'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileRuleset, type Packet } from './evaluate.js'
import { generateRuleset } from './generate.js'

const PORTS = [22, 80, 443, 631, 8080]
const PROBE_PORTS = [...PORTS, 53, 67, 9999]

const arbInfra = fc
  .record({
    domains: fc.array(
      fc.record({
        enabled: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
        machines: fc.uniqueArray(fc.option(fc.integer({ min: 1, max: 99 }), { freq: 4 }), { maxLength: 3 }),
      }),
      { minLength: 2, maxLength: 6 },
    ),
    egress: fc.boolean(),
    foreign: fc.nat({ max: 3 }),
    rawPolicies: fc.array(
      fc.record({
        from: fc.nat(),
        to: fc.nat(),
        ports: fc.oneof(
          fc.constant('all' as const),
          fc.uniqueArray(fc.constantFrom(...PORTS), { minLength: 1 }),
        ),
        protocol: fc.constantFrom(undefined, 'tcp' as const, 'udp' as const),
        bidirectional: fc.boolean(),
      }),
      { maxLength: 8 },
    ),
  })
  .map(({ domains, egress, foreign, rawPolicies }) => {
    const specs = domains.map((d, i) => ({
      name: `d${i}`,
      id: i + 1,
      enabled: d.enabled,
      machines: Object.fromEntries(d.machines.map((h, j) => [`m${i}x${j}`, h ?? undefined])),
    }))
    const targets = [
      'host',
      ...specs.map((d) => d.name),
      ...specs.flatMap((d) =>
        Object.entries(d.machines)
          .filter(([, h]) => h !== undefined)
          .map(([m]) => m),
      ),
    ]
    const policies: PolicySpec[] = rawPolicies.map((p) => ({
      from: targets[p.from % targets.length] as string,
      to: targets[p.to % targets.length] as string,
      ports: p.ports,
      protocol: p.ports === 'all' ? p.protocol : (p.protocol ?? 'tcp'),
      bidirectional: p.bidirectional,
    }))
    // Bridges of other infras on the host, each with a lease-like address of its own.
    const foreignBridges = Array.from({ length: foreign }, (_, i) => ({
      bridge: `net-x${i}`,
      project: 'other',
    }))
    return { infra: makeInfra({ domains: specs, policies, egress }), foreignBridges }
  })

interface Addr {
  domain: string
  bridge: string
  ip: string
  machine: string | undefined
}

/** Every address a packet may come from or go to: each static machine plus a DHCP lease per domain. */
function addresses(infra: Infra): Addr[] {
  return infra.domains.flatMap((d) => [
    ...d.machines
      .filter((m) => m.ip)
      .map((m) => ({ domain: d.name, bridge: `net-${d.name}`, ip: m.ip!, machine: m.name })),
    { domain: d.name, bridge: `net-${d.name}`, ip: d.gateway.replace(/\.254$/, '.150'), machine: undefined },
  ])
}

const is = (target: string, a: Addr) =>
  target === a.domain || (a.machine !== undefined && target === a.machine)
const protoOk = (p: Infra['networkPolicies'][number], proto: string, port: number | undefined) =>
  (p.protocol === undefined || p.protocol === proto) &&
  (p.ports === 'all' || (proto !== 'icmp' && port !== undefined && p.ports.includes(port)))

/**
 * The oracle: is this new connection declared by some policy (or its mirror)?
 * Policies naming a disabled domain or one of its machines declare nothing.
 */
function declared(
  infra: Infra,
  src: Addr,
  dst: Addr | 'host',
  proto: string,
  port: number | undefined,
): boolean {
  const off = new Set(
    infra.domains.filter((d) => !d.enabled).flatMap((d) => [d.name, ...d.machines.map((m) => m.name)]),
  )
  return infra.networkPolicies.some((p) => {
    if (off.has(p.from) || off.has(p.to) || !protoOk(p, proto, port)) return false
    const fwd = is(p.from, src) && (dst === 'host' ? p.to === 'host' : is(p.to, dst))
    const back = p.bidirectional && is(p.to, src) && (dst === 'host' ? p.from === 'host' : is(p.from, dst))
    return fwd || back
  })
}

function probes(): Array<{ proto: Packet['l4proto']; port: number | undefined }> {
  return [
    { proto: 'icmp', port: undefined },
    ...PROBE_PORTS.flatMap((port) => [
      { proto: 'tcp' as const, port },
      { proto: 'udp' as const, port },
    ]),
  ]
}

describe('isolation property', () => {
  it('accepts exactly the declared flows between domains, to the host and to the outside, none to other infras', {
    timeout: 30_000,
  }, () => {
    let parsedWithNft = 0
    fc.assert(
      fc.property(arbInfra, ({ infra, foreignBridges }) => {
        const r = generateRuleset(infra, { foreignBridges })
        if (parsedWithNft < 8) {
          expect(nftCheck(r.text).status).toBe(0)
          parsedWithNft++
        }
        const filter = compileRuleset(r.json)
        const mismatches: string[] = []
        const check = (hook: 'forward' | 'input', pkt: Packet, want: boolean) => {
          const got = filter(hook, pkt)
          if (got !== (want ? 'accept' : 'drop')) mismatches.push(`${hook} ${JSON.stringify(pkt)}: ${got}`)
        }
        const addrs = addresses(infra)
        const gateways = infra.domains.map((d) => d.gateway)
        for (const src of addrs) {
          for (const { proto, port } of probes()) {
            const base = { saddr: src.ip, l4proto: proto, ...(port === undefined ? {} : { dport: port }) }
            for (const dst of addrs) {
              const pkt: Packet = { ...base, iifname: src.bridge, oifname: dst.bridge, daddr: dst.ip }
              const want = src.bridge === dst.bridge || declared(infra, src, dst, proto, port)
              check('forward', pkt, want)
              check('forward', { ...pkt, ct: 'established' }, true)
            }
            for (const gw of [...gateways, '192.0.2.2']) {
              const pkt: Packet = { ...base, iifname: src.bridge, oifname: '', daddr: gw }
              const own = gw === src.ip.replace(/\.\d+$/, '.254')
              const want =
                (proto === 'udp' && port === 67) ||
                (own && (proto === 'icmp' || port === 53 || declared(infra, src, 'host', proto, port)))
              check('input', pkt, want)
            }
            const out: Packet = { ...base, iifname: src.bridge, oifname: 'eth0', daddr: '198.51.100.7' }
            check('forward', out, infra.global.isolation.egress)
            const inbound: Packet = {
              ...base,
              iifname: 'eth0',
              oifname: src.bridge,
              saddr: '198.51.100.7',
              daddr: src.ip,
            }
            check('forward', inbound, infra.global.isolation.egress)
            check('input', { ...inbound, oifname: '' }, true)
            const transit: Packet = { ...inbound, oifname: 'eth1', daddr: '203.0.113.9', ct: 'invalid' }
            check('forward', transit, true)
            // Another infra's domains: never reachable, never reaching in, whatever the policies
            // and even for connections conntrack already knows.
            for (const [i, f] of foreignBridges.entries()) {
              const there = `10.99.${i}.5`
              for (const ct of ['new', 'established'] as const) {
                const toForeign: Packet = {
                  ...base,
                  iifname: src.bridge,
                  oifname: f.bridge,
                  daddr: there,
                  ct,
                }
                check('forward', toForeign, false)
                const fromForeign: Packet = {
                  ...base,
                  iifname: f.bridge,
                  oifname: src.bridge,
                  saddr: there,
                  daddr: src.ip,
                  ct,
                }
                check('forward', fromForeign, false)
              }
              // Between two foreign bridges: their own tables' business.
              const between: Packet = { ...base, iifname: f.bridge, oifname: 'net-x9', daddr: there }
              check('forward', between, true)
            }
          }
        }
        expect(mismatches.slice(0, 5)).toEqual([])
      }),
      { numRuns: 120 },
    )
    expect(parsedWithNft).toBe(8)
  })
})
