/** Projects, profiles and custom volumes: create, update in place, delete. */
import { updateWithEtag } from './etag-update.js'
import { type Handler, ignoreGone } from './ops-context.js'

export const projectHandler: Handler<'project'> = async (ctx, a) => {
  const { client, signal } = ctx
  switch (a.op) {
    case 'create': {
      const d = a.desired
      await client.projects.create({ name: d.name, description: d.description, config: d.config }, { signal })
      return
    }
    case 'update':
      await updateWithEtag(ctx, a, a.changes)
      return
    case 'delete':
      await client.projects.delete(a.name, { signal }).catch(ignoreGone)
      return
  }
}

export const profileHandler: Handler<'profile'> = async (ctx, a) => {
  const { client, signal } = ctx
  const project = a.project
  switch (a.op) {
    case 'create': {
      const d = a.desired
      await client.profiles.create(
        { name: d.name, description: d.description, config: d.config, devices: d.devices },
        { project, signal },
      )
      return
    }
    case 'update':
      await updateWithEtag(ctx, a, a.changes)
      return
    case 'delete':
      await client.profiles.delete(a.name, { project, signal }).catch(ignoreGone)
      return
  }
}

export const volumeHandler: Handler<'volume'> = async (ctx, a) => {
  const { client, signal } = ctx
  const project = a.project
  switch (a.op) {
    case 'create': {
      const d = a.desired
      await client.storage.volumes.create(
        d.pool,
        {
          name: d.name,
          type: 'custom',
          content_type: 'filesystem',
          description: d.description,
          config: d.config,
        },
        { project, signal, ...(d.target !== undefined ? { target: d.target } : {}) },
      )
      return
    }
    case 'update':
      await updateWithEtag(ctx, a, a.changes)
      return
    case 'delete':
      await client.storage.volumes.delete(a.pool ?? 'default', a.name, { project, signal }).catch(ignoreGone)
      return
  }
}
