import { loadFromString } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { planInfra } from './apply.js'
import { observedFingerprint } from './saved-plan.js'

const infra = (() => {
  const r = loadFromString(
    `project_name: demo
global: { base_subnet: "10.140" }
domains:
  web:
    subnet_id: 1
    machines:
      web-1: { ip: 10.140.1.10 }
`,
    'infra.yml',
  )
  if (!r.ok) throw new Error(JSON.stringify(r.issues))
  return r.infra
})()

const member = (name: string, status = 'Online', groups = ['default']) => ({
  name,
  status,
  online: status === 'Online',
  groups,
})

/** A plan made offline, then given the observed state under test. */
async function plannedWith(observed: Partial<Awaited<ReturnType<typeof planInfra>>['observed']>) {
  const planned = await planInfra(undefined, infra, { level: 1 })
  return { ...planned, observed: { ...planned.observed, ...observed } }
}

describe('observedFingerprint', () => {
  it('is the same for the same state, whatever the order Incus lists it in', async () => {
    const a = await plannedWith({ cluster: { members: [member('m1'), member('m2')] } })
    const b = await plannedWith({ cluster: { members: [member('m2'), member('m1')] } })
    expect(observedFingerprint(a)).toBe(observedFingerprint(b))
  })

  it('changes when a cluster member goes down or comes back, or changes groups', async () => {
    const up = observedFingerprint(await plannedWith({ cluster: { members: [member('m1'), member('m2')] } }))
    const down = observedFingerprint(
      await plannedWith({ cluster: { members: [member('m1'), member('m2', 'Offline')] } }),
    )
    const regrouped = observedFingerprint(
      await plannedWith({ cluster: { members: [member('m1'), member('m2', 'Online', ['default', 'gpu'])] } }),
    )
    expect(new Set([up, down, regrouped]).size).toBe(3)
  })

  it('ignores another infra’s project, but not a change in one of its own', async () => {
    const base = observedFingerprint(await plannedWith({}))
    const other = observedFingerprint(
      await plannedWith({ projects: [{ name: 'elsewhere', config: { 'user.anklume.project': 'other' } }] }),
    )
    const ours = observedFingerprint(
      await plannedWith({ projects: [{ name: 'web', config: { 'features.profiles': 'true' } }] }),
    )
    expect(other).toBe(base)
    expect(ours).not.toBe(base)
  })
})
