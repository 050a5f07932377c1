/**
 * The `incus` CLI's name for a remote URL: the `community.general.incus`
 * connection plugin runs `incus exec <remote>:<instance>`, so the inventory
 * needs the name the user's `incus remote add` gave to the URL anklume
 * reaches with `--remote`.
 */
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'

/** The incus CLI's config file: `$INCUS_CONF/config.yml`, else `~/.config/incus/config.yml`. */
export function incusConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.INCUS_CONF || join(homedir(), '.config', 'incus'), 'config.yml')
}

/** `https://host:8443` with the default port filled in, or undefined when it is not a URL. */
function normalise(url: string): string | undefined {
  try {
    const u = new URL(url.includes('://') ? url : `https://${url}`)
    return `${u.protocol}//${u.hostname}:${u.port || '8443'}`
  } catch {
    return undefined
  }
}

/** The name of the remote whose `addr` is `url` in the incus CLI config, or undefined. */
export async function findIncusRemote(
  url: string,
  configPath = incusConfigPath(),
): Promise<string | undefined> {
  const want = normalise(url)
  if (want === undefined) return undefined
  let doc: unknown
  try {
    doc = parse(await readFile(configPath, 'utf8'))
  } catch {
    return undefined
  }
  const remotes = (doc as { remotes?: Record<string, { addr?: unknown }> } | null)?.remotes ?? {}
  for (const [name, r] of Object.entries(remotes)) {
    if (typeof r?.addr === 'string' && normalise(r.addr) === want) return name
  }
  return undefined
}
