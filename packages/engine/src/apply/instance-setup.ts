import type { IncusClient } from '@anklume/incus-client'
import type { DesiredInstance } from '@anklume/planner'
import { childContext, type NestingContext } from '@anklume/schema'

/** Where the incus_socket proxy device listens inside the instance (lifecycle.md). */
export const SOCKET_DIR = '/var/lib/incus'

async function mkdirp(
  client: IncusClient,
  instance: string,
  path: string,
  project: string,
  signal?: AbortSignal,
) {
  let at = ''
  for (const part of path.split('/').filter(Boolean)) {
    at += `/${part}`
    try {
      await client.files.mkdir(instance, at, { project, mode: 0o755, signal })
    } catch (err) {
      // An existing directory answers an error on some servers: only fail if it is really absent.
      try {
        const info = await client.files.readWithInfo(instance, at, { project, signal })
        if (info.type !== 'directory') throw err
      } catch {
        throw err
      }
    }
  }
}

/**
 * Prepares a container before it starts: writes the nesting context files
 * (/etc/anklume/*) and, for incus_socket machines, creates the proxy's
 * listen directory. Idempotent, so a start after an interrupted apply does
 * it again safely. VMs are skipped: their files API needs the running agent.
 */
export async function prepareInstance(
  client: IncusClient,
  inst: Pick<DesiredInstance, 'name' | 'project' | 'type' | 'needsSocketDir'>,
  parent: NestingContext,
  signal?: AbortSignal,
): Promise<void> {
  if (inst.type !== 'container') return
  const project = inst.project
  await mkdirp(client, inst.name, '/etc/anklume', project, signal)
  const files = childContext(parent, false)
  for (const [name, value] of Object.entries(files)) {
    await client.files.push(inst.name, `/etc/anklume/${name}`, `${value}\n`, { project, mode: 0o644, signal })
  }
  if (inst.needsSocketDir) await mkdirp(client, inst.name, SOCKET_DIR, project, signal)
}
