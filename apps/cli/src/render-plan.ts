import type { Plan } from '@anklume/planner'

/** The plan as text: the planner's terraform-like lines (ACLs, zones and the isolation table included). */
export async function renderPlan(plan: Plan, color: boolean): Promise<string> {
  const { formatPlan } = await import('@anklume/planner')
  return formatPlan(plan, { color }).trimEnd()
}
