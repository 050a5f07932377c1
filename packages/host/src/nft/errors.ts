import { AnklumeError } from '@anklume/errors'

/** Stable codes of the nftables I/O side. */
export type NftErrorCode =
  | 'ANKLUME_NFT_MISSING'
  | 'ANKLUME_NFT_NOT_ROOT'
  | 'ANKLUME_NFT_CHECK_FAILED'
  | 'ANKLUME_NFT_LOAD_FAILED'
  | 'ANKLUME_NFT_LIST_FAILED'
  | 'ANKLUME_NFT_FIREWALL_DRIVER'

export class NftError extends AnklumeError<NftErrorCode> {
  /** What nft printed on stderr, when it ran. */
  readonly stderr: string | undefined

  constructor(code: NftErrorCode, message: string, hint?: string, stderr?: string) {
    super(code, message, { hint })
    this.name = 'NftError'
    this.stderr = stderr
  }
}
