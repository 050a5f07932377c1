/** Every real AnKLuMe infra file of the corpus produces a plan (loaded by @anklume/schema). */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadFromString } from '@anklume/schema'
import { CORPUS_DIR } from '@anklume/test-utils'
import { describe, expect, it } from 'vitest'
import { observedFrom } from './converged.js'
import { desired } from './desired.js'
import { diff } from './diff.js'
import { formatPlan } from './format.js'
import { emptyObserved } from './observed.js'

const root = CORPUS_DIR
const files = ['anklume-ansible', 'anklume-poc'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => join(dir, f)),
)

/** Refused by the loader on purpose (their bridge name exceeds 15 characters), so they have no plan. */
const INVALID: Record<string, string> = {
  'anklume-ansible/sys-print.yml': 'BRIDGE_NAME_TOO_LONG',
  'anklume-poc/labs-05-security-audit.yml': 'BRIDGE_NAME_TOO_LONG',
}

describe('corpus', () => {
  it('has the corpus files', () => {
    expect(files.length).toBeGreaterThanOrEqual(25)
  })

  it.each(files)('%s plans from scratch, and converges to zero changes', (file) => {
    const result = loadFromString(readFileSync(join(root, file), 'utf8'), file)
    const errors = result.issues.filter((i) => i.severity === 'error').map((i) => i.code)
    const invalid = INVALID[file]
    expect(errors).toEqual(invalid ? [invalid] : [])
    if (!result.ok) return
    const d = desired(result.infra, { level: 1, hostResources: { cpuCount: 8, memoryBytes: 32 * 1024 ** 3 } })
    const cold = diff(d, emptyObserved(), { projectName: result.infra.projectName })
    expect(cold.summary.create).toBe(
      d.networks.length +
        d.projects.length +
        d.volumes.length +
        d.instances.length +
        d.profiles.length -
        d.projects.length,
    )
    expect(formatPlan(cold)).toMatch(/^Plan: \d+ to create/m)
    const again = diff(d, observedFrom(d), { projectName: result.infra.projectName, prune: true })
    expect(again.actions).toEqual([])
  })
})
