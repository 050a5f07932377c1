import { describe, expect, test } from 'vitest'
import { durationError, incusTrue, percentError, SIZE_RE, toIncusExpiry } from './formats.js'
import { isPrivateBaseSubnet, parseIpv4, subnetOf } from './ipv4.js'
import { closest, didYouMean, levenshtein } from './suggest.js'

describe('value formats', () => {
  test('durations', () => {
    for (const ok of ['30d', '24h', '60m', '2w', '1y', '12H', '30M', '1w 2d'])
      expect(durationError(ok)).toBeUndefined()
    for (const bad of ['', '30', 'd', '3 days', '1.5d', '-1d'])
      expect(durationError(bad)).toContain('not a duration')
    expect(toIncusExpiry('24h')).toBe('24H')
    expect(toIncusExpiry('60m')).toBe('60M')
    expect(toIncusExpiry('1w 2d')).toBe('1w 2d')
  })

  test('sizes and percentages', () => {
    for (const ok of ['512MiB', '2GiB', '10GB', '1024', '1.5GiB', '100kB'])
      expect(SIZE_RE.test(ok)).toBe(true)
    for (const bad of ['2 GiB', 'GiB', '2gb', '-1']) expect(SIZE_RE.test(bad)).toBe(false)
    expect(percentError('20%')).toBeUndefined()
    expect(percentError('0%')).toContain('between 1% and 99%')
    expect(percentError('100%')).toContain('between 1% and 99%')
  })

  test('Incus booleans', () => {
    expect(['true', 'TRUE', '1', 'yes', 'on', true].every(incusTrue)).toBe(true)
    expect(['false', '0', 'no', false, ''].some(incusTrue)).toBe(false)
  })

  test('IPv4 helpers', () => {
    expect(parseIpv4('10.100.1.10')).toEqual([10, 100, 1, 10])
    expect(parseIpv4('10.100.1.256')).toBeUndefined()
    expect(parseIpv4('10.100.01.1')).toBeUndefined()
    expect(subnetOf('10.100.1.10')).toBe('10.100.1.0/24')
    expect(['10.0', '10.255', '172.16', '172.31', '192.168'].every(isPrivateBaseSubnet)).toBe(true)
    expect(['11.0', '172.15', '172.32', '192.169', '8.8', 'x'].some(isPrivateBaseSubnet)).toBe(false)
  })

  test('suggestions', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3)
    expect(closest('machnes', ['machines', 'profiles'])).toBe('machines')
    expect(closest('trust', ['trust_level', 'description'])).toBe('trust_level')
    expect(closest('zzzzzz', ['machines', 'profiles'])).toBeUndefined()
    expect(didYouMean('ip', ['ip', 'gpu'])).toBe('did you mean "ip"?')
  })
})
