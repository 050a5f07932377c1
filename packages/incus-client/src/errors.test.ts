import { describe, expect, it } from 'vitest'
import { errorFromResponse, IncusError, isIncusError } from './errors.js'

describe('IncusError', () => {
  it('is an Error with a stable code and the server details', () => {
    const err = errorFromResponse(404, 'Instance not found', { method: 'GET', path: '/1.0/instances/x' })
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('IncusError')
    expect(isIncusError(err)).toBe(true)
    expect(isIncusError(err, 'INCUS_NOT_FOUND')).toBe(true)
    expect(isIncusError(err, 'INCUS_CONFLICT')).toBe(false)
    expect(isIncusError(new Error('x'))).toBe(false)
    expect(err.message).toBe('Instance not found (GET /1.0/instances/x)')
  })

  it('serialises to plain data without a stack', () => {
    const err = errorFromResponse(412, "ETag doesn't match", { method: 'PUT', path: '/1.0/projects/p' })
    const json = JSON.parse(JSON.stringify(err))
    expect(json).toEqual({
      code: 'INCUS_CONFLICT',
      message: "ETag doesn't match (PUT /1.0/projects/p)",
      status: 412,
      serverMessage: "ETag doesn't match",
      hint: 'The object changed since it was read: read it again (with its new ETag) and retry.',
      method: 'PUT',
      path: '/1.0/projects/p',
    })
  })

  it('keeps the cause', () => {
    const cause = new Error('socket hang up')
    expect(new IncusError('INCUS_UNREACHABLE', 'x', { cause }).cause).toBe(cause)
  })
})
