import type { AuxChange } from '@anklume/engine'
import type { Plan } from '@anklume/planner'

/** True when apply would change anything: plan actions or network ACL / zone changes. */
export function hasChanges(plan: Plan, auxiliary: readonly AuxChange[]): boolean {
  return plan.actions.length > 0 || auxiliary.length > 0
}

/**
 * The plan as text: the planner's terraform-like lines, with the network ACL
 * and zone changes apply makes around them listed before the summary.
 */
export async function renderPlan(
  plan: Plan,
  auxiliary: readonly AuxChange[],
  color: boolean,
): Promise<string> {
  const { formatPlan } = await import('@anklume/planner')
  const { formatAuxChange } = await import('@anklume/engine')
  const text = formatPlan(plan, { color }).trimEnd()
  if (auxiliary.length === 0) return text
  const aux = auxiliary.map(formatAuxChange)
  const note = `${auxiliary.length} network ACL/zone change${auxiliary.length > 1 ? 's' : ''}.`
  if (plan.actions.length === 0 && plan.skipped.length === 0) return [...aux, '', `Plan: ${note}`].join('\n')
  const lines = text.split('\n')
  const summary = lines.pop() ?? ''
  return [
    ...lines.filter((l, i) => !(i === lines.length - 1 && l === '')),
    ...aux,
    '',
    `${summary} Plus ${note}`,
  ].join('\n')
}
