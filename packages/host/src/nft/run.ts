import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Captured, capture } from '../capture.js'
import { NftError } from './errors.js'

export type NftResult = Captured

export interface RunNftOptions {
  /** The nft binary (default `nft` from PATH). */
  nft?: string
  /** Run inside a throwaway network namespace (`unshare -n`): nothing on the host changes. */
  netns?: boolean
}

/**
 * Runs nft with `args`; `input` (a ruleset) is passed as a file, because nft
 * cannot read `-f -` from the socket Node gives a child as stdin. The file
 * path replaces the `{file}` placeholder in `args`.
 */
export async function runNft(args: string[], input?: string, opts: RunNftOptions = {}): Promise<NftResult> {
  const nft = opts.nft ?? 'nft'
  let dir: string | undefined
  try {
    let argv = args
    if (input !== undefined) {
      dir = await mkdtemp(join(tmpdir(), 'anklume-nft-'))
      const file = join(dir, 'ruleset.nft')
      await writeFile(file, input, { mode: 0o600 })
      argv = args.map((a) => (a === '{file}' ? file : a))
    }
    const [cmd, full] = opts.netns ? ['unshare', ['-n', nft, ...argv]] : [nft, argv]
    try {
      return await capture(cmd as string, full as string[])
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NftError(
          'ANKLUME_NFT_MISSING',
          `${cmd} not found`,
          'install nftables (Debian: apt-get install nftables); Incus must use its nftables firewall driver',
        )
      }
      throw err
    }
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true })
  }
}

/** nft failed because the caller lacks CAP_NET_ADMIN. */
export function isPermissionError(r: NftResult): boolean {
  return /Operation not permitted|Permission denied/i.test(r.stderr)
}
