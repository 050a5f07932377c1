import { isAnklumeError } from '@anklume/errors'
import { type DesiredInstance, LABEL_CONTEXT } from '@anklume/planner'
import { childContext } from '@anklume/schema'
import { updateWithEtag } from './etag-update.js'
import type { IncusCall, OpsContext } from './ops-context.js'
import { FILE_PUSH, FORKFILE_FAILURE, retry, retryWhen } from './retry.js'

/** Where the incus_socket proxy device listens inside the instance (lifecycle.md). */
export const SOCKET_DIR = '/var/lib/incus'

/** A files API call, retried while the container's file helper is not up yet. */
const files = (ctx: IncusCall, call: () => Promise<unknown>) =>
  retry(call, { ...FILE_PUSH, signal: ctx.signal, judge: retryWhen(FORKFILE_FAILURE) })

async function mkdirp(ctx: IncusCall, instance: string, path: string, project: string) {
  const { client, signal } = ctx
  let at = ''
  for (const part of path.split('/').filter(Boolean)) {
    at += `/${part}`
    try {
      const dir = at
      await files(ctx, () => client.files.mkdir(instance, dir, { project, mode: 0o755, signal }))
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
  ctx: OpsContext,
  inst: Pick<DesiredInstance, 'name' | 'project' | 'type' | 'needsSocketDir'>,
): Promise<void> {
  if (inst.type !== 'container') return
  const { client, signal } = ctx
  const project = inst.project
  await mkdirp(ctx, inst.name, '/etc/anklume', project)
  for (const [name, value] of Object.entries(childContext(ctx.nesting, false))) {
    const path = `/etc/anklume/${name}`
    await files(ctx, () => client.files.push(inst.name, path, `${value}\n`, { project, mode: 0o644, signal }))
  }
  if (inst.needsSocketDir) await mkdirp(ctx, inst.name, SOCKET_DIR, project)
}

/** The daemon failed (5xx, or no answer), not the request (a 4xx like "Permission denied" is reported). */
function filesApiBroken(err: unknown): boolean {
  if (isAnklumeError(err, 'INCUS_CANCELLED')) return false
  const status = (err as { status?: unknown }).status
  return typeof status !== 'number' || status >= 500
}

type Preparable = Pick<DesiredInstance, 'name' | 'project' | 'type' | 'needsSocketDir'>

/**
 * prepareInstance, but a container whose files API keeps failing (Incus
 * 6.0's stuck `forkfile.sock`, seen with no kill at all) is not left
 * stopped: it gets `user.anklume.context=pending` and starts (a 4xx answer
 * is a real error and fails the action); the next plan
 * has a `start` for it that pushes the files again. `marked`: the instance
 * may carry the mark from an earlier apply (a `start` or `rebuild` action):
 * once the files are in, the mark is removed (a read, and a write only when
 * it is there). Cancellation is never swallowed.
 */
export async function prepareOrMark(ctx: OpsContext, inst: Preparable, marked: boolean): Promise<void> {
  const target = { kind: 'instance' as const, name: inst.name, project: inst.project }
  try {
    await prepareInstance(ctx, inst)
  } catch (err) {
    if (!filesApiBroken(err) || ctx.signal?.aborted) throw err
    await updateWithEtag(ctx, target, [{ field: 'config', key: LABEL_CONTEXT, to: 'pending' }]).catch(() => {
      throw err
    })
    return
  }
  if (!marked || inst.type !== 'container') return
  const { client, signal } = ctx
  const seen = await client.instances.get(inst.name, { project: inst.project, signal })
  const from = seen.config?.[LABEL_CONTEXT]
  if (from !== undefined) {
    await updateWithEtag(ctx, target, [{ field: 'config', key: LABEL_CONTEXT, from, to: undefined }])
  }
}
