/**
 * `startDashboard()`: the local web server (hono on Node) behind
 * `anklume dashboard`. Routes: the page and its assets, `GET /api/state`,
 * `GET /api/events` (server-sent events: the state after every change),
 * `POST /api/instances/:project/:instance/:action` and the terminal
 * websocket `GET /api/terminal/:project/:instance`. Every request needs the
 * token; actions and the terminal need `allowActions` and the page's origin.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AnklumeError } from '@anklume/errors'
import type { IncusClient, Terminal } from '@anklume/incus-client'
import type { Infra } from '@anklume/schema'
import { serve } from '@hono/node-server'
import { createNodeWebSocket } from '@hono/node-ws'
import { type Context, Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { ActionRefused, isMachineAction, managedInstance, runAction } from './actions.js'
import { LiveState } from './live.js'
import {
  allowedHostsFor,
  checkListenAddress,
  newToken,
  sameOrigin,
  TOKEN_COOKIE,
  tokenMatches,
  tokenOf,
} from './security.js'

export interface DashboardOptions {
  client: IncusClient
  infra: Infra
  /** Nesting level of the names (1 when not nested). */
  level?: number
  /** Address to listen on (default 127.0.0.1). */
  host?: string
  /** Port (default 0: a free one). */
  port?: number
  /** Access token (default: 32 random bytes). */
  token?: string
  /** Allow a non-loopback `host`. */
  listen?: boolean
  /** Enable the actions and the terminal (default false: read-only). */
  allowActions?: boolean
  /** Milliseconds between CPU/memory re-reads while a page is open (default 5000, 0: never). */
  metricsIntervalMs?: number
  /** The built front end (default: the package's `dist/web`). */
  webDir?: string
  /** Command the terminal runs in a machine (default: bash if present, else sh). */
  shell?: string[]
  onError?: (e: unknown) => void
}

export interface Dashboard {
  /** The URL to open, token included. */
  url: string
  /** `http://host:port`. */
  origin: string
  token: string
  port: number
  host: string
  allowActions: boolean
  /** Re-observes now; resolves once the page has the new state. */
  refresh(): Promise<void>
  close(): Promise<void>
}

const DEFAULT_SHELL = [
  '/bin/sh',
  '-c',
  'if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi',
]

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

/** Where the built page is: next to this file once built, else the package's dist/web (source runs). */
export function defaultWebDir(): string {
  const candidates = [new URL('./web/', import.meta.url), new URL('../dist/web/', import.meta.url)]
  for (const c of candidates) {
    const dir = fileURLToPath(c)
    if (existsSync(join(dir, 'index.html'))) return dir
  }
  throw new AnklumeError(
    'ANKLUME_FILE_NOT_FOUND',
    'the dashboard page is not built (no dist/web/index.html in @anklume/dashboard)',
    'run `pnpm build` in the anklume checkout',
  )
}

/** Every file of the built page, read once (nothing outside it can be served). */
function loadAssets(dir: string): Map<string, { body: Buffer; type: string }> {
  const files = new Map<string, { body: Buffer; type: string }>()
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name)
      if (statSync(full).isDirectory()) walk(full)
      else {
        const path = `/${relative(dir, full).split(sep).join('/')}`
        files.set(path, {
          body: readFileSync(full),
          type: TYPES[extname(name)] ?? 'application/octet-stream',
        })
      }
    }
  }
  walk(dir)
  return files
}

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
}

export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const host = opts.host ?? '127.0.0.1'
  const token = opts.token ?? newToken()
  checkListenAddress(host, { listen: opts.listen === true, token })
  const level = opts.level ?? 1
  const allowActions = opts.allowActions === true
  const { client, infra } = opts
  const assets = loadAssets(opts.webDir ?? defaultWebDir())
  const live = new LiveState(client, infra, {
    level,
    metricsIntervalMs: opts.metricsIntervalMs,
    onError: opts.onError,
  })
  await live.start()

  let allowedHosts: Set<string> | undefined
  const app = new Hono()
  const { injectWebSocket, upgradeWebSocket } = createNodeWebSocket({ app })

  const json = (c: Context, status: number, body: unknown) =>
    c.body(JSON.stringify(body), status as 200, { 'content-type': 'application/json' })

  // Every request: known Host (DNS rebinding), then the token.
  app.use('*', async (c, next) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v)
    const reqHost = c.req.header('host')
    if (allowedHosts && (!reqHost || !allowedHosts.has(reqHost))) {
      return json(c, 403, { error: `unexpected Host header ${JSON.stringify(reqHost ?? '')}` })
    }
    if (!tokenMatches(tokenOf({ header: (n) => c.req.header(n), query: (n) => c.req.query(n) }), token)) {
      return json(c, 401, {
        error: 'missing or wrong token: open the URL `anklume dashboard` printed (it ends with ?token=…)',
      })
    }
    await next()
  })

  // Actions and the terminal: enabled, and from the page itself.
  const guardAction = (c: Context): Response | undefined => {
    if (!allowActions) {
      return json(c, 403, { error: 'the dashboard is read-only: restart it with --allow-actions' })
    }
    const ok = sameOrigin(
      {
        origin: c.req.header('origin'),
        host: c.req.header('host'),
        fetchSite: c.req.header('sec-fetch-site'),
      },
      allowedHosts,
    )
    if (!ok) return json(c, 403, { error: 'cross-origin request refused (Origin must be the dashboard)' })
    return undefined
  }

  app.get('/', (c) => {
    // First visit with ?token=: keep it in a cookie and drop it from the address bar.
    if (c.req.query('token') !== undefined) {
      c.header(
        'set-cookie',
        `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`,
      )
      return c.redirect('/', 303)
    }
    const page = assets.get('/index.html')
    return c.body(new Uint8Array(page?.body ?? Buffer.from('')), 200, {
      'content-type': TYPES['.html'] as string,
    })
  })

  app.get('/api/state', (c) => {
    const s = live.snapshot
    return json(c, s ? 200 : 503, s ? { ...s, allowActions } : { error: 'not observed yet' })
  })

  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      let id = 0
      const queue: string[] = []
      let wake: (() => void) | undefined
      const off = live.subscribe((s) => {
        queue.splice(0, queue.length, JSON.stringify({ ...s, allowActions }))
        wake?.()
      })
      stream.onAbort(() => {
        off()
        wake?.()
      })
      while (!stream.aborted) {
        const next = queue.shift()
        if (next !== undefined) await stream.writeSSE({ event: 'state', data: next, id: String(++id) })
        else await new Promise<void>((r) => (wake = r))
      }
      off()
    }),
  )

  app.post('/api/instances/:project/:instance/:action', async (c) => {
    const refused = guardAction(c)
    if (refused) return refused
    const { project, instance, action } = c.req.param()
    if (!isMachineAction(action)) return json(c, 400, { error: `unknown action ${action}` })
    let snapshot: string | undefined
    if (c.req.header('content-type')?.startsWith('application/json')) {
      const body = (await c.req.json().catch(() => ({}))) as { snapshot?: unknown }
      if (typeof body.snapshot === 'string' && body.snapshot !== '') snapshot = body.snapshot
    }
    try {
      const result = await runAction(client, infra, level, {
        project,
        instance,
        action,
        ...(snapshot !== undefined ? { snapshot } : {}),
      })
      // The event stream refreshes the page too; this covers an Incus that sends none.
      void live.refresh()
      return json(c, 200, result)
    } catch (e) {
      if (e instanceof ActionRefused) return json(c, e.status, { error: e.message })
      const hint =
        e instanceof AnklumeError || (e as { hint?: string }).hint ? (e as { hint?: string }).hint : undefined
      return json(c, 409, { error: (e as Error).message, ...(hint ? { hint } : {}) })
    }
  })

  app.get(
    '/api/terminal/:project/:instance',
    async (c, next) => {
      const refused = guardAction(c)
      if (refused) return refused
      const { project, instance } = c.req.param()
      try {
        await managedInstance(client, infra, level, project, instance)
      } catch (e) {
        if (e instanceof ActionRefused) return json(c, e.status, { error: e.message })
        throw e
      }
      await next()
    },
    upgradeWebSocket((c) => {
      const { project, instance } = c.req.param() as { project: string; instance: string }
      const cols = Number(c.req.query('cols') ?? 80)
      const rows = Number(c.req.query('rows') ?? 24)
      let term: Terminal | undefined
      let gone = false
      return {
        onOpen(_evt, ws) {
          client
            .terminal(instance, opts.shell ?? DEFAULT_SHELL, {
              project,
              width: Number.isFinite(cols) && cols > 0 ? cols : 80,
              height: Number.isFinite(rows) && rows > 0 ? rows : 24,
            })
            .then((t) => {
              term = t
              if (gone) return t.close()
              t.onData((chunk) => ws.send(new Uint8Array(chunk)))
              void t.exit.then((code) => {
                ws.send(JSON.stringify({ type: 'exit', code }))
                ws.close(1000, 'exited')
              })
            })
            .catch((e: unknown) => {
              ws.send(JSON.stringify({ type: 'error', message: (e as Error).message }))
              ws.close(1011, 'terminal failed')
            })
        },
        onMessage(evt) {
          if (typeof evt.data !== 'string') return
          try {
            const msg = JSON.parse(evt.data) as { type?: string; data?: string; cols?: number; rows?: number }
            if (msg.type === 'input' && typeof msg.data === 'string') term?.write(msg.data)
            else if (msg.type === 'resize' && msg.cols && msg.rows) term?.resize(msg.cols, msg.rows)
          } catch {
            // Not a message of the page: ignored.
          }
        },
        onClose() {
          gone = true
          term?.close()
        },
      }
    }),
  )

  app.get('/*', (c) => {
    const file = assets.get(c.req.path)
    if (!file) return json(c, 404, { error: 'not found' })
    return c.body(new Uint8Array(file.body), 200, { 'content-type': file.type })
  })

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: opts.port ?? 0 }, () =>
      resolve(s as Server),
    ) as Server
    s.once('error', reject)
  }).catch((e: NodeJS.ErrnoException) => {
    live.close()
    throw new AnklumeError(
      'ANKLUME_USAGE',
      `cannot listen on ${host}:${opts.port ?? 0}: ${e.code ?? e.message}`,
      e.code === 'EADDRINUSE' ? 'choose another --port, or leave it out for a free one' : undefined,
    )
  })
  injectWebSocket(server)
  const port = (server.address() as AddressInfo).port
  allowedHosts = allowedHostsFor(host, port)
  const shown = host.includes(':') ? `[${host}]` : host
  const origin = `http://${shown}:${port}`
  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    token,
    port,
    host,
    allowActions,
    refresh: () => live.refresh(),
    close: async () => {
      live.close()
      server.closeAllConnections?.()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
