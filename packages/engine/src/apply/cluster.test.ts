import { isAnklumeError } from '@anklume/errors'
import { emptyObserved, type ObservedInstance, type ObservedState } from '@anklume/planner'
import { makeDomain, makeInfra, makeMachine } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { checkPlacements, clusterIsolation, resolvePool } from './cluster.js'
import { normaliseInstance } from './observe.js'

const clustered = (): ObservedState => ({
  ...emptyObserved(),
  cluster: {
    members: [
      { name: 'm1', online: true, status: 'Online', groups: ['default'] },
      { name: 'm2', online: true, status: 'Online', groups: ['default', 'gpu'] },
    ],
  },
})

describe('an offline member', () => {
  it('lists its instances with null config and devices: read as empty and unreachable', () => {
    const raw = {
      name: 'x',
      project: 'p',
      type: 'container',
      status: 'Error',
      location: 'm3',
      config: null,
      devices: null,
      profiles: null,
      state: null,
      snapshots: null,
    } as unknown as ObservedInstance
    expect(normaliseInstance(raw)).toMatchObject({ config: {}, devices: {}, profiles: [], unreachable: true })
    const fine = { ...raw, config: {}, devices: {}, profiles: [] } as ObservedInstance
    expect(normaliseInstance(fine)).toBe(fine)
  })
})

describe('placements', () => {
  it('must name a member or a group of the cluster, with the file position', () => {
    const infra = makeInfra([
      makeDomain('a', 1, { 'a-1': { placement: 'm9', pos: { file: 'infra.yml', line: 7, col: 3 } } }),
      makeDomain('b', 2, {}, { placement: '@gpu' }),
    ])
    expect(() => checkPlacements(infra, clustered())).toThrow(
      /infra\.yml:7: domains\.a\.machines\.a-1\.placement: "m9" is not a member of this cluster \(members: m1, m2\)/,
    )
    infra.domains[0] = makeDomain('a', 1, { 'a-1': { placement: 'm2' } })
    expect(() => checkPlacements(infra, clustered())).not.toThrow()
    // A single host ignores them.
    infra.domains[0] = makeDomain('a', 1, { 'a-1': { placement: 'm9' } })
    expect(() => checkPlacements(infra, emptyObserved())).not.toThrow()
  })

  it('a cluster isolates with network ACLs', () => {
    const infra = makeInfra([makeDomain('a', 1)])
    expect(clusterIsolation(infra, clustered()).global.isolation.networkAcls).toBe(true)
    expect(clusterIsolation(infra, emptyObserved())).toBe(infra)
  })
})

describe('the storage pool', () => {
  const pools = (...names: string[]) => names.map((name) => ({ name, driver: 'dir' }))

  it('is the declared one, or `default`, or the default profile root pool, or the only pool', () => {
    const infra = makeInfra([makeDomain('a', 1)])
    expect(resolvePool(infra, emptyObserved())).toBe('default') // pools not listed: nothing missing
    expect(resolvePool(infra, { ...emptyObserved(), pools: pools('default', 'local') })).toBe('default')
    expect(resolvePool(infra, { ...emptyObserved(), pools: pools('local') })).toBe('local')
    const o = { ...emptyObserved(), pools: pools('fast', 'slow') }
    o.profiles = [
      {
        name: 'default',
        project: 'default',
        config: {},
        devices: { root: { type: 'disk', path: '/', pool: 'slow' } },
      },
    ]
    expect(resolvePool(infra, o)).toBe('slow')
  })

  it('missing: a clear error listing the pools', () => {
    const declared = makeInfra([makeDomain('a', 1)], { storagePool: 'ssd', storagePoolDeclared: true })
    let err: unknown
    try {
      resolvePool(declared, { ...emptyObserved(), pools: pools('local', 'slow') })
    } catch (e) {
      err = e
    }
    expect(isAnklumeError(err, 'ANKLUME_STORAGE_POOL_MISSING')).toBe(true)
    expect((err as Error).message).toBe('global.storage_pool "ssd" is not on this Incus (pools: local, slow)')
    const vol = makeInfra([
      makeDomain('a', 1, {
        'a-1': {
          ...makeMachine('a-1', 'a'),
          storageVolumes: [{ name: 'd', pool: 'nvme', size: undefined, path: '/d' }],
        },
      }),
    ])
    expect(() => resolvePool(vol, { ...emptyObserved(), pools: pools('default') })).toThrow(
      /storage pool "nvme" of volume d \(machine a-1\) is not on this Incus \(pools: default\)/,
    )
  })
})
