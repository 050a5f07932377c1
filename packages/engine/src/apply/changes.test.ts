import { describe, expect, it } from 'vitest'
import { applyChanges } from './changes.js'

describe('applyChanges', () => {
  it('sets, removes and keeps keys precisely', () => {
    const fresh = {
      config: { 'limits.cpu': '2', 'volatile.eth0.hwaddr': 'aa', 'user.x': '1' },
      devices: { eth0: { type: 'nic' }, old: { type: 'disk' } },
      profiles: ['default'],
      description: 'a',
      status: 'Running',
    }
    const out = applyChanges(fresh, [
      { field: 'config', key: 'limits.cpu', from: '2', to: '4' },
      { field: 'config', key: 'user.x', from: '1' },
      { field: 'devices', key: 'old', from: { type: 'disk' } },
      { field: 'devices', key: 'gpu', to: { type: 'gpu', gputype: 'physical' } },
      { field: 'profiles', from: ['default'], to: ['default', 'small'] },
      { field: 'description', from: 'a', to: 'b' },
    ])
    expect(out).toEqual({
      config: { 'limits.cpu': '4', 'volatile.eth0.hwaddr': 'aa' },
      devices: { eth0: { type: 'nic' }, gpu: { type: 'gpu', gputype: 'physical' } },
      profiles: ['default', 'small'],
      description: 'b',
      status: 'Running',
    })
    expect(fresh.config['limits.cpu']).toBe('2')
    expect(fresh.devices.old).toBeDefined()
  })
})
