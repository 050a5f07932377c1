import { desired, emptyObserved, statusOf } from '@anklume/planner'
import { observedFrom } from '@anklume/planner/testing'
import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { formatTable } from '../helpers/shared.js'
import { statusTable } from './status.js'

const d = desired(
  makeInfra([
    makeDomain('pro', 2, { 'pro-dev': { ip: '10.100.2.10' }, 'pro-vm': { type: 'vm', ephemeral: true } }),
    makeDomain('empty', 3),
  ]),
  { level: 1 },
)

describe('status table', () => {
  it('shows missing objects, declared addresses and protection before apply', async () => {
    const lines = formatTable(await statusTable(statusOf(d, emptyObserved())))
    expect(lines).toEqual([
      'DOMAIN  INSTANCE                    TYPE  STATE    IPV4           PROTECTED  SNAPSHOTS',
      'pro     (missing: project, bridge)',
      'pro     pro-dev                     lxc   missing  (10.100.2.10)  yes        -',
      'pro     pro-vm                      vm    missing  -              no         -',
      'empty   (missing: project, bridge)',
    ])
  })

  it('marks protection drift on existing instances (declared IP in brackets until one is seen), and a domain without machines', async () => {
    const o = observedFrom(d)
    const dev = o.instances.find((i) => i.name === 'pro-dev')
    if (dev) dev.config['security.protection.delete'] = 'false'
    const lines = formatTable(await statusTable(statusOf(d, o)))
    expect(lines).toEqual([
      'DOMAIN  INSTANCE       TYPE  STATE    IPV4           PROTECTED   SNAPSHOTS',
      'pro     pro-dev        lxc   Running  (10.100.2.10)  no (drift)  0',
      'pro     pro-vm         vm    Running  -              no          0',
      'empty   (no machines)',
    ])
  })

  it('prints what Incus sent escaped: a status cannot clear the screen or add a row', async () => {
    const o = observedFrom(d)
    const dev = o.instances.find((i) => i.name === 'pro-dev')
    if (dev) dev.status = 'Running\u001b[2J\npro     fake-row'
    const lines = formatTable(await statusTable(statusOf(d, o)))
    expect(lines).toHaveLength(4)
    expect(lines[1]).toContain('Running\\u001b[2J\\npro     fake-row')
    expect(lines.join('\n')).not.toContain('\u001b')
  })
})
