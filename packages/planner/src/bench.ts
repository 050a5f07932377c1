/**
 * Synthetic inputs for the planner benchmark (tooling/bench): an infra of N
 * domains x M machines, and the observed state of a converged Incus holding
 * it, optionally with some drift and some orphans.
 */
import type { Infra, Machine } from '@anklume/schema'
import { makeDomain, makeInfra } from '@anklume/schema'
import { observedFrom } from './converged.js'
import type { DesiredState } from './desired-types.js'
import type { ObservedState } from './observed.js'

/** `domains` domains (`d0`, `d1`…, 250 per /16) of `machinesPerDomain` machines each, with a realistic mix of keys. */
export function syntheticInfra(domains: number, machinesPerDomain: number): Infra {
  const list = []
  for (let i = 0; i < domains; i++) {
    const base = `10.${100 + Math.floor(i / 250)}`
    const sid = i % 250
    const machines: Record<string, Partial<Machine>> = {}
    for (let j = 0; j < machinesPerDomain; j++) {
      machines[`d${i}-m${j}`] = {
        ip: j < 90 ? `${base}.${sid}.${j + 1}` : undefined,
        config: j % 3 === 0 ? { 'limits.cpu': '2', 'limits.memory': '1GiB' } : {},
        profiles: j % 2 === 0 ? ['default', 'tools'] : ['default'],
        storageVolumes:
          j % 5 === 0 ? [{ name: `vol-${j}`, pool: 'default', size: '1GiB', path: '/srv' }] : [],
        snapshotsSchedule: '0 2 * * *',
        snapshotsExpiry: '7d',
        bootAutostart: true,
        ephemeral: j % 4 === 0,
      }
    }
    list.push(
      makeDomain(
        `d${i}`,
        sid,
        machines,
        {
          profiles: [
            { name: 'tools', description: 'tools', config: { 'limits.processes': '500' }, devices: {} },
          ],
          limits: { instances: String(machinesPerDomain + 5) },
        },
        base,
      ),
    )
  }
  return makeInfra(list, {}, 'bench')
}

export interface SyntheticObservedOptions {
  /** Change one config key on every n-th instance (0 = none). */
  driftEvery?: number
  /** Add this many labelled, undeclared instances (orphans) to the first project. */
  orphans?: number
}

/** What a converged Incus returns for `desired`, plus the requested drift and orphans. */
export function syntheticObserved(desired: DesiredState, opts: SyntheticObservedOptions = {}): ObservedState {
  const o = observedFrom(desired)
  const every = opts.driftEvery ?? 0
  if (every > 0) {
    o.instances.forEach((i, n) => {
      if (n % every === 0) i.config['limits.processes'] = '100'
    })
  }
  const first = desired.projects[0]
  for (let k = 0; k < (opts.orphans ?? 0) && first; k++) {
    o.instances.push({
      name: `orphan-${k}`,
      project: first.name,
      type: 'container',
      status: 'Running',
      config: {
        'user.anklume.managed': 'true',
        'user.anklume.project': desired.projectName,
        'user.anklume.domain': first.domain,
        'security.protection.delete': 'false',
      },
      devices: {},
      profiles: ['default'],
    })
  }
  return o
}
