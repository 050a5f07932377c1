import type { Plan } from '@anklume/planner'
import { describe, expect, it } from 'vitest'
import { hasChanges, renderPlan } from './render-plan.js'

const summary = { create: 0, update: 0, replace: 0, delete: 0, start: 0, restart: 0, rebuild: 0 }
const empty: Plan = { actions: [], skipped: [], warnings: [], summary }
const oneCreate: Plan = {
  ...empty,
  actions: [
    {
      id: 'network:net-a:create',
      op: 'create',
      kind: 'network',
      name: 'net-a',
      dependsOn: [],
      reason: 'declared, not in Incus',
      changes: [],
      desired: { name: 'net-a', domain: 'a', description: '', config: {} },
    },
  ],
  summary: { ...summary, create: 1 },
}

describe('renderPlan', () => {
  it('says there is nothing to do only when neither actions nor ACL/zone changes are pending', async () => {
    expect(hasChanges(empty, [])).toBe(false)
    expect(await renderPlan(empty, [], false)).toBe('No changes. Incus matches the infra file.')
    expect(hasChanges(empty, [{ op: 'delete', kind: 'zone', name: 'a.lab' }])).toBe(true)
    expect(await renderPlan(empty, [{ op: 'delete', kind: 'zone', name: 'a.lab' }], false)).toBe(
      '- delete network-zone a.lab\n\nPlan: 1 network ACL/zone change.',
    )
  })

  it('lists ACL/zone changes before the summary of the plan actions', async () => {
    const text = await renderPlan(
      oneCreate,
      [
        { op: 'create', kind: 'acl', name: 'acl-net-a' },
        { op: 'update', kind: 'zone', name: 'a.lab' },
      ],
      false,
    )
    expect(text.split('\n')).toEqual([
      '+ create network net-a',
      '+ create network-acl acl-net-a',
      '~ update network-zone a.lab',
      '',
      'Plan: 1 to create, 0 to update, 0 to replace, 0 to delete, 0 to start, 0 to restart, 0 to rebuild. Plus 2 network ACL/zone changes.',
    ])
  })
})
