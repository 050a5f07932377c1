import { describe, expect, it } from 'vitest'
import { resolveSocketPath } from './socket.js'
import { classifyTransportError } from './transport-errors.js'

describe('resolveSocketPath', () => {
  const none = () => false
  it('prefers $INCUS_SOCKET, then $INCUS_DIR/unix.socket', () => {
    expect(resolveSocketPath({ INCUS_SOCKET: '/a.sock', INCUS_DIR: '/d' }, none)).toBe('/a.sock')
    expect(resolveSocketPath({ INCUS_DIR: '/srv/incus/' }, none)).toBe('/srv/incus/unix.socket')
  })

  it('uses /run/incus/unix.socket when present, else /var/lib/incus/unix.socket', () => {
    expect(resolveSocketPath({}, (p) => p === '/run/incus/unix.socket')).toBe('/run/incus/unix.socket')
    expect(resolveSocketPath({}, none)).toBe('/var/lib/incus/unix.socket')
  })
})

describe('transport errors', () => {
  const req = { method: 'GET', path: '/1.0', target: '/var/lib/incus/unix.socket' }
  const err = (code: string) => Object.assign(new Error(`connect ${code}`), { code })

  it('gives a permission hint for EACCES, naming the socket', () => {
    const { error, retryable } = classifyTransportError(err('EACCES'), req)
    expect(error.code).toBe('INCUS_UNREACHABLE')
    expect(error.hint).toMatch(/Permission denied on \/var\/lib\/incus\/unix\.socket.*incus-admin/)
    expect(retryable).toBe(false)
  })

  it('marks resets and refusals retryable, timeouts as INCUS_TIMEOUT', () => {
    expect(classifyTransportError(err('ECONNRESET'), req).retryable).toBe(true)
    expect(classifyTransportError(err('ECONNREFUSED'), req).retryable).toBe(true)
    expect(classifyTransportError(err('UND_ERR_HEADERS_TIMEOUT'), req).error.code).toBe('INCUS_TIMEOUT')
  })

  it('finds the code on a wrapped cause', () => {
    const wrapped = Object.assign(new Error('fetch failed'), { cause: err('ENOENT') })
    expect(classifyTransportError(wrapped, req).error.hint).toMatch(/does not exist/)
  })
})
