/**
 * Network ACLs and zones, beside the bridges: created before a bridge names
 * them, updated in place under If-Match, deleted once no bridge does.
 */
import { replaceWithEtag } from './etag-update.js'
import { type Handler, ignoreGone } from './ops-context.js'

export const aclHandler: Handler<'acl'> = async (ctx, a) => {
  const { client, signal } = ctx
  switch (a.op) {
    case 'create':
    case 'update': {
      const { name, description, config, ingress, egress } = a.desired
      const body = { description, config, ingress, egress }
      if (a.op === 'create') await client.networkAcls.create({ name, ...body }, { signal })
      else await replaceWithEtag(ctx, { kind: 'acl', name, body })
      return
    }
    case 'delete':
      await client.networkAcls.delete(a.name, { signal }).catch(ignoreGone)
      return
  }
}

export const zoneHandler: Handler<'zone'> = async (ctx, a) => {
  const { client, signal } = ctx
  switch (a.op) {
    case 'create':
    case 'update': {
      const { name, description, config } = a.desired
      const body = { description, config }
      if (a.op === 'create') await client.networkZones.create({ name, ...body }, { signal })
      else await replaceWithEtag(ctx, { kind: 'zone', name, body })
      return
    }
    case 'delete':
      await client.networkZones.delete(a.name, { signal }).catch(ignoreGone)
      return
  }
}
