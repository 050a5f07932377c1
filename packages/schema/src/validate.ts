/** One validation pass over combined sources: zod checks, cross-field rules, normalisation. */
import { planAddresses } from './addressing.js'
import type { Combined } from './combine.js'
import { IssueSink, sortIssues } from './issues.js'
import type { NamingOptions } from './naming.js'
import { namingLevel } from './nesting.js'
import { normalise } from './normalise.js'
import { Infra as InfraSchema } from './raw-infra.js'
import { checkDomains } from './rules-domains.js'
import { checkGlobal } from './rules-global.js'
import { checkHostAccess } from './rules-host-access.js'
import { checkMachines } from './rules-machines.js'
import { checkPolicies } from './rules-policies.js'
import type { LoadContext, LoadResult } from './types.js'
import { buildView, isObj } from './view.js'
import { checkWithZod } from './zod-issues.js'

/** The schema_version this anklume understands. */
export const SCHEMA_VERSION = 1

export function validateCombined(c: Combined, ctx: LoadContext = {}): LoadResult {
  const sink = new IssueSink(c.locator)
  sink.issues.push(...c.issues)
  const done = (): LoadResult => ({
    ok: false,
    infra: undefined,
    issues: sortIssues(sink.issues, c.locator.files()),
  })
  if (c.fatal) return done()

  const version = isObj(c.data) ? c.data.schema_version : undefined
  if (typeof version === 'number' && Number.isInteger(version) && version > SCHEMA_VERSION) {
    sink.error(
      'SCHEMA_VERSION_UNSUPPORTED',
      ['schema_version'],
      `schema_version ${version} is newer than this anklume understands (${SCHEMA_VERSION})`,
      'upgrade anklume to read this file',
    )
    return done()
  }

  const raw = checkWithZod(InfraSchema, c.data, sink)
  const view = buildView(c.data)
  const naming: NamingOptions = { nestingPrefix: view.nestingPrefix, level: namingLevel(ctx) }
  const plan = planAddresses(view, sink)
  checkDomains(view, naming, sink)
  checkMachines(view, plan, naming, ctx, sink)
  checkHostAccess(view, sink)
  checkPolicies(view, plan, sink)
  checkGlobal(view, plan, sink)

  if (sink.errorCount > 0 || raw === undefined) return done()
  const infra = normalise(raw, view, plan, naming, c.locator)
  return { ok: true, infra, issues: sortIssues(sink.issues, c.locator.files()) }
}
