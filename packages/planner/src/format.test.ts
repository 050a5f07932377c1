import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { observedFrom } from './converged.js'
import { desired } from './desired.js'
import { diff } from './diff.js'
import { formatPlan } from './format.js'

describe('formatPlan', () => {
  it('renders every kind of line and the summary', () => {
    const before = makeInfra([
      makeDomain('pro', 2, { 'pro-dev': { config: { 'limits.cpu': '2' } }, 'pro-old': { ephemeral: true } }),
      makeDomain('lab', 3, { 'lab-vm': { ephemeral: true }, 'lab-keep': {} }),
    ])
    const observed = observedFrom(desired(before, { level: 1 }))
    observed.instances.find((i) => i.name === 'lab-keep')!.status = 'Stopped'
    const after = makeInfra([
      makeDomain('pro', 2, {
        'pro-dev': {
          config: { 'limits.cpu': '4' },
          ip: '10.100.2.10',
          cloudInit: {
            userData: `#cloud-config\n${'x'.repeat(100)}`,
            vendorData: undefined,
            networkConfig: undefined,
          },
        },
      }),
      makeDomain('lab', 3, {
        'lab-vm': { ephemeral: true, type: 'vm' },
        'lab-keep': { osImage: 'images:debian/12' },
      }),
    ])
    const plan = diff(desired(after, { level: 1 }), observed, { projectName: 'lab', prune: true })
    plan.warnings.push('something to know')
    expect(formatPlan(plan)).toMatchInlineSnapshot(`
      "-/+ replace instance lab/lab-vm  type: "container" -> "virtual-machine"
      ~ update instance pro/pro-dev
            config cloud-init.user-data: (added)
              + #cloud-config
              + xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
            config limits.cpu: "2" -> "4"
            devices eth0 = {type: nic, network: net-pro, name: eth0, security.mac_filtering: true, security.ipv4_filtering: true, ipv4.address: 10.100.2.10}
      ↻ restart instance pro/pro-dev  (devices changed)
      > start instance lab/lab-keep
      - delete instance pro/pro-old  (orphan: labelled for this infra, no longer declared)
      ! skip rebuild instance lab/lab-keep: os_image changed (images:debian/13 -> images:debian/12): apply --rebuild to rebuild it
      warning: something to know

      Plan: 0 to create, 1 to update, 1 to replace, 1 to delete, 1 to start, 1 to restart, 0 to rebuild; 1 skipped."
    `)
    expect(formatPlan(plan, { color: true })).toContain('\u001b[35m-/+ replace instance lab/lab-vm\u001b[0m')
  })
})
