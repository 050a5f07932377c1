/**
 * A fake daemon for unit tests: a real node:http server on a unix socket in
 * a temp dir, for the edge cases a real Incus cannot produce on demand
 * (malformed answers, resets, slow answers). The client under test is the
 * real one, talking HTTP over the socket.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface FakeIncusd {
  socketPath: string
  /** Requests seen, as `METHOD /path?query`. */
  seen: string[]
  /** Connections accepted. */
  connections: number
  close(): Promise<void>
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void

export async function fakeIncusd(handler: Handler): Promise<FakeIncusd> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-incusd-'))
  const socketPath = join(dir, 'unix.socket')
  const state: FakeIncusd = {
    socketPath,
    seen: [],
    connections: 0,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
      rmSync(dir, { recursive: true, force: true })
    },
  }
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => {
      body += c
    })
    req.on('end', () => {
      state.seen.push(`${req.method} ${req.url}`)
      handler(req, res, body)
    })
  })
  server.on('connection', () => {
    state.connections++
  })
  await new Promise<void>((r) => server.listen(socketPath, () => r()))
  return state
}

/** Sends an Incus JSON envelope. */
export function reply(
  res: ServerResponse,
  status: number,
  envelope: Record<string, unknown>,
  headers = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(envelope))
}

export const sync = (metadata: unknown) => ({ type: 'sync', status: 'Success', status_code: 200, metadata })

export const failure = (code: number, error: string) => ({
  type: 'error',
  error_code: code,
  error,
  metadata: null,
})

export function operation(id: string, statusCode: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    class: 'task',
    description: 'Doing things',
    created_at: '',
    updated_at: '',
    status: statusCode === 200 ? 'Success' : statusCode === 400 ? 'Failure' : 'Running',
    status_code: statusCode,
    resources: {},
    metadata: null,
    may_cancel: false,
    err: '',
    ...extra,
  }
}

export const asyncReply = (id: string) => ({
  type: 'async',
  status: 'Operation created',
  status_code: 100,
  operation: `/1.0/operations/${id}`,
  metadata: operation(id, 103),
})
