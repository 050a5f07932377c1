/** Stable codes of the errors this package throws (the CLI maps them to exit codes). */
export type NftablesErrorCode =
  | 'ANKLUME_NFT_INVALID_NAME'
  | 'ANKLUME_NFT_INVALID_ADDRESS'
  | 'ANKLUME_NFT_UNKNOWN_TARGET'
  | 'ANKLUME_NFT_MACHINE_NO_IP'

/** An input the generator refuses (the schema normally catches these first). */
export class NftablesError extends Error {
  override readonly name = 'NftablesError'
  readonly code: NftablesErrorCode
  readonly hint: string | undefined

  constructor(code: NftablesErrorCode, message: string, hint?: string) {
    super(message)
    this.code = code
    this.hint = hint
  }
}
