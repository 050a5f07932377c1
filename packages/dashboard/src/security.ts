/**
 * The dashboard's access rules (docs/dashboard.md, "Security model"): a
 * random token on every request, loopback unless told otherwise, and a
 * same-origin check on everything that changes state. Pure functions.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'
import { AnklumeError } from '@anklume/errors'

export const TOKEN_COOKIE = 'anklume_dashboard_token'

/** 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Constant-time comparison (of the digests, so lengths leak nothing either). */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(token).digest()
  return timingSafeEqual(a, b)
}

/** 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '')
  if (h === 'localhost' || h === '::1') return true
  return isIP(h) === 4 && h.startsWith('127.')
}

/** Refuses a non-loopback address unless `listen` is set and a real token protects it. */
export function checkListenAddress(host: string, opts: { listen: boolean; token: string }): void {
  if (opts.token.length < 16) {
    throw new AnklumeError(
      'ANKLUME_USAGE',
      'the dashboard token is too short (at least 16 characters)',
      'leave --token out to get a random one',
    )
  }
  if (isLoopback(host)) return
  if (!opts.listen) {
    throw new AnklumeError(
      'ANKLUME_USAGE',
      `the dashboard listens on this machine only (127.0.0.1); ${host} is reachable from the network`,
      `pass --listen to serve on ${host} anyway (anyone who has the URL with its token can see, and with --allow-actions act on, your instances); prefer an SSH tunnel: ssh -L 8080:127.0.0.1:8080`,
    )
  }
}

/** The token a request carries: `Authorization: Bearer`, the cookie, or `?token=`. */
export function tokenOf(req: {
  header(name: string): string | undefined
  query(name: string): string | undefined
}): string | undefined {
  const auth = req.header('authorization')
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim()
  const cookie = req.header('cookie')
  if (cookie) {
    for (const part of cookie.split(';')) {
      const [k, ...v] = part.trim().split('=')
      if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='))
    }
  }
  return req.query('token')
}

/**
 * A state-changing request must come from the dashboard's own page: its
 * `Origin` is the dashboard's origin (browsers always send it on POST and
 * websockets; a cross-site page cannot forge it) and `Sec-Fetch-Site`, when
 * sent, says same-origin.
 */
export function sameOrigin(
  headers: { origin?: string | undefined; host?: string | undefined; fetchSite?: string | undefined },
  allowedHosts: ReadonlySet<string> | undefined,
): boolean {
  if (!headers.origin || !headers.host) return false
  if (headers.fetchSite !== undefined && headers.fetchSite !== 'same-origin') return false
  if (headers.origin !== `http://${headers.host}`) return false
  return allowedHosts === undefined || allowedHosts.has(headers.host)
}

/** The Host headers a loopback dashboard answers (DNS rebinding guard); undefined: any (--listen). */
export function allowedHostsFor(host: string, port: number): Set<string> | undefined {
  if (!isLoopback(host)) return undefined
  const bracket = (h: string) => (h.includes(':') ? `[${h}]` : h)
  return new Set([`${bracket(host)}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`])
}
