/**
 * The connection pool: one keep-alive undici Pool per client, over the local
 * unix socket or over HTTPS with a TLS client certificate. With a pinned
 * `serverCert`, the server must present exactly that certificate (what the
 * `incus` CLI does for remotes), whatever its names or issuer.
 */
import { X509Certificate } from 'node:crypto'
import type { TLSSocket } from 'node:tls'
import { AnklumeError } from '@anklume/errors'
import { buildConnector, Pool } from 'undici'
import { IncusError } from './errors.js'
import { resolveSocketPath } from './socket.js'

export interface RemoteOptions {
  /** `https://host:8443` (Incus `core.https_address`). */
  url: string
  /** PEM client certificate, trusted by the server (`incus config trust add-certificate`). */
  cert: string | Buffer
  /** PEM private key of the client certificate. */
  key: string | Buffer
  /** PEM server certificate to pin: the server must present exactly this one. */
  serverCert?: string | Buffer
  /** PEM CA bundle to verify the server with (instead of pinning). */
  ca?: string | Buffer
}

export interface TransportOptions {
  socketPath?: string | undefined
  remote?: RemoteOptions | undefined
  /** Most connections open at once (default 32; each operation wait holds one while it long-polls). */
  connections?: number | undefined
}

export interface Transport {
  pool: Pool
  /** The socket path or the remote URL, for error messages. */
  target: string
  kind: 'unix' | 'https'
  /** How to open a websocket to the same server (events, interactive exec). */
  websocket: WebSocketTarget
}

/** A websocket URL for an API path, and the TLS options (remote) the `ws` client needs. */
export interface WebSocketTarget {
  url(path: string): string
  tls?: { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer; serverCert?: string | Buffer }
}

// Idle connections are dropped before a server could close them under us.
const KEEP_ALIVE = { keepAliveTimeout: 4_000, keepAliveMaxTimeout: 600_000 }

export function createTransport(options: TransportOptions): Transport {
  const connections = options.connections ?? 32
  if (options.remote) {
    const remote = options.remote
    const url = new URL(remote.url)
    if (url.protocol !== 'https:') {
      throw new IncusError('INCUS_UNREACHABLE', `Remote URL must use https: ${remote.url}`, {
        hint: 'Incus remotes listen on HTTPS (core.https_address), e.g. https://host:8443.',
      })
    }
    const connect = remote.serverCert
      ? pinnedConnector(remote.cert, remote.key, remote.serverCert)
      : buildConnector({ cert: remote.cert, key: remote.key, ...(remote.ca ? { ca: remote.ca } : {}) })
    return {
      pool: new Pool(url.origin, { connections, connect, ...KEEP_ALIVE }),
      target: url.origin,
      kind: 'https',
      websocket: {
        url: (path) => `wss://${url.host}${path}`,
        tls: {
          cert: remote.cert,
          key: remote.key,
          ...(remote.ca ? { ca: remote.ca } : {}),
          ...(remote.serverCert ? { serverCert: remote.serverCert } : {}),
        },
      },
    }
  }
  const socketPath = options.socketPath ?? resolveSocketPath()
  return {
    pool: new Pool('http://incus.socket', { connections, socketPath, ...KEEP_ALIVE }),
    target: socketPath,
    kind: 'unix',
    // The `ws` client's unix-socket form: ws+unix:<socket>:<request path>.
    websocket: { url: (path) => `ws+unix:${socketPath}:${path}` },
  }
}

/** A TLS connector that accepts the server only if it presents exactly `serverCert`. */
function pinnedConnector(
  cert: string | Buffer,
  key: string | Buffer,
  serverCert: string | Buffer,
): buildConnector.connector {
  const pinned = new X509Certificate(serverCert).raw
  // Chain and host name checks are replaced by the exact-certificate check
  // below. No TLS session resumption: a resumed session shows no peer
  // certificate, so every connection must present it again.
  const base = buildConnector({ cert, key, rejectUnauthorized: false, maxCachedSessions: 0 })
  return (opts, callback) => {
    base(opts, (err, socket) => {
      if (err || !socket) {
        callback(err ?? new Error('TLS connection failed'), null)
        return
      }
      const peer = (socket as TLSSocket).getPeerCertificate?.()
      if (!peer?.raw || !pinned.equals(peer.raw)) {
        socket.destroy()
        callback(
          new AnklumeError('INCUS_CERT_MISMATCH', 'server certificate does not match the pinned certificate'),
          null,
        )
        return
      }
      callback(null, socket)
    })
  }
}
