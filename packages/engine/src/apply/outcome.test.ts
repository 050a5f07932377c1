import { AnklumeError, type AnklumeErrorCode } from '@anklume/errors'
import { describe, expect, it } from 'vitest'
import type { ApplyResult } from './apply.js'
import { applySucceeded, nftFailed } from './outcome.js'

const execution = (ok: boolean) => ({ ok }) as ApplyResult['execution']
const nftError = (code: AnklumeErrorCode) => ({ ok: false as const, error: new AnklumeError(code, 'x') })

describe('apply outcome', () => {
  it('fails on a failed action, whatever the table', () => {
    expect(applySucceeded({ execution: execution(false), nft: undefined })).toBe(false)
  })

  it('does not count a table left unloaded for lack of root as a failure', () => {
    const result = { execution: execution(true), nft: nftError('ANKLUME_NFT_NOT_ROOT') }
    expect(nftFailed(result)).toBe(false)
    expect(applySucceeded(result)).toBe(true)
  })

  it('counts any other table failure, and nothing when nft was skipped or loaded', () => {
    const failed = { execution: execution(true), nft: nftError('ANKLUME_NFT_CHECK_FAILED') }
    expect(nftFailed(failed)).toBe(true)
    expect(applySucceeded(failed)).toBe(false)
    expect(applySucceeded({ execution: execution(true), nft: undefined })).toBe(true)
    const loaded = { ok: true as const, result: { table: 'anklume', warnings: [], unchanged: true } }
    expect(applySucceeded({ execution: execution(true), nft: loaded })).toBe(true)
  })
})
