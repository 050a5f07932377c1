import { NftError } from './errors.js'
import { isPermissionError, type RunNftOptions, runNft } from './run.js'

/** libnftables JSON as `nft -j` prints it. */
export interface NftListing {
  nftables: Array<Record<string, unknown>>
}

function notRoot(what: string, command: string): NftError {
  return new NftError(
    'ANKLUME_NFT_NOT_ROOT',
    `${what} needs root (CAP_NET_ADMIN)`,
    `run it as root, e.g.: sudo ${command}`,
  )
}

/** `nft -c -f`: the kernel validates the whole transaction without applying it. */
export async function checkRuleset(text: string, opts: RunNftOptions = {}): Promise<void> {
  const r = await runNft(['-c', '-f', '{file}'], text, opts)
  if (r.status === 0) return
  if (isPermissionError(r)) throw notRoot('checking the nftables ruleset', 'anklume nft apply')
  throw new NftError(
    'ANKLUME_NFT_CHECK_FAILED',
    `nft -c rejected the ruleset:\n${r.stderr.trim()}`,
    undefined,
    r.stderr,
  )
}

/** `nft -f`: loads the ruleset (one atomic transaction). */
export async function loadRuleset(text: string, opts: RunNftOptions = {}): Promise<void> {
  const r = await runNft(['-f', '{file}'], text, opts)
  if (r.status === 0) return
  if (isPermissionError(r)) throw notRoot('loading the nftables table', 'anklume nft apply')
  throw new NftError('ANKLUME_NFT_LOAD_FAILED', `nft -f failed:\n${r.stderr.trim()}`, undefined, r.stderr)
}

/** `nft -j list table inet <table>`, or undefined when the table does not exist. */
export async function listTable(table: string, opts: RunNftOptions = {}): Promise<NftListing | undefined> {
  const r = await runNft(['-j', 'list', 'table', 'inet', table], undefined, opts)
  if (r.status === 0) return JSON.parse(r.stdout) as NftListing
  if (/No such file or directory/.test(r.stderr)) return undefined
  if (isPermissionError(r)) throw notRoot('reading the nftables table', 'anklume nft diff')
  throw new NftError('ANKLUME_NFT_LIST_FAILED', `nft list table inet ${table} failed: ${r.stderr.trim()}`)
}

/** `nft -j list ruleset` (every table), for the host checks. */
export async function listRuleset(opts: RunNftOptions = {}): Promise<NftListing> {
  const r = await runNft(['-j', 'list', 'ruleset'], undefined, opts)
  if (r.status === 0) return JSON.parse(r.stdout || '{"nftables":[]}') as NftListing
  if (isPermissionError(r)) throw notRoot('reading the nftables ruleset', 'anklume nft apply')
  throw new NftError('ANKLUME_NFT_LIST_FAILED', `nft list ruleset failed: ${r.stderr.trim()}`)
}

/** Deletes `inet <table>`; true when it existed. */
export async function deleteTable(table: string, opts: RunNftOptions = {}): Promise<boolean> {
  const r = await runNft(['delete', 'table', 'inet', table], undefined, opts)
  if (r.status === 0) return true
  if (/No such file or directory/.test(r.stderr)) return false
  if (isPermissionError(r)) throw notRoot('deleting the nftables table', `nft delete table inet ${table}`)
  throw new NftError('ANKLUME_NFT_LOAD_FAILED', `nft delete table inet ${table} failed: ${r.stderr.trim()}`)
}
