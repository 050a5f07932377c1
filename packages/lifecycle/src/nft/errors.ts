/** Stable codes of the nftables I/O side. */
export type NftErrorCode =
  | 'ANKLUME_NFT_MISSING'
  | 'ANKLUME_NFT_NOT_ROOT'
  | 'ANKLUME_NFT_CHECK_FAILED'
  | 'ANKLUME_NFT_LOAD_FAILED'
  | 'ANKLUME_NFT_LIST_FAILED'
  | 'ANKLUME_NFT_FIREWALL_DRIVER'
  | 'INCUS_UNREACHABLE'

export class NftError extends Error {
  override readonly name = 'NftError'
  readonly code: NftErrorCode
  readonly hint: string | undefined
  /** What nft printed on stderr, when it ran. */
  readonly stderr: string | undefined

  constructor(code: NftErrorCode, message: string, hint?: string, stderr?: string) {
    super(message)
    this.code = code
    this.hint = hint
    this.stderr = stderr
  }
}
