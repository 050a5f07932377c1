/** `anklume status`: the declared infra against one observation of Incus (with instance state). */
import type { IncusClient } from '@anklume/incus-client'
import { type DomainStatus, desired, statusOf } from '@anklume/planner'
import type { Infra } from '@anklume/schema'
import { poolsOf } from '../apply/apply.js'
import { observe } from '../apply/observe.js'

export async function infraStatus(
  client: IncusClient,
  infra: Infra,
  opts: { level: number },
): Promise<DomainStatus[]> {
  const observed = await observe(client, { pools: poolsOf(infra), withState: true })
  return statusOf(desired(infra, { level: opts.level }), observed)
}
