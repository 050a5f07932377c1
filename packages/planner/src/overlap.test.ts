import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { desired } from './desired.js'
import { checkSubnetOverlap, cidrRange } from './overlap.js'

const nets = desired(makeInfra([makeDomain('pro', 2), makeDomain('lan', 1, {}, {}, '192.168')]), {
  level: 1,
}).networks

describe('checkSubnetOverlap', () => {
  it('finds nothing on a host that uses other ranges (default routes ignored)', () => {
    expect(
      checkSubnetOverlap(nets, {
        addresses: ['172.17.0.1/16', 'fe80::1/64'],
        routes: ['default', '0.0.0.0/0', '172.17.0.0/16'],
        resolvers: ['10.255.255.254', '::1'],
      }),
    ).toEqual([])
  })

  it('names the bridge, its subnet and the host address, route and resolver it overlaps', () => {
    const conflicts = checkSubnetOverlap(nets, {
      addresses: ['192.168.1.20/24'],
      routes: ['10.100.0.0/16'],
      resolvers: ['10.100.2.53'],
    })
    expect(conflicts.map((c) => c.message)).toEqual([
      'bridge net-pro (10.100.2.0/24) overlaps a host route 10.100.0.0/16: pick another subnet_id or base_subnet',
      'bridge net-pro (10.100.2.0/24) overlaps a DNS server of the host 10.100.2.53: pick another subnet_id or base_subnet',
      'bridge net-lan (192.168.1.0/24) overlaps a host interface address 192.168.1.20/24: pick another subnet_id or base_subnet',
    ])
    expect(conflicts[0]).toMatchObject({
      bridge: 'net-pro',
      subnet: '10.100.2.0/24',
      kind: 'route',
      host: '10.100.0.0/16',
    })
  })

  it('treats a wider host prefix and a narrower one alike', () => {
    expect(
      checkSubnetOverlap(nets, { addresses: ['10.100.2.128/25'], routes: [], resolvers: [] }),
    ).toHaveLength(1)
    expect(checkSubnetOverlap(nets, { addresses: ['10.100.3.1/24'], routes: [], resolvers: [] })).toEqual([])
  })

  it('parses CIDRs strictly', () => {
    expect(cidrRange('10.1.2.3/24')).toEqual({ start: 167838208, end: 167838463 })
    expect(cidrRange('10.1.2.300/24')).toBeUndefined()
    expect(cidrRange('10.1.2.3/33')).toBeUndefined()
  })
})
