import { describe, expect, it } from 'vitest'
import {
  allowedHostsFor,
  checkListenAddress,
  isLoopback,
  newToken,
  sameOrigin,
  TOKEN_COOKIE,
  tokenMatches,
  tokenOf,
} from './security.js'

const req = (headers: Record<string, string>, query: Record<string, string> = {}) => ({
  header: (n: string) => headers[n],
  query: (n: string) => query[n],
})

describe('token', () => {
  it('is random, long and URL-safe', () => {
    const a = newToken()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(newToken()).not.toBe(a)
  })

  it('matches only itself', () => {
    const t = newToken()
    expect(tokenMatches(t, t)).toBe(true)
    expect(tokenMatches(`${t}x`, t)).toBe(false)
    expect(tokenMatches('', t)).toBe(false)
    expect(tokenMatches(undefined, t)).toBe(false)
  })

  it('is read from the bearer header, then the cookie, then ?token=', () => {
    expect(tokenOf(req({ authorization: 'Bearer abc' }, { token: 'q' }))).toBe('abc')
    expect(tokenOf(req({ cookie: `x=1; ${TOKEN_COOKIE}=c%2Fd; y=2` }))).toBe('c/d')
    expect(tokenOf(req({}, { token: 'q' }))).toBe('q')
    expect(tokenOf(req({ authorization: 'Basic abc' }))).toBeUndefined()
  })
})

describe('listen address', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopback(h)).toBe(true)
    for (const h of ['0.0.0.0', '10.0.0.1', '::', 'example.org', '128.0.0.1'])
      expect(isLoopback(h)).toBe(false)
  })

  it('refuses a non-loopback address without listen, and a short token anywhere', () => {
    const token = newToken()
    expect(() => checkListenAddress('127.0.0.1', { listen: false, token })).not.toThrow()
    expect(() => checkListenAddress('0.0.0.0', { listen: false, token })).toThrow(
      /reachable from the network/,
    )
    expect(() => checkListenAddress('0.0.0.0', { listen: true, token })).not.toThrow()
    expect(() => checkListenAddress('127.0.0.1', { listen: false, token: 'short' })).toThrow(/too short/)
  })
})

describe('same origin', () => {
  const hosts = allowedHostsFor('127.0.0.1', 8080)
  it('accepts the page itself', () => {
    expect(
      sameOrigin(
        { origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080', fetchSite: 'same-origin' },
        hosts,
      ),
    ).toBe(true)
    expect(sameOrigin({ origin: 'http://localhost:8080', host: 'localhost:8080' }, hosts)).toBe(true)
  })

  it('refuses other origins, a missing Origin, cross-site fetches and rebound host names', () => {
    expect(sameOrigin({ origin: 'http://evil.example', host: '127.0.0.1:8080' }, hosts)).toBe(false)
    expect(sameOrigin({ host: '127.0.0.1:8080' }, hosts)).toBe(false)
    expect(
      sameOrigin({ origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080', fetchSite: 'cross-site' }, hosts),
    ).toBe(false)
    // DNS rebinding: evil.example resolving to 127.0.0.1 has its own Host.
    expect(sameOrigin({ origin: 'http://evil.example:8080', host: 'evil.example:8080' }, hosts)).toBe(false)
  })

  it('checks no Host list when listening on the network (--listen)', () => {
    expect(allowedHostsFor('0.0.0.0', 8080)).toBeUndefined()
    expect(allowedHostsFor('::1', 80)?.has('[::1]:80')).toBe(true)
  })
})
