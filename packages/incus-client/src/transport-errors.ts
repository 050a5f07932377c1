/** Turns socket/TLS/timeout errors of undici and node:net into IncusErrors. */
import { IncusError } from './errors.js'

export interface Classified {
  error: IncusError
  /** Safe to resend (for an idempotent request): nothing or a dead connection was involved. */
  retryable: boolean
}

const RETRYABLE = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'])

/**
 * The first code along the cause chain: undici's (UND_ERR_…), Node's (ENOENT…),
 * or INCUS_CERT_MISMATCH, the AnklumeError the pinned-certificate check raises.
 */
function codeOf(err: unknown): string {
  let e: unknown = err
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'UND_ERR') return code
    e = (e as { cause?: unknown }).cause
  }
  return 'UNKNOWN'
}

export function classifyTransportError(
  err: unknown,
  req: { method: string; path: string; target: string },
): Classified {
  const code = codeOf(err)
  const text = err instanceof Error ? err.message : String(err)
  const where = `${req.method} ${req.path}`
  const base = { method: req.method, path: req.path, cause: err }
  if (TIMEOUTS.has(code)) {
    return {
      error: new IncusError('INCUS_TIMEOUT', `Incus did not answer in time (${where} on ${req.target})`, {
        ...base,
        hint:
          'The daemon may be overloaded or stuck (check it: systemctl status incus); retry, ' +
          'or allow more time with --timeout <seconds> (requestTimeoutMs for the library).',
      }),
      retryable: false,
    }
  }
  const unreachable = (hint: string) =>
    new IncusError('INCUS_UNREACHABLE', `Cannot reach Incus at ${req.target}: ${text} (${code})`, {
      ...base,
      hint,
    })
  if (code === 'ENOENT') {
    return {
      error: unreachable(
        `The socket ${req.target} does not exist: is incusd running? ` +
          'Start it, or point INCUS_SOCKET (or INCUS_DIR) at the right socket.',
      ),
      retryable: false,
    }
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return {
      error: unreachable(
        `Permission denied on ${req.target}: run as root or add your user to the incus-admin group ` +
          '(then log in again).',
      ),
      retryable: false,
    }
  }
  if (
    code === 'INCUS_CERT_MISMATCH' ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    /certificate/i.test(text)
  ) {
    return {
      error: unreachable(
        'TLS failed: check that the pinned server certificate is the one of this server ' +
          'and that the client certificate is trusted (incus config trust list).',
      ),
      retryable: false,
    }
  }
  if (code === 'ECONNREFUSED') {
    return { error: unreachable(`Nothing listens on ${req.target}: is incusd running?`), retryable: true }
  }
  return {
    error: unreachable('The connection to the daemon failed; retry once it is back.'),
    retryable: RETRYABLE.has(code),
  }
}
