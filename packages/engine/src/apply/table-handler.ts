/**
 * The host's nftables isolation table: one `nft -f` transaction that
 * replaces the table whole, after every bridge action. Only planned for a
 * local Incus, whose host is this machine.
 */
import { type ApplyRulesetResult, applyRuleset } from '@anklume/host'
import type { DesiredTable } from '@anklume/planner'
import type { Handler, IncusCall } from './ops-context.js'

/** Loads the table with @anklume/host (Incus must use the nftables firewall driver). */
export async function loadWithHost(
  table: DesiredTable,
  { client, signal }: IncusCall,
): Promise<ApplyRulesetResult> {
  const server = await client.server({ signal })
  return applyRuleset(
    {
      text: table.text,
      model: { table: table.table, domains: table.bridges.map((bridge) => ({ bridge, enabled: true })) },
    },
    { firewallDriver: server.environment?.firewall },
  )
}

export const tableHandler: Handler<'nft-table'> = async (ctx, a) => {
  await (ctx.loadTable ?? loadWithHost)(a.desired, ctx)
}
