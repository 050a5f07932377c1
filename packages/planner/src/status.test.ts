import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { observedFrom } from './converged.js'
import { desired } from './desired.js'
import { emptyObserved } from './observed.js'
import { missingParts, protectionDrift, statusOf } from './status.js'

const d = desired(
  makeInfra([makeDomain('pro', 2, { 'pro-dev': { ip: '10.100.2.10' }, 'pro-tmp': { ephemeral: true } })]),
  { level: 1 },
)

describe('statusOf', () => {
  it('reports missing objects when nothing exists', () => {
    const [pro] = statusOf(d, emptyObserved())
    expect(pro).toMatchObject({
      domain: 'pro',
      project: 'pro',
      bridge: 'net-pro',
      projectExists: false,
      bridgeExists: false,
    })
    expect(pro?.instances.map((i) => [i.instance, i.state, i.exists, i.declaredIp])).toEqual([
      ['pro-dev', 'missing', false, '10.100.2.10'],
      ['pro-tmp', 'missing', false, undefined],
    ])
  })

  it('reads state, addresses, protection and snapshots from the observed instances', () => {
    const o = observedFrom(d)
    const dev = o.instances[0]!
    dev.state = {
      network: {
        lo: { addresses: [{ family: 'inet', address: '127.0.0.1', scope: 'local' }] },
        eth0: {
          addresses: [
            { family: 'inet', address: '10.100.2.10', scope: 'global' },
            { family: 'inet6', address: 'fe80::1', scope: 'link' },
          ],
        },
      },
    }
    dev.snapshots = [{}, {}]
    o.instances[1]!.status = 'Stopped'
    const [pro] = statusOf(d, o)
    expect(pro?.projectExists && pro.bridgeExists).toBe(true)
    expect(pro?.instances.map((i) => [i.instance, i.state, i.ipv4, i.protected, i.snapshots])).toEqual([
      ['pro-dev', 'Running', ['10.100.2.10'], { declared: true, actual: true }, 2],
      ['pro-tmp', 'Stopped', [], { declared: false, actual: false }, undefined],
    ])
  })

  it('says what a domain lacks and which instances drifted from their declared protection', () => {
    const [none] = statusOf(d, emptyObserved())
    expect(none && missingParts(none)).toEqual(['project', 'bridge'])
    expect(none?.instances.map(protectionDrift)).toEqual([false, false])
    const o = observedFrom(d)
    o.instances[0]!.config['security.protection.delete'] = 'false'
    const [pro] = statusOf(d, o)
    expect(pro && missingParts(pro)).toEqual([])
    expect(pro?.instances.map(protectionDrift)).toEqual([true, false])
  })
})
