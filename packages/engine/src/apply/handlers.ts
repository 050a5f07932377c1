/** The handler table: which module carries out each kind of plan action. */
import { type Action, actionLabel } from '@anklume/planner'
import { aclHandler, zoneHandler } from './beside-ops.js'
import { instanceHandler } from './instance-handler.js'
import { networkHandler } from './network-ops.js'
import { profileHandler, projectHandler, volumeHandler } from './object-ops.js'
import type { OpsContext } from './ops-context.js'
import { tableHandler } from './table-handler.js'

/** Runs one action with its kind's handler. */
export function runAction(ctx: OpsContext, a: Action): Promise<void> {
  switch (a.kind) {
    case 'network':
      return networkHandler(ctx, a)
    case 'project':
      return projectHandler(ctx, a)
    case 'profile':
      return profileHandler(ctx, a)
    case 'volume':
      return volumeHandler(ctx, a)
    case 'instance':
      return instanceHandler(ctx, a)
    case 'acl':
      return aclHandler(ctx, a)
    case 'zone':
      return zoneHandler(ctx, a)
    case 'nft-table':
      return tableHandler(ctx, a)
  }
}

/**
 * Actions that must not run at the same time as others of their key: of two
 * network ACLs deleted at once Incus 6.0 sometimes keeps one while answering
 * success to both. Bridges are deleted in parallel: the veth race that makes
 * some of those deletes fail spuriously is retried (deleteNetwork,
 * BRIDGE_CHURN), and the bridge is re-read before a failure is reported.
 */
export function serialKey(a: Action): string | undefined {
  if (a.op !== 'delete') return undefined
  return a.kind === 'acl' || a.kind === 'zone' ? 'acl-zone-delete' : undefined
}

/** Wraps the server's message with what we were doing, keeping the error's code. */
export function explain(a: Action, err: unknown): unknown {
  if (err && typeof err === 'object' && 'message' in err) {
    const e = err as Error & { message: string }
    const where = actionLabel(a)
    if (!e.message.startsWith(where)) e.message = `${where}: ${e.message}`
  }
  return err
}
