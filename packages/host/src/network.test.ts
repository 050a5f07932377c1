import { describe, expect, it } from 'vitest'
import { parseProcRoutes, parseResolvConf, readHostNetwork } from './network.js'

const ROUTES = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t0100000A\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
net-pro\t0064640A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`

describe('host network facts', () => {
  it('parses /proc/net/route, skipping default routes and our bridges', () => {
    expect(parseProcRoutes(ROUTES, new Set(['net-pro']))).toEqual(['10.0.0.0/24'])
    expect(parseProcRoutes(ROUTES)).toEqual(['10.0.0.0/24', '10.100.100.0/24'])
  })

  it('parses resolv.conf nameservers', () => {
    expect(
      parseResolvConf('# c\nnameserver 10.255.0.1\nsearch x\nnameserver  1.1.1.1\nnameserver ::1\n'),
    ).toEqual(['10.255.0.1', '1.1.1.1'])
  })

  it('reads this host without failing', async () => {
    const net = await readHostNetwork()
    expect(Array.isArray(net.addresses)).toBe(true)
    for (const cidr of [...net.addresses, ...net.routes]) expect(cidr).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/)
  })
})
