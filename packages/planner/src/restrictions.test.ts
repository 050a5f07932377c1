import { describe, expect, it } from 'vitest'
import { restrictedConfig } from './restrictions.js'

describe('restrictedConfig', () => {
  it('opens nothing beyond the bridge for plain containers on a custom volume', () => {
    expect(
      restrictedConfig({
        networks: ['net-a', 'net-a'],
        configs: [{ 'limits.cpu': '2' }],
        devices: [
          {
            data: { type: 'disk', pool: 'default', source: 'data', path: '/data' },
            root: { type: 'disk', pool: 'default', path: '/' },
          },
        ],
      }),
    ).toEqual({ restricted: 'true', 'restricted.networks.access': 'net-a' })
  })

  it('allows privilege, low-level keys and each device type in use', () => {
    expect(
      restrictedConfig({
        networks: ['net-a', 'net-b'],
        configs: [{ 'security.privileged': 'true', 'raw.lxc': 'x' }, { 'raw.qemu': '-x' }],
        devices: [
          {
            tty: { type: 'unix-char', source: '/dev/ttyUSB0' },
            usb: { type: 'usb', vendorid: '1234' },
            mac: { type: 'nic', nictype: 'macvlan', parent: 'eth0' },
            b: { type: 'disk', source: '/srv/b', path: '/b' },
            a: { type: 'disk', source: '/srv/a', path: '/a' },
          },
        ],
      }),
    ).toEqual({
      restricted: 'true',
      'restricted.networks.access': 'net-a,net-b',
      'restricted.containers.privilege': 'allow',
      'restricted.containers.lowlevel': 'allow',
      'restricted.virtual-machines.lowlevel': 'allow',
      'restricted.devices.unix-char': 'allow',
      'restricted.devices.usb': 'allow',
      'restricted.devices.nic': 'allow',
      'restricted.devices.disk': 'allow',
      'restricted.devices.disk.paths': '/srv/a,/srv/b',
    })
  })
})
