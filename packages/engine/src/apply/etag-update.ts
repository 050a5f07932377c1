/**
 * The one way the executor edits an existing object: read it with its ETag,
 * apply precise changes to what was read (every other key stays as the
 * server has it), write it back with If-Match. A concurrent edit makes the
 * write fail with INCUS_CONFLICT instead of being overwritten.
 */
import type { NetworkAclPut, NetworkZonePut } from '@anklume/incus-client'
import type { Change } from '@anklume/planner'
import { applyChanges, type Editable } from './changes.js'
import type { IncusCall } from './ops-context.js'

/** The object to edit; the fields an action already has. */
export type EditTarget =
  | { kind: 'network' | 'project'; name: string }
  | { kind: 'profile' | 'instance'; name: string; project?: string | undefined }
  | { kind: 'volume'; name: string; project?: string | undefined; pool?: string | undefined }

/** What was read before the edit (the instance's `status` tells whether it runs). */
export type Fresh = Editable & { status?: string | undefined }

/** The changes to apply: fixed, or computed from what was read. */
export type Edit = readonly Change[] | ((fresh: Fresh) => readonly Change[])

async function readEditWrite<T extends Fresh>(
  read: () => Promise<{ value: T; etag: string | undefined }>,
  write: (next: T, etag: string | undefined) => Promise<unknown>,
  edit: Edit,
): Promise<T> {
  const { value, etag } = await read()
  const changes = typeof edit === 'function' ? edit(value) : edit
  await write(applyChanges(value, changes), etag)
  return value
}

/**
 * A network ACL or zone: every writable field is declared, so the desired
 * body replaces what was read, still under If-Match.
 */
export type Replacement =
  | { kind: 'acl'; name: string; body: NetworkAclPut }
  | { kind: 'zone'; name: string; body: NetworkZonePut }

/** Reads an ACL or zone's ETag and writes the desired body with If-Match. */
export async function replaceWithEtag(ctx: IncusCall, r: Replacement): Promise<void> {
  const { client, signal } = ctx
  if (r.kind === 'acl') {
    const { etag } = await client.networkAcls.getWithEtag(r.name, { signal })
    await client.networkAcls.update(r.name, r.body, { etag, signal })
  } else {
    const { etag } = await client.networkZones.getWithEtag(r.name, { signal })
    await client.networkZones.update(r.name, r.body, { etag, signal })
  }
}

/** Reads `target` with its ETag, applies `edit`, writes it with If-Match. Returns what was read. */
export function updateWithEtag(ctx: IncusCall, target: EditTarget, edit: Edit): Promise<Fresh> {
  const { client, signal } = ctx
  const { name } = target
  const base = (next: Editable) => ({ config: next.config ?? {}, description: next.description ?? '' })
  switch (target.kind) {
    case 'network':
      return readEditWrite(
        () => client.networks.getWithEtag(name, { signal }),
        (next, etag) => client.networks.update(name, base(next), { etag, signal }),
        edit,
      )
    case 'project':
      return readEditWrite(
        () => client.projects.getWithEtag(name, { signal }),
        (next, etag) => client.projects.update(name, base(next), { etag, signal }),
        edit,
      )
    case 'profile': {
      const project = target.project
      return readEditWrite(
        () => client.profiles.getWithEtag(name, { project, signal }),
        (next, etag) =>
          client.profiles.update(
            name,
            { ...base(next), devices: next.devices ?? {} },
            { project, etag, signal },
          ),
        edit,
      )
    }
    case 'volume': {
      const { project, pool = 'default' } = target
      return readEditWrite(
        () => client.storage.volumes.getWithEtag(pool, name, { project, signal }),
        (next, etag) => client.storage.volumes.update(pool, name, base(next), { project, etag, signal }),
        edit,
      )
    }
    case 'instance': {
      // The whole instance goes back: PUT replaces the writable fields, the rest is ignored.
      const project = target.project
      return readEditWrite(
        () => client.instances.getWithEtag(name, { project, signal }),
        (next, etag) => client.instances.update(name, next, { project, etag, signal }),
        edit,
      )
    }
  }
}
