/**
 * What a `flush` (everything) or a `destroy <domain>` covers, from the infra
 * file when there is one: its `project_name` labels, its isolation table,
 * and the machines of the domain (their generated inventory files go too).
 * Without an infra file, every anklume-managed object is in scope.
 */
import { AnklumeError } from '@anklume/errors'
import type { Infra } from '@anklume/schema'
import { describePlan } from './execute.js'
import type { FlushPlan, FlushScope } from './plan.js'

export interface FlushTarget {
  scope: FlushScope
  /** The infra's isolation table (a whole flush deletes it). */
  nftTable: string | undefined
  /** The machines the infra declares in the domain (undefined for a whole flush). */
  machines: string[] | undefined
  /** The infra file declares the domain. */
  declared: boolean
}

export function flushTarget(infra: Infra | undefined, domain?: string): FlushTarget {
  const declaredDomain = domain === undefined ? undefined : infra?.domains.find((d) => d.name === domain)
  return {
    scope: {
      ...(infra ? { projectName: infra.projectName } : {}),
      ...(domain !== undefined ? { domain } : {}),
    },
    nftTable: infra?.global.isolation.table,
    machines: domain === undefined ? undefined : (declaredDomain?.machines.map((m) => m.name) ?? []),
    declared: declaredDomain !== undefined,
  }
}

/** How the operation is named in questions and messages: `flush` or `destroy domain <d>`. */
export function flushLabel(scope: FlushScope): string {
  return scope.domain !== undefined ? `destroy domain ${scope.domain}` : 'flush'
}

/**
 * `destroy <domain>` of a domain the infra file does not declare and no
 * object is labelled with is a mistyped name, not "nothing to do":
 * ANKLUME_TARGET_NOT_FOUND.
 */
export function checkDomainFound(target: FlushTarget, plan: FlushPlan): void {
  const { domain, projectName } = target.scope
  if (domain === undefined || target.declared || describePlan(plan).length > 0) return
  throw new AnklumeError(
    'ANKLUME_TARGET_NOT_FOUND',
    `no anklume object is labelled with domain "${domain}"${projectName !== undefined ? ` (project_name ${projectName})` : ''}`,
    'check the name with `anklume status`; domains are found by their user.anklume.domain label',
  )
}
