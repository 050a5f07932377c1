/**
 * The two websocket APIs of Incus: the event stream (`/1.0/events`) and an
 * interactive exec (a terminal: `wait-for-websocket` + `interactive`, then
 * the operation's data and control websockets). Over the unix socket or the
 * remote's HTTPS with the same client certificate (and pinned server
 * certificate) as the REST calls. Uses the `ws` client.
 */
import { X509Certificate } from 'node:crypto'
import type WebSocket from 'ws'
import { type Core, seg } from './core.js'
import { IncusError } from './errors.js'
import type { WebSocketTarget } from './transport.js'
import type { ProjectOptions } from './types/common.js'
import type { Operation } from './types/operation.js'

export type IncusEventType = 'lifecycle' | 'operation' | 'logging'

/** One message of `/1.0/events`. */
export interface IncusEvent {
  type: IncusEventType | string
  timestamp: string
  /** Project of the object, when the server says (Incus ≥ 5.x with all-projects). */
  project?: string
  /** Cluster member that emitted it. */
  location?: string
  /** For `lifecycle`: `{ action: 'instance-stopped', source: '/1.0/instances/x?project=p', … }`. */
  metadata: Record<string, unknown>
}

export interface EventOptions {
  /** Event types to receive (default: lifecycle and operation). */
  types?: IncusEventType[]
  /** Only this project's events. */
  project?: string
  /** Every project's events (the default when no project is given). */
  allProjects?: boolean
  signal?: AbortSignal
}

/** A connected event stream. */
export interface EventStream {
  /** Stops listening. */
  close(): void
  /** Settles when the stream ends: resolved on close(), rejected when the connection drops. */
  readonly closed: Promise<void>
}

export interface TerminalOptions extends ProjectOptions {
  /** Columns and rows of the pseudo-terminal (default 80×24). */
  width?: number
  height?: number
  env?: Record<string, string>
  cwd?: string
  user?: number
  group?: number
}

/** An interactive process in an instance, attached to a pseudo-terminal. */
export interface Terminal {
  /** Keystrokes (or any input) to the process. */
  write(data: string | Uint8Array): void
  /** Output of the process (stdout and stderr, as a terminal shows them). */
  onData(listener: (chunk: Buffer) => void): void
  /** Resizes the pseudo-terminal. */
  resize(width: number, height: number): void
  /** Hangs the process up (SIGHUP) and closes the websockets. */
  close(): void
  /** The exit code once the process ended (-1 when Incus did not report one). */
  readonly exit: Promise<number>
}

function wsError(target: string, e: unknown): IncusError {
  const msg = e instanceof Error ? e.message : String(e)
  return new IncusError('INCUS_UNREACHABLE', `cannot open a websocket to ${target}: ${msg}`, {
    hint: 'Check that Incus is running and reachable (`incus info`), as for any other call.',
  })
}

/** WebSocket.OPEN, without loading `ws` for a constant. */
const OPEN = 1

/**
 * Opens a websocket to an API path; resolves once it is open. `ws` is loaded
 * here, on first use: only the events and the terminal need it, and a CLI
 * run of any other command does not pay for parsing it.
 */
export async function openWebSocket(
  target: WebSocketTarget,
  path: string,
  signal?: AbortSignal,
): Promise<WebSocket> {
  const { default: WebSocket } = await import('ws')
  const url = target.url(path)
  const tls = target.tls
  const pinned = tls?.serverCert ? new X509Certificate(tls.serverCert).raw : undefined
  const ws = new WebSocket(url, {
    headers: { 'user-agent': 'anklume-incus-client' },
    ...(tls
      ? {
          cert: tls.cert,
          key: tls.key,
          ...(tls.ca ? { ca: tls.ca } : {}),
          // A pinned (self-signed) server certificate is the only trust anchor,
          // and the server must present exactly it: checked during the TLS
          // handshake, before any request is sent.
          ...(pinned
            ? {
                ca: tls.serverCert,
                checkServerIdentity: (_host: string, peer: { raw?: Buffer }) =>
                  peer.raw && pinned.equals(peer.raw)
                    ? undefined
                    : new Error('server certificate does not match the pinned certificate'),
              }
            : {}),
        }
      : {}),
  })
  // After open, errors surface as 'close'; never as an unhandled 'error'.
  ws.on('error', () => undefined)
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      ws.terminate()
      reject(signal?.reason ?? new Error('aborted'))
    }
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    ws.once('open', () => {
      signal?.removeEventListener('abort', onAbort)
      resolve(ws)
    })
    ws.once('error', (e) => {
      signal?.removeEventListener('abort', onAbort)
      reject(wsError(path, e))
    })
    ws.once('unexpected-response', (_req, res) => {
      signal?.removeEventListener('abort', onAbort)
      ws.terminate()
      reject(
        new IncusError(
          'INCUS_BAD_RESPONSE',
          `websocket ${path.split('?')[0]} refused: HTTP ${res.statusCode}`,
        ),
      )
    })
  })
}

/** Subscribes to `/1.0/events`; resolves once connected (so nothing after it is missed). */
export async function subscribeEvents(
  target: WebSocketTarget,
  onEvent: (event: IncusEvent) => void,
  opts: EventOptions = {},
): Promise<EventStream> {
  const q = new URLSearchParams({ type: (opts.types ?? ['lifecycle', 'operation']).join(',') })
  if (opts.project !== undefined && !opts.allProjects) q.set('project', opts.project)
  else q.set('all-projects', 'true')
  const ws = await openWebSocket(target, `/1.0/events?${q}`, opts.signal)
  let closing = false
  const closed = new Promise<void>((resolve, reject) => {
    ws.on('close', () =>
      closing ? resolve() : reject(wsError('/1.0/events', new Error('connection closed'))),
    )
    ws.on('error', (e) => (closing ? resolve() : reject(wsError('/1.0/events', e))))
  })
  closed.catch(() => undefined)
  ws.on('message', (data) => {
    try {
      onEvent(JSON.parse(String(data)) as IncusEvent)
    } catch {
      // A message that is not JSON is not an event.
    }
  })
  const close = () => {
    closing = true
    ws.close()
  }
  opts.signal?.addEventListener('abort', close, { once: true })
  return { close, closed }
}

/** Starts `command` on a pseudo-terminal in `instance` and attaches to it. */
export async function openTerminal(
  core: Core,
  target: WebSocketTarget,
  instance: string,
  command: string[],
  opts: TerminalOptions = {},
): Promise<Terminal> {
  const body: Record<string, unknown> = {
    command,
    environment: { TERM: 'xterm-256color', ...opts.env },
    'wait-for-websocket': true,
    interactive: true,
    width: opts.width ?? 80,
    height: opts.height ?? 24,
  }
  if (opts.cwd !== undefined) body['cwd'] = opts.cwd
  if (opts.user !== undefined) body['user'] = opts.user
  if (opts.group !== undefined) body['group'] = opts.group
  const res = await core.request<Operation>('POST', `/1.0/instances/${seg(instance)}/exec`, {
    project: opts.project,
    body,
    signal: opts.signal,
  })
  const op = res.metadata
  const fds = (op?.metadata as { fds?: Record<string, string> } | null)?.fds
  if (!op?.id || !fds?.['0'] || !fds['control']) {
    throw new IncusError('INCUS_BAD_RESPONSE', `exec in ${instance} answered without websocket secrets`)
  }
  const socketPath = (secret: string) =>
    `/1.0/operations/${encodeURIComponent(op.id)}/websocket?secret=${encodeURIComponent(secret)}`
  // Incus starts the process once every websocket is connected: control first, then data.
  const control = await openWebSocket(target, socketPath(fds['control']), opts.signal)
  const data = await openWebSocket(target, socketPath(fds['0']), opts.signal).catch((e) => {
    control.close()
    throw e
  })
  // The process ended when Incus closes the data websocket; the operation
  // only finishes once the client closed its control websocket too.
  data.on('close', () => control.close())
  // An empty message is Incus's end of output: answer by closing ours.
  data.on('message', (msg: Buffer | ArrayBuffer | Buffer[]) => {
    const size = Buffer.isBuffer(msg) ? msg.length : Array.isArray(msg) ? msg.length : msg.byteLength
    if (size === 0) data.close()
  })
  const exit = core
    .wait(op.id, {})
    .then((done) => {
      const ret = (done?.metadata as { return?: number } | null)?.return
      return typeof ret === 'number' ? ret : -1
    })
    .catch(() => -1)
    .finally(() => {
      data.close()
      control.close()
    })
  const sendControl = (msg: object) => {
    if (control.readyState === OPEN) control.send(JSON.stringify(msg))
  }
  return {
    write: (chunk) => {
      if (data.readyState === OPEN) data.send(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
    },
    onData: (listener) => {
      data.on('message', (msg: Buffer | ArrayBuffer | Buffer[]) => {
        const buf = Buffer.isBuffer(msg) ? msg : Array.isArray(msg) ? Buffer.concat(msg) : Buffer.from(msg)
        if (buf.length > 0) listener(buf)
      })
    },
    resize: (width, height) =>
      sendControl({ command: 'window-resize', args: { width: String(width), height: String(height) } }),
    close: () => {
      sendControl({ command: 'signal', signal: 1 })
      data.close()
      control.close()
    },
    exit,
  }
}
