import { describe, expect, it } from 'vitest'
import { defaultSnapshotName, expiryOf } from './names.js'
import { isSelf } from './snapshots.js'

describe('snapshot names', () => {
  it('snap-YYYYMMDD-HHMMSS in UTC, zero-padded', () => {
    expect(defaultSnapshotName(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('snap-20260102-030405')
    // 23:59:59 UTC stays on that day whatever the local time zone.
    expect(defaultSnapshotName(new Date('2026-12-31T23:59:59Z'))).toBe('snap-20261231-235959')
  })

  it('the zero time means no expiry', () => {
    expect(expiryOf('0001-01-01T00:00:00Z')).toBeUndefined()
    expect(expiryOf(undefined)).toBeUndefined()
    expect(expiryOf('2026-12-01T00:00:00Z')).toBe('2026-12-01T00:00:00Z')
  })

  it('isSelf matches the hostname, with or without the nesting prefix', () => {
    expect(isSelf({ name: 'admin', project: 'a' }, 'admin')).toBe(true)
    expect(isSelf({ name: '001-admin', project: 'a' }, 'admin')).toBe(true)
    expect(isSelf({ name: 'admin2', project: 'a' }, 'admin')).toBe(false)
  })
})
