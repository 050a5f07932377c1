import { describe, expect, it } from 'vitest'
import { dhcpRange, domainNet, gatewayOf } from './layout.js'
import {
  bridgeDomain,
  bridgeName,
  instanceName,
  levelPrefix,
  parsePrefixed,
  prefix,
  projectName,
  stripPrefix,
} from './naming.js'

const off = { nestingPrefix: false, level: 2 }
const on = { nestingPrefix: true, level: 2 }

describe('names and the nesting prefix', () => {
  it('prefixes project, bridge and instance names only when nesting_prefix is on', () => {
    expect([projectName('pro', off), bridgeName('pro', off), instanceName('pro-dev', off)]).toEqual([
      'pro',
      'net-pro',
      'pro-dev',
    ])
    expect([projectName('pro', on), bridgeName('pro', on), instanceName('pro-dev', on)]).toEqual([
      '002-pro',
      '002-net-pro',
      '002-pro-dev',
    ])
    expect(prefix(off)).toBe('')
    expect(levelPrefix(12)).toBe('012-')
  })

  it('parses a prefixed name back into its level and the bare name', () => {
    expect(parsePrefixed('003-pro-dev')).toEqual({ prefix: '003-', level: 3, name: 'pro-dev' })
    expect(parsePrefixed('pro-dev')).toEqual({ prefix: '', level: undefined, name: 'pro-dev' })
    expect(parsePrefixed('03-pro')).toEqual({ prefix: '', level: undefined, name: '03-pro' })
    expect(stripPrefix('001-box')).toBe('box')
    expect(stripPrefix('box')).toBeUndefined()
  })

  it('finds the domain of a bridge named by bridgeName, and nothing else', () => {
    expect(bridgeDomain(bridgeName('pro', on), on)).toBe('pro')
    expect(bridgeDomain(bridgeName('pro', off), off)).toBe('pro')
    expect(bridgeDomain('net-pro', on)).toBeUndefined()
    expect(bridgeDomain('incusbr0', off)).toBeUndefined()
    expect(bridgeDomain('net-', off)).toBeUndefined()
  })
})

describe('address layout of a domain /24', () => {
  it('puts the gateway at .254 and the DHCP range at .100-.249', () => {
    expect(domainNet('10.100', 3)).toEqual({
      prefix: '10.100.3',
      subnet: '10.100.3.0/24',
      gateway: '10.100.3.254',
      subnetId: 3,
    })
    expect(gatewayOf('10.1.2')).toBe('10.1.2.254')
    expect(dhcpRange('10.1.2')).toBe('10.1.2.100-10.1.2.249')
  })
})
