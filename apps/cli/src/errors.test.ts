import { ResourcePolicyError } from '@anklume/engine'
import { AnklumeError, isAnklumeError } from '@anklume/errors'
import { LockError, NftError } from '@anklume/host'
import { IncusError } from '@anklume/incus-client'
import { NftablesError } from '@anklume/nftables'
import { SchemaError } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { CliError, EXIT_FAILURE, EXIT_INVALID, exitCodeFor, renderError } from './errors.js'

const schemaIssue = {
  severity: 'error' as const,
  code: 'UNKNOWN_KEY',
  path: 'domains',
  file: 'infra.yml',
  line: 3,
  col: 1,
  message: 'unknown key',
}

describe('the error family at the top of the CLI', () => {
  it('every package error is an AnklumeError with its own name and data', () => {
    const family = [
      [new SchemaError([schemaIssue]), 'SchemaError', 'ANKLUME_SCHEMA_INVALID'],
      [new IncusError('INCUS_NOT_FOUND', 'gone', { status: 404 }), 'IncusError', 'INCUS_NOT_FOUND'],
      [
        new NftablesError('ANKLUME_NFT_INVALID_NAME', 'bad name'),
        'NftablesError',
        'ANKLUME_NFT_INVALID_NAME',
      ],
      [
        new NftError('ANKLUME_NFT_LOAD_FAILED', 'nft -f', undefined, 'oops'),
        'NftError',
        'ANKLUME_NFT_LOAD_FAILED',
      ],
      [new LockError('/run/x.lock', 7), 'LockError', 'ANKLUME_LOCKED'],
      [new ResourcePolicyError(['cpu']), 'ResourcePolicyError', 'ANKLUME_RESOURCE_OVERCOMMIT'],
      [new CliError('ANKLUME_USAGE', 'bad'), 'CliError', 'ANKLUME_USAGE'],
    ] as const
    for (const [err, name, code] of family) {
      expect(err).toBeInstanceOf(AnklumeError)
      expect([err.name, err.code, isAnklumeError(err, code)]).toEqual([name, code, true])
    }
    expect(new LockError('/run/x.lock', 7).pid).toBe(7)
    expect(new NftError('ANKLUME_NFT_LOAD_FAILED', 'nft -f', undefined, 'oops').stderr).toBe('oops')
  })

  it('maps invalid input to exit 2 and everything else to 1', () => {
    expect(exitCodeFor(new SchemaError([schemaIssue]))).toBe(EXIT_INVALID)
    expect(exitCodeFor(new CliError('ANKLUME_USAGE', 'bad'))).toBe(EXIT_INVALID)
    expect(exitCodeFor(new ResourcePolicyError(['cpu']))).toBe(EXIT_INVALID)
    expect(exitCodeFor(new AnklumeError('ANKLUME_MIGRATE_INVALID', 'x'))).toBe(EXIT_INVALID)
    expect(exitCodeFor(new LockError('/run/x.lock', 7))).toBe(EXIT_FAILURE)
    expect(exitCodeFor(new IncusError('INCUS_UNREACHABLE', 'no socket'))).toBe(EXIT_FAILURE)
    expect(exitCodeFor(new AnklumeError('ANKLUME_IMAGES_BAD_INDEX', 'x'))).toBe(EXIT_FAILURE)
    expect(exitCodeFor(Object.assign(new Error('duck'), { code: 'ANKLUME_USAGE' }))).toBe(EXIT_FAILURE)
    expect(exitCodeFor(new Error('plain'))).toBe(EXIT_FAILURE)
    expect(exitCodeFor('a string')).toBe(EXIT_FAILURE)
  })

  it('renders one line, the hint, and the stack only when verbose', () => {
    const e = new LockError('unix:/var/lib/incus/unix.socket', 7)
    expect(renderError(e, false)).toBe(
      'error [ANKLUME_LOCKED]: another anklume run (pid 7) is changing unix:/var/lib/incus/unix.socket\n' +
        '  hint: wait for it to finish: the lock goes with its process, even when that process is killed',
    )
    expect(renderError(e, true)).toContain('\nLockError: another anklume run')
    expect(renderError(new CliError('ANKLUME_USAGE', 'bad'), false)).toBe('error [ANKLUME_USAGE]: bad')
  })

  it('shows a system error’s own code, and nothing for a bare error', () => {
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' })
    expect(renderError(enoent, false)).toBe('error [ENOENT]: ENOENT: no such file')
    expect(renderError(new Error('boom'), false)).toBe('error: boom')
    expect(renderError('text', false)).toBe('error: text')
  })

  it('escapes control characters from Incus or a file; the lines of a message stay lines', () => {
    const e = new IncusError('INCUS_API_ERROR', 'Failed: \u001b[2J\rgone\u202e', { status: 500 })
    expect(renderError(e, false)).toBe('error [INCUS_API_ERROR]: Failed: \\u001b[2J\\rgone\\u202e')
    expect(renderError(new Error('two\nlines\u0007'), false)).toBe('error: two\nlines\\u0007')
  })
})
