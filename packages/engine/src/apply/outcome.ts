/**
 * Whether an apply succeeded, as `anklume apply` reports it (complete vs
 * incomplete, exit 0 vs 1): every action done, and the isolation table loaded
 * unless the only reason it was not is that we are not root (said loudly,
 * with the command to run, but not a failed apply).
 */
import { isAnklumeError } from '@anklume/errors'
import type { ApplyResult } from './apply.js'

/** The table was not loaded for a reason that fails the apply (not merely missing root). */
export function nftFailed(result: Pick<ApplyResult, 'nft'>): boolean {
  return result.nft?.ok === false && !isAnklumeError(result.nft.error, 'ANKLUME_NFT_NOT_ROOT')
}

export function applySucceeded(result: Pick<ApplyResult, 'execution' | 'nft'>): boolean {
  return result.execution.ok && !nftFailed(result)
}
