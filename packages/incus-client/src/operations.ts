/**
 * Background operations: long-poll `GET /1.0/operations/<id>/wait?timeout=N`
 * in a loop until the operation ends. Status 200 is success, 400 failure
 * (INCUS_OPERATION_FAILED with the server's `err`), 401 cancelled
 * (INCUS_CANCELLED). A 404 means the operation finished and was forgotten
 * (Incus keeps finished operations ~5 s): the wait returns undefined and the
 * caller re-reads the object. Incus 6.0 forgets an operation in two steps
 * (its memory, then its database row): a wait in between is forwarded as if
 * the operation ran on another cluster member, and fails with 500 "Missing
 * event connection with target cluster member", even on a single server. That
 * answer is polled again, shortly, until the 404 (or a real answer) comes.
 */
import type { Core, WaitOptions } from './core.js'
import { readEnvelope } from './envelope.js'
import { errorFromResponse, IncusError } from './errors.js'
import type { CallOptions } from './types/common.js'
import type { Operation } from './types/operation.js'

/** Longest single long-poll; the loop continues until the operation ends or `timeoutSec` runs out. */
const POLL_SEC = 30

/** The 500 of a wait that fell between Incus forgetting an operation and deleting its row. */
const FORGETTING = /Missing event connection with target cluster member/
/** How often (and how long apart) such a wait is polled again before its error stands: 5 s in all. */
const FORGETTING_TRIES = 20
const FORGETTING_PAUSE_MS = 250

/** Accepts `"<uuid>"` or `"/1.0/operations/<uuid>"` (with or without a query). */
export function operationId(idOrUrl: string): string {
  const m = /\/operations\/([^/?#]+)/.exec(idOrUrl)
  return decodeURIComponent(m?.[1] ?? idOrUrl)
}

export async function waitOperation(
  core: Core,
  idOrUrl: string,
  options: WaitOptions,
): Promise<Operation | undefined> {
  const id = operationId(idOrUrl)
  const path = `/1.0/operations/${encodeURIComponent(id)}/wait`
  const deadline =
    options.timeoutSec === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutSec * 1000
  let forgetting = 0
  for (;;) {
    const remainingMs = deadline - Date.now()
    if (remainingMs <= 0) {
      throw new IncusError('INCUS_TIMEOUT', `Operation ${id} still running after ${options.timeoutSec} s`, {
        operationId: id,
        path,
        hint: 'It goes on in the background: wait again, or cancel it (operations.cancel).',
      })
    }
    const n = Math.max(1, Math.min(POLL_SEC, Math.ceil(remainingMs / 1000)))
    const req = { method: 'GET', path }
    const { status, env } = await core.http.exchange(
      'GET',
      path,
      { query: { timeout: n }, signal: options.signal, timeoutMs: (n + 60) * 1000 },
      async (res) => ({ status: res.statusCode, env: await readEnvelope(res, req) }),
    )
    if (status === 404) return undefined
    if (status === 500 && FORGETTING.test(env.error ?? '') && forgetting++ < FORGETTING_TRIES) {
      await new Promise((r) => setTimeout(r, FORGETTING_PAUSE_MS))
      continue
    }
    if (env.type === 'error') {
      // The server answers 200 with an error body when the poll timed out...
      if (/deadline exceeded/i.test(env.error ?? '')) continue
      if (status >= 400) throw errorFromResponse(status, env.error ?? `HTTP ${status}`, req)
      // ...or when the operation failed: its status tells failure from cancellation.
      const op = await getOperation(core, id, options).catch(() => undefined)
      if (!op) throw failure(id, 'operation', env.error ?? 'unknown error', 400)
      if (op.status_code < 200) continue
      return settle(op)
    }
    const op = env.metadata as Operation
    if (op && typeof op.status_code === 'number' && op.status_code >= 200) return settle(op)
  }
}

function settle(op: Operation): Operation {
  if (op.status_code === 200) return op
  if (op.status_code === 401) {
    throw new IncusError(
      'INCUS_CANCELLED',
      `Operation "${op.description}" was cancelled${op.err ? `: ${op.err}` : ''}`,
      {
        status: 401,
        serverMessage: op.err,
        operationId: op.id,
      },
    )
  }
  throw failure(op.id, op.description, op.err || op.status, op.status_code)
}

function failure(id: string, description: string, err: string, status: number): IncusError {
  return new IncusError('INCUS_OPERATION_FAILED', `${description} failed: ${err}`, {
    status,
    serverMessage: err,
    operationId: id,
  })
}

export async function getOperation(
  core: Core,
  idOrUrl: string,
  options: CallOptions = {},
): Promise<Operation> {
  const id = operationId(idOrUrl)
  return (await core.request<Operation>('GET', `/1.0/operations/${encodeURIComponent(id)}`, options)).metadata
}

export async function cancelOperation(core: Core, idOrUrl: string, options: CallOptions = {}): Promise<void> {
  const id = operationId(idOrUrl)
  await core.request('DELETE', `/1.0/operations/${encodeURIComponent(id)}`, options)
}

export function operationsGroup(core: Core) {
  return {
    get: (idOrUrl: string, options?: CallOptions) => getOperation(core, idOrUrl, options),
    wait: (idOrUrl: string, options?: WaitOptions) => core.wait(idOrUrl, options),
    cancel: (idOrUrl: string, options?: CallOptions) => cancelOperation(core, idOrUrl, options),
  }
}
