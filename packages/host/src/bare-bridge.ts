/**
 * Removes a bridge interface that Incus left half-made: a create killed with
 * its client leaves a `Pending` network record and, at times, the bridge
 * itself, which no API call removes (deleting a `Pending` record only drops
 * the database row, and a new create then fails with "Network interface …
 * already exists"). Only an unused bridge is removed: one with no port
 * attached (nothing plugged in), checked in sysfs right before `ip link
 * delete`. Needs CAP_NET_ADMIN (root).
 */
import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

export type BareBridgeResult =
  /** There was no interface of that name. */
  | 'absent'
  /** It was an unused bridge and is gone. */
  | 'removed'
  /** Not a bridge, or something is plugged into it: left alone. */
  | 'kept'

/** Where the kernel shows interfaces (tests point it elsewhere). */
export interface BareBridgeOptions {
  sysClassNet?: string
  /** Runs `ip link delete <name> type bridge` (tests replace it). */
  deleteLink?: (name: string) => Promise<void>
  /** Where processes are listed (default /proc; tests point it elsewhere). */
  procDir?: string
  /** Sends SIGTERM to a pid (tests replace it). */
  kill?: (pid: number) => void
}

const run = promisify(execFile)
const ipLinkDelete = async (name: string) => {
  await run('ip', ['link', 'delete', name, 'type', 'bridge'])
}

async function entries(dir: string): Promise<string[] | undefined> {
  return readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined
    throw e
  })
}

/**
 * Stops the dnsmasq Incus started for a half-made bridge: it outlives the
 * interface and keeps the gateway address bound, so every later create of
 * that bridge fails with "dnsmasq: failed to create listening socket for
 * <gateway>: Address already in use". Only a dnsmasq serving exactly this
 * interface (`--interface=<name>`) is stopped. Returns the pids signalled.
 */
export async function stopOrphanDnsmasq(name: string, opts: BareBridgeOptions = {}): Promise<number[]> {
  const proc = opts.procDir ?? '/proc'
  const stopped: number[] = []
  for (const entry of (await entries(proc)) ?? []) {
    if (!/^\d+$/.test(entry)) continue
    const cmdline = await readFile(join(proc, entry, 'cmdline'), 'utf8').catch(() => '')
    const args = cmdline.split('\0')
    if (!args[0]?.endsWith('dnsmasq') || !args.includes(`--interface=${name}`)) continue
    const pid = Number(entry)
    try {
      ;(opts.kill ?? ((p: number) => process.kill(p, 'SIGTERM')))(pid)
      stopped.push(pid)
    } catch {
      // gone meanwhile
    }
  }
  return stopped
}

export async function removeBareBridge(
  name: string,
  opts: BareBridgeOptions = {},
): Promise<BareBridgeResult> {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(name)) return 'kept'
  const base = join(opts.sysClassNet ?? '/sys/class/net', name)
  if ((await entries(base)) === undefined) {
    await stopOrphanDnsmasq(name, opts)
    return 'absent'
  }
  const ports = await entries(join(base, 'brif'))
  if (ports === undefined || ports.length > 0) return 'kept'
  await (opts.deleteLink ?? ipLinkDelete)(name)
  await stopOrphanDnsmasq(name, opts)
  return 'removed'
}
