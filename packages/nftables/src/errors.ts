import { AnklumeError } from '@anklume/errors'

/** Stable codes of the errors this package throws (the CLI maps them to exit codes). */
export type NftablesErrorCode =
  | 'ANKLUME_NFT_INVALID_NAME'
  | 'ANKLUME_NFT_INVALID_ADDRESS'
  | 'ANKLUME_NFT_UNKNOWN_TARGET'
  | 'ANKLUME_NFT_MACHINE_NO_IP'

/** An input the generator refuses (the schema normally catches these first). */
export class NftablesError extends AnklumeError<NftablesErrorCode> {
  constructor(code: NftablesErrorCode, message: string, hint?: string) {
    super(code, message, { hint })
    this.name = 'NftablesError'
  }
}
