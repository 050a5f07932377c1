/**
 * Runs the real `nft` (1.0.6 here) inside a throwaway network namespace
 * (`unshare -n`), so checking or even loading a generated table never
 * touches the host's firewall.
 */
import { spawnSync } from 'node:child_process'

export interface NftRun {
  status: number
  stdout: string
  stderr: string
}

/** Runs `script` with the ruleset in "$F" (nft cannot read a socket as /dev/stdin). */
function run(script: string, input: string): NftRun {
  const wrapped = `F=$(mktemp); trap 'rm -f "$F"' EXIT; cat > "$F"; ${script}`
  const r = spawnSync('unshare', ['-n', 'sh', '-c', wrapped], { input, encoding: 'utf8', timeout: 30_000 })
  if (r.error) throw r.error
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** `nft -c -f` (text) or `nft -j -c -f` (JSON) in a fresh namespace. */
export function nftCheck(ruleset: string | object): NftRun {
  const json = typeof ruleset !== 'string'
  return run(`nft ${json ? '-j ' : ''}-c -f "$F"`, json ? JSON.stringify(ruleset) : ruleset)
}

/** Loads the ruleset in a fresh namespace and returns `nft -j list table inet <table>`. */
export function nftLoadAndList(ruleset: string | object, table: string): NftRun {
  const json = typeof ruleset !== 'string'
  return run(
    `nft ${json ? '-j ' : ''}-f "$F" && nft -j list table inet ${table}`,
    json ? JSON.stringify(ruleset) : ruleset,
  )
}

/** Runs nft on the HOST (integration tests only: they load a per-run table and delete it). */
export function nftHost(args: string[], input?: string): NftRun {
  const script =
    input === undefined
      ? `nft ${args.join(' ')}`
      : `F=$(mktemp); trap 'rm -f "$F"' EXIT; cat > "$F"; nft ${args.join(' ')} -f "$F"`
  const r = spawnSync('sh', ['-c', script], { input: input ?? '', encoding: 'utf8', timeout: 30_000 })
  if (r.error) throw r.error
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** Loads nft text (possibly several tables) in a fresh namespace and returns `nft -j list ruleset`. */
export function nftLoadAndListRuleset(text: string): NftRun {
  return run('nft -f "$F" && nft -j list ruleset', text)
}
