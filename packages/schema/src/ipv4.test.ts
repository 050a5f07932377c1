import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatIpv4, IPV4_RE, ipv4ToInt, networkPrefix, parseIpv4 } from './ipv4.js'

describe('the IPv4 parser', () => {
  it('reads the network octets and the numeric value of an address', () => {
    expect(networkPrefix('10.100.3.254/24')).toBe('10.100.3')
    expect(networkPrefix('10.100.3.7')).toBe('10.100.3')
    expect(networkPrefix('10.100.3')).toBeUndefined()
    expect(ipv4ToInt('10.0.0.1')).toBe(167772161)
    expect(ipv4ToInt('255.255.255.255')).toBe(2 ** 32 - 1)
    expect(ipv4ToInt('10.0.0.256')).toBeUndefined()
    expect(formatIpv4(167772161)).toBe('10.0.0.1')
    expect(formatIpv4(2 ** 32 - 1)).toBe('255.255.255.255')
  })

  it('accepts exactly what IPV4_RE accepts, and round-trips through formatIpv4', () => {
    const text = fc.oneof(
      fc.ipV4(),
      fc.stringMatching(/^[0-9.]{0,16}$/),
      fc.tuple(fc.ipV4(), fc.constantFrom(' ', '\n', '.', '0', 'x')).map(([ip, c]) => ip + c),
    )
    fc.assert(
      fc.property(text, (s) => {
        expect(parseIpv4(s) !== undefined).toBe(IPV4_RE.test(s))
        const n = ipv4ToInt(s)
        if (n !== undefined) expect(formatIpv4(n)).toBe(s)
      }),
      { numRuns: 2000 },
    )
    expect(parseIpv4('010.1.1.1')).toBeUndefined()
    expect(parseIpv4('0.0.0.0')).toEqual([0, 0, 0, 0])
    expect(parseIpv4('255.255.255.255')).toEqual([255, 255, 255, 255])
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.256'])
      expect(parseIpv4(bad)).toBeUndefined()
  })
})
