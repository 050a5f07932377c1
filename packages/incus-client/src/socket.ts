import { existsSync } from 'node:fs'

/**
 * Where the local daemon listens: `$INCUS_SOCKET`, else
 * `$INCUS_DIR/unix.socket`, else `/run/incus/unix.socket` when present, else
 * `/var/lib/incus/unix.socket` (the order the `incus` CLI uses).
 */
export function resolveSocketPath(
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
): string {
  if (env.INCUS_SOCKET) return env.INCUS_SOCKET
  if (env.INCUS_DIR) return `${env.INCUS_DIR.replace(/\/+$/, '')}/unix.socket`
  if (exists('/run/incus/unix.socket')) return '/run/incus/unix.socket'
  return '/var/lib/incus/unix.socket'
}
