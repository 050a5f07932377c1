/** The instance actions of a plan. */
import { updateWithEtag } from './etag-update.js'
import { moveInstance } from './instance-move.js'
import { createInstance, deleteInstance, startInstance, stopForce } from './instance-ops.js'
import type { Handler, OpsContext } from './ops-context.js'

const restart = (ctx: OpsContext, name: string, project: string | undefined) =>
  ctx.client.instances.setState(name, { action: 'restart', timeout: 30 }, { project, signal: ctx.signal })

export const instanceHandler: Handler<'instance'> = async (ctx, a) => {
  const { client, signal } = ctx
  const project = a.project
  switch (a.op) {
    case 'create':
      return createInstance(ctx, a.desired)
    case 'replace': {
      // A domain move replaces the instance in its new project: delete it from the old one.
      const moved = a.changes.find((c) => c.field === 'project')
      await deleteInstance(ctx, { name: a.name, project: moved ? String(moved.from) : project })
      return createInstance(ctx, a.desired)
    }
    case 'update': {
      const fresh = await updateWithEtag(ctx, a, a.changes)
      if (a.restart && fresh.status === 'Running') await restart(ctx, a.name, project)
      return
    }
    case 'start':
      return startInstance(ctx, a.desired, true)
    case 'restart':
      await restart(ctx, a.name, project)
      return
    case 'rebuild': {
      const inst = await client.instances.get(a.name, { project, signal })
      if (inst.status !== 'Stopped') await stopForce(ctx, a.name, project)
      await client.instances.rebuild(a.name, { source: a.desired.source }, { project, signal })
      return startInstance(ctx, a.desired, true)
    }
    case 'move': {
      const to = a.changes.find((c) => c.field === 'location')
      return moveInstance(ctx, a.desired, String(to?.from ?? ''), String(to?.to ?? a.desired.target))
    }
    case 'delete':
      return deleteInstance(ctx, a, a.protected ?? false)
  }
}
