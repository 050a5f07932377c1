/** Reads and checks the JSON envelope every Incus API answer is wrapped in. */
import type { Dispatcher } from 'undici'
import { errorFromResponse, IncusError } from './errors.js'

export interface Envelope {
  type: 'sync' | 'async' | 'error'
  status?: string
  status_code?: number
  operation?: string
  error_code?: number
  error?: string
  metadata: unknown
}

export async function readEnvelope(
  res: Dispatcher.ResponseData,
  req: { method: string; path: string },
): Promise<Envelope> {
  const text = await res.body.text()
  let parsed: unknown
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch (cause) {
    if (res.statusCode >= 400) throw errorFromResponse(res.statusCode, snippet(text), req)
    throw badResponse(`Incus sent a body that is not JSON: ${snippet(text)}`, req, res.statusCode, cause)
  }
  if (!isEnvelope(parsed)) {
    if (res.statusCode >= 400) throw errorFromResponse(res.statusCode, snippet(text) || 'no error text', req)
    throw badResponse(`Incus sent an unexpected answer: ${snippet(text) || '(empty)'}`, req, res.statusCode)
  }
  return parsed
}

/** Throws the matching IncusError when the envelope (or the HTTP status) says the request failed. */
export function checkEnvelope(
  env: Envelope,
  httpStatus: number,
  req: { method: string; path: string },
): void {
  if (env.type !== 'error' && httpStatus < 400) return
  const status = env.error_code && env.error_code >= 400 ? env.error_code : httpStatus
  throw errorFromResponse(status, env.error || `HTTP ${httpStatus}`, req)
}

export function etagOf(res: Dispatcher.ResponseData): string | undefined {
  const h = res.headers['etag']
  return Array.isArray(h) ? h[0] : h
}

function isEnvelope(v: unknown): v is Envelope {
  if (typeof v !== 'object' || v === null) return false
  const t = (v as { type?: unknown }).type
  return t === 'sync' || t === 'async' || t === 'error'
}

function snippet(text: string): string {
  const t = text.trim()
  return t.length > 200 ? `${t.slice(0, 200)}…` : t
}

function badResponse(
  message: string,
  req: { method: string; path: string },
  status: number,
  cause?: unknown,
): IncusError {
  return new IncusError('INCUS_BAD_RESPONSE', `${message} (${req.method} ${req.path})`, {
    status,
    method: req.method,
    path: req.path,
    hint: 'Is this an Incus server? Check the socket path or the remote URL.',
    cause,
  })
}
