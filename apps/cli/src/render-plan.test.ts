import type { Action, Plan } from '@anklume/planner'
import { describe, expect, it } from 'vitest'
import { renderPlan } from './render-plan.js'

const summary = {
  create: 0,
  update: 0,
  replace: 0,
  delete: 0,
  start: 0,
  restart: 0,
  rebuild: 0,
  move: 0,
  auxiliary: 0,
  isolation: 0,
}
const empty: Plan = { actions: [], skipped: [], warnings: [], summary }
const base = { dependsOn: [], reason: 'test', changes: [] }
const netCreate: Action = {
  ...base,
  id: 'network:net-a:create',
  op: 'create',
  kind: 'network',
  name: 'net-a',
  desired: { name: 'net-a', domain: 'a', description: '', config: {} },
}
const labels = { 'user.anklume.managed': 'true' }
const aclCreate: Action = {
  ...base,
  id: 'acl:acl-net-a:create',
  op: 'create',
  kind: 'acl',
  name: 'acl-net-a',
  desired: { name: 'acl-net-a', description: '', config: labels, ingress: [], egress: [] },
}
const zoneUpdate: Action = {
  ...base,
  id: 'zone:a.lab:update',
  op: 'update',
  kind: 'zone',
  name: 'a.lab',
  desired: { name: 'a.lab', domain: 'a', description: '', config: labels },
}
const zoneDelete: Action = { ...base, id: 'zone:a.lab:delete', op: 'delete', kind: 'zone', name: 'a.lab' }

describe('renderPlan', () => {
  it('says there is nothing to do only when no action is pending', async () => {
    expect(await renderPlan(empty, false)).toBe('No changes. Incus matches the infra file.')
    const plan = { ...empty, actions: [zoneDelete], summary: { ...summary, auxiliary: 1 } }
    expect(await renderPlan(plan, false)).toBe(
      '- delete network-zone a.lab\n\nPlan: 1 network ACL/zone change.',
    )
  })

  it('lists ACL/zone changes after the other actions, and notes them in the summary', async () => {
    const plan: Plan = {
      ...empty,
      actions: [aclCreate, zoneUpdate, netCreate],
      summary: { ...summary, create: 1, auxiliary: 2 },
    }
    expect((await renderPlan(plan, false)).split('\n')).toEqual([
      '+ create network net-a',
      '+ create network-acl acl-net-a',
      '~ update network-zone a.lab',
      '',
      'Plan: 1 to create, 0 to update, 0 to replace, 0 to delete, 0 to start, 0 to restart, 0 to rebuild. Plus 2 network ACL/zone changes.',
    ])
  })
})
