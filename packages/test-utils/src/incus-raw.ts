/**
 * A deliberately tiny Incus request helper for the test harness (global
 * setup and teardown, subnet picking, raw fixtures), independent of
 * @anklume/incus-client so that a bug in the client under test can never
 * stop the harness from cleaning up.
 */
import { existsSync } from 'node:fs'
import { request } from 'node:http'

export function socketPath(): string {
  if (process.env.INCUS_SOCKET) return process.env.INCUS_SOCKET
  if (process.env.INCUS_DIR) return `${process.env.INCUS_DIR}/unix.socket`
  if (existsSync('/run/incus/unix.socket')) return '/run/incus/unix.socket'
  return '/var/lib/incus/unix.socket'
}

export interface RawResponse {
  status: number
  body: { type?: string; metadata?: unknown; error?: string; operation?: string }
}

export function raw(method: string, path: string, body?: unknown): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath: socketPath(), method, path, headers: { 'content-type': 'application/json' } },
      (res) => {
        let data = ''
        res.setEncoding('utf8')
        res.on('data', (c) => {
          data += c
        })
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : {} })
          } catch (e) {
            reject(e)
          }
        })
      },
    )
    req.on('error', reject)
    req.setTimeout(120_000, () => req.destroy(new Error(`timeout: ${method} ${path}`)))
    if (body !== undefined) req.write(JSON.stringify(body))
    req.end()
  })
}

/** Sends a request and waits for its operation, if any. Returns the final status code. */
export async function rawWait(method: string, path: string, body?: unknown): Promise<RawResponse> {
  const res = await raw(method, path, body)
  if (res.body.type === 'async' && res.body.operation) {
    return raw('GET', `${res.body.operation}/wait?timeout=120`)
  }
  return res
}
