import type { Machine, ResourcePolicy } from '@anklume/schema'
import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { allocateResources } from './resources.js'
import { parseSize } from './units.js'

const GiB = 1024 ** 3
const host = { cpuCount: 10, memoryBytes: 20 * GiB }

function policy(over: Partial<ResourcePolicy> = {}): ResourcePolicy {
  return {
    hostReserve: { cpu: '20%', memory: '20%' },
    mode: 'proportional',
    cpuMode: 'allowance',
    memoryEnforce: 'soft',
    overcommit: false,
    ...over,
  }
}

function alloc(machines: Record<string, Partial<Machine>>, over: Partial<ResourcePolicy> = {}, h = host) {
  const infra = makeInfra([makeDomain('d', 1, machines)], { resourcePolicy: policy(over) })
  const out = allocateResources(infra, h)
  return { ...out, byName: Object.fromEntries(out.rows.map((r) => [r.machine, r.config])) }
}

describe('allocateResources', () => {
  it('splits by weight in proportional mode (allowance, soft memory)', () => {
    const { byName, errors, warnings } = alloc({ a: { weight: 3 }, b: { weight: 1 } })
    // 8 CPUs and 16 GiB available: a gets 3/4, b gets 1/4.
    expect(byName).toEqual({
      a: { 'limits.cpu.allowance': '60%', 'limits.memory': '12288MiB', 'limits.memory.enforce': 'soft' },
      b: { 'limits.cpu.allowance': '20%', 'limits.memory': '4096MiB', 'limits.memory.enforce': 'soft' },
    })
    expect([errors, warnings]).toEqual([[], []])
  })

  it('splits equally in equal mode, whatever the weights', () => {
    const { byName } = alloc({ a: { weight: 3 }, b: { weight: 1 } }, { mode: 'equal', memoryEnforce: 'hard' })
    expect(byName.a).toEqual({ 'limits.cpu.allowance': '40%', 'limits.memory': '8192MiB' })
    expect(byName.b).toEqual(byName.a)
  })

  it('writes CPU counts (at least 1) in count mode', () => {
    const { byName } = alloc({ a: {}, b: {}, c: {} }, { cpuMode: 'count' })
    expect(Object.values(byName).map((c) => c['limits.cpu'])).toEqual(['2', '2', '2'])
  })

  it('always uses count and hard enforcement for VMs', () => {
    const { byName } = alloc({ vm: { type: 'vm' }, ct: {} })
    expect(byName.vm).toEqual({ 'limits.cpu': '4', 'limits.memory': '8192MiB' })
    expect(byName.ct).toEqual({
      'limits.cpu.allowance': '40%',
      'limits.memory': '8192MiB',
      'limits.memory.enforce': 'soft',
    })
  })

  it('keeps explicit limits, excludes them from the split and counts them', () => {
    const { rows, byName } = alloc({
      fixed: { config: { 'limits.cpu': '2', 'limits.memory': '4GiB' } },
      other: {},
    })
    expect(byName.fixed).toEqual({})
    expect(rows[0]).toMatchObject({
      cpu: { key: 'limits.cpu', value: '2', cores: 2, source: 'explicit' },
      memory: { value: '4GiB', bytes: 4 * GiB, source: 'explicit' },
    })
    // 8 - 2 = 6 CPUs (60% of 10), 16 - 4 = 12 GiB left for `other`.
    expect(byName.other).toEqual({
      'limits.cpu.allowance': '60%',
      'limits.memory': '12288MiB',
      'limits.memory.enforce': 'soft',
    })
  })

  it('reads absolute reserves', () => {
    const { byName } = alloc({ a: {} }, { hostReserve: { cpu: '2', memory: '4GiB' } })
    expect(byName.a).toMatchObject({ 'limits.cpu.allowance': '80%', 'limits.memory': '16384MiB' })
  })

  it('is an error to overcommit, and a warning with overcommit: true', () => {
    const machines = { big: { config: { 'limits.cpu': '12', 'limits.memory': '30GiB' } }, small: {} }
    const strict = alloc(machines)
    expect(strict.errors).toEqual([
      expect.stringMatching(
        /^resource_policy: machines get 12\.1 CPUs but only 8 are available \(host 10 minus reserve 2\)/,
      ),
      expect.stringMatching(
        /^resource_policy: machines get 30721MiB of memory but only 16384MiB is available/,
      ),
    ])
    const loose = alloc(machines, { overcommit: true })
    expect(loose.errors).toEqual([])
    expect(loose.warnings).toHaveLength(2)
  })

  it('reports an unreadable reserve', () => {
    expect(alloc({ a: {} }, { hostReserve: { cpu: 'lots', memory: '20%' } }).errors[0]).toContain(
      'host_reserve.cpu',
    )
  })

  it('reads Incus sizes in binary and decimal units', () => {
    expect([
      parseSize('512MiB'),
      parseSize('2GB'),
      parseSize('1073741824'),
      parseSize('4G'),
      parseSize('x'),
    ]).toEqual([512 * 1024 ** 2, 2e9, GiB, 4 * GiB, undefined])
  })
})
