/**
 * Round trip on every AnKLuMe corpus file, without a daemon: the Incus state
 * an apply would leave (planner's observedFrom), imported, must validate and
 * plan zero changes against that same state.
 */
import { readdirSync } from 'node:fs'
import { desired, diff } from '@anklume/planner'
import { observedFrom } from '@anklume/planner/testing'
import { type Infra, load, loadFromString } from '@anklume/schema'
import { CORPUS_DIR } from '@anklume/test-utils'
import { describe, expect, it } from 'vitest'
import { importFromObserved } from './convert.js'
import { renderImported } from './render.js'

const CORPUS = CORPUS_DIR
const files = ['anklume-ansible', 'anklume-poc'].flatMap((dir) =>
  readdirSync(`${CORPUS}${dir}`).map((f) => `${dir}/${f}`),
)

const zones = (infra: Infra) =>
  new Set(infra.domains.filter((d) => d.enabled).map((d) => d.subnet.split('.')[1])).size

describe('import round trip on the AnKLuMe corpus', () => {
  it('has the corpus', () => {
    expect(files.length).toBeGreaterThan(20)
  })

  it.each(files)('%s', async (file) => {
    const source = await load(`${CORPUS}${file}`)
    if (!source.ok) return // the two files whose bridge names are too long for Linux
    const observed = observedFrom(desired(source.infra, { level: 1 }))
    const imported = importFromObserved(observed, { level: 1 })
    expect(imported.errors).toEqual([])
    // Addressing mode gives every machine an address, so its zones always fit.
    const global = imported.infra.global as Record<string, unknown>
    expect(global.addressing !== undefined).toBe(
      source.infra.global.addressing !== undefined && zones(source.infra) > 1,
    )
    const loaded = loadFromString(renderImported(imported, file), 'imported.yml')
    expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([])
    if (!loaded.ok) return
    const plan = diff(desired(loaded.infra, { level: 1 }), observed, {
      projectName: loaded.infra.projectName,
    })
    expect(plan.actions).toEqual([])
    expect(imported.machines).toBe(
      source.infra.domains.filter((d) => d.enabled).flatMap((d) => d.machines).length,
    )
  })
})

describe('network_policies read back from the ACLs (isolation.network_acls), on the corpus', () => {
  it.each(files.flatMap((f) => [[f, true] as const, [f, false] as const]))(
    '%s, egress %s',
    async (file, egress) => {
      const source = await load(`${CORPUS}${file}`)
      if (!source.ok) return
      source.infra.global.isolation.networkAcls = true
      source.infra.global.isolation.egress = egress
      const want = desired(source.infra, { level: 1 })
      const observed = observedFrom(want)
      observed.acls = want.acls.map((a) => ({ ...a, config: { ...a.config } }))
      const imported = importFromObserved(observed, { level: 1 })
      expect(imported.errors).toEqual([])
      expect(imported.warnings.filter((w) => w.includes('not imported'))).toEqual([])
      const loaded = loadFromString(renderImported(imported, file), 'imported.yml')
      expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([])
      if (!loaded.ok) return
      // The same ACLs, rule for rule (as Incus filters them): the same flows, whatever the
      // policies' wording; none missing, none left over (prune).
      const again = desired(loaded.infra, { level: 1 })
      expect(diff(again, observed, { projectName: loaded.infra.projectName, prune: true }).actions).toEqual(
        [],
      )
      expect(again.acls.map((a) => a.name).sort()).toEqual(want.acls.map((a) => a.name).sort())
      // With egress allowed, a policy towards the host is not in the ACLs (the nftables table has it).
      const inAcls = source.infra.networkPolicies.filter(
        (p) => p.from !== 'host' && (!egress || p.to !== 'host'),
      )
      expect(Boolean(imported.infra.network_policies)).toBe(inAcls.length > 0)
    },
  )
})
