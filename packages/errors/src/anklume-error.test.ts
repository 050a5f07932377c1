import { describe, expect, expectTypeOf, it } from 'vitest'
import { AnklumeError, errorCode, isAnklumeError } from './anklume-error.js'

class WithPid extends AnklumeError<'ANKLUME_LOCKED'> {
  readonly pid: number
  constructor(pid: number) {
    super('ANKLUME_LOCKED', `held by ${pid}`, { hint: 'wait' })
    this.name = 'WithPid'
    this.pid = pid
  }
}

describe('AnklumeError', () => {
  it('carries code, message, hint and cause; the hint may be given alone', () => {
    const cause = new Error('root')
    const e = new AnklumeError('INCUS_TIMEOUT', 'too slow', { hint: 'retry', cause })
    expect([e.name, e.code, e.message, e.hint, e.cause]).toEqual([
      'AnklumeError',
      'INCUS_TIMEOUT',
      'too slow',
      'retry',
      cause,
    ])
    expect(e).toBeInstanceOf(Error)
    const short = new AnklumeError('ANKLUME_USAGE', 'bad', 'say it right')
    expect([short.hint, 'cause' in short]).toEqual(['say it right', false])
    expect(new AnklumeError('ANKLUME_USAGE', 'bad').hint).toBeUndefined()
  })

  it('subclasses keep their name and data and are anklume errors', () => {
    const e = new WithPid(42)
    expect([e.name, e.code, e.pid, e.hint]).toEqual(['WithPid', 'ANKLUME_LOCKED', 42, 'wait'])
    expect(e).toBeInstanceOf(AnklumeError)
    expect(isAnklumeError(e, 'ANKLUME_LOCKED')).toBe(true)
    expect(new AnklumeError('ANKLUME_LOCKED', 'x') instanceof WithPid).toBe(false)
    expect(String(e)).toBe('WithPid: held by 42')
  })

  it('recognises an error of another copy of the package by its brand, as undici does', () => {
    const foreign = Object.assign(new Error('gone'), {
      code: 'INCUS_NOT_FOUND',
      [Symbol.for('anklume.error')]: true,
    })
    expect(foreign instanceof AnklumeError).toBe(true)
    expect(isAnklumeError(foreign, 'INCUS_NOT_FOUND')).toBe(true)
    expect(foreign instanceof WithPid).toBe(false)
  })
})

describe('isAnklumeError', () => {
  it('matches by code, by any of several codes, or by family only', () => {
    const e: unknown = new AnklumeError('INCUS_NOT_FOUND', 'no such thing')
    expect(isAnklumeError(e)).toBe(true)
    expect(isAnklumeError(e, 'INCUS_NOT_FOUND')).toBe(true)
    expect(isAnklumeError(e, 'INCUS_CONFLICT')).toBe(false)
    expect(isAnklumeError(e, ['INCUS_CONFLICT', 'INCUS_NOT_FOUND'])).toBe(true)
    expect(isAnklumeError(e, [])).toBe(false)
  })

  it('never duck-types: a plain error with a matching code is not one', () => {
    const duck = Object.assign(new Error('gone'), { code: 'INCUS_NOT_FOUND', hint: 'h' })
    for (const x of [duck, { code: 'INCUS_NOT_FOUND' }, null, undefined, 'INCUS_NOT_FOUND']) {
      expect(isAnklumeError(x)).toBe(false)
      expect(errorCode(x)).toBeUndefined()
    }
  })

  it('narrows the code to the ones asked for', () => {
    const e: unknown = new AnklumeError('ANKLUME_NFT_MISSING', 'no nft')
    if (isAnklumeError(e, ['ANKLUME_NFT_MISSING', 'ANKLUME_NFT_NOT_ROOT'])) {
      expectTypeOf(e.code).toEqualTypeOf<'ANKLUME_NFT_MISSING' | 'ANKLUME_NFT_NOT_ROOT'>()
      expect(e.code).toBe('ANKLUME_NFT_MISSING')
    }
    expect(errorCode(e)).toBe('ANKLUME_NFT_MISSING')
  })
})
