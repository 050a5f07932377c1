import type { Action } from '@anklume/planner'
import { describe, expect, it } from 'vitest'
import { itemLine } from './commands/flush.js'
import { tableTime } from './helpers/shared.js'
import { failureLine } from './progress.js'

const create = { kind: 'instance', op: 'create', project: 'work', name: 'work-dev' } as unknown as Action

describe('a failed action is said once', () => {
  it('keeps the engine’s label prefix and never adds a second one', () => {
    const err = new Error('create instance work/work-dev: Failed creating instance record')
    expect(failureLine(create, err)).toBe('create instance work/work-dev: Failed creating instance record')
    expect(failureLine(create, new Error('no such image'))).toBe(
      'create instance work/work-dev: no such image',
    )
    expect(failureLine(create, 'text')).toBe('create instance work/work-dev: text')
  })
})

describe('flush lines', () => {
  const item = { kind: 'instance', project: 'p', name: 'x', status: 'would-delete' } as const
  it('say "(would delete)" only in a dry run, "delete" before a real flush', () => {
    expect(itemLine(item, 'dry-run')).toBe('- (would delete) instance p/x')
    expect(itemLine(item, 'flush')).toBe('- delete instance p/x')
    expect(itemLine({ ...item, status: 'deleted' }, 'flush')).toBe('- deleted instance p/x')
    expect(
      itemLine(
        { kind: 'inventory', name: 'group_vars/a.yml', status: 'kept', reason: 'managed block to remove' },
        'dry-run',
      ),
    ).toBe('= kept inventory group_vars/a.yml: managed block to remove')
  })
})

describe('tableTime', () => {
  it('prints Incus’s RFC 3339 nanosecond times as UTC seconds', () => {
    expect(tableTime('2026-12-02T12:30:01.123456789Z')).toBe('2026-12-02 12:30:01')
    expect(tableTime('2026-12-02T14:30:01.5+02:00')).toBe('2026-12-02 12:30:01')
    expect(tableTime(undefined)).toBe('-')
    expect(tableTime('soon')).toBe('soon')
  })
})
