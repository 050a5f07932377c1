/** What an interrupted apply leaves, as the planner sees it: a context mark, a bare host interface. */
import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { observedFrom } from './converged.js'
import { desired } from './desired.js'
import { diff } from './diff.js'
import { LABEL_CONTEXT } from './labels.js'

const opts = { projectName: 'lab' }
const infra = makeInfra([makeDomain('pro', 2, { box: { type: 'lxc', osImage: 'images:debian/13' } })])
const want = () => desired(infra, { level: 1 })

function observedWith(status: string, extra: Record<string, string> = {}) {
  const o = observedFrom(want(), { status })
  for (const i of o.instances) Object.assign(i.config, extra)
  return o
}

describe('the context mark', () => {
  it('plans a start that pushes the files of a running container marked pending', () => {
    const p = diff(want(), observedWith('Running', { [LABEL_CONTEXT]: 'pending' }), opts)
    expect(p.actions.map((a) => [a.id, a.reason])).toEqual([
      ['instance:pro/box:start', 'context files not pushed yet (user.anklume.context=pending): push them'],
    ])
  })

  it('plans one start for a stopped marked container, and is never a config change to remove', () => {
    const p = diff(want(), observedWith('Stopped', { [LABEL_CONTEXT]: 'pending' }), opts)
    expect(p.actions.map((a) => [a.op, a.reason])).toEqual([['start', 'declared, stopped']])
  })

  it('plans nothing for a converged container without the mark', () => {
    expect(diff(want(), observedWith('Running'), opts).actions).toEqual([])
  })
})

describe('a host interface with a bridge name', () => {
  it('is skipped with the command that removes it', () => {
    const o = observedWith('Running')
    for (const n of o.networks) n.managed = false
    const p = diff(want(), o, opts)
    const bridge = want().networks[0]?.name
    expect(p.skipped.find((s) => s.kind === 'network')?.reason).toContain(`sudo ip link delete ${bridge}`)
  })
})
