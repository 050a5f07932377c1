/** Snapshot names and dates. */

const pad = (n: number) => String(n).padStart(2, '0')

/** `snap-YYYYMMDD-HHMMSS`, in UTC. */
export function defaultSnapshotName(now: Date = new Date()): string {
  const d = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`
  const t = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`
  return `snap-${d}-${t}`
}

/** Incus reports "no expiry" as the zero time (`0001-01-01T00:00:00Z`): undefined then. */
export function expiryOf(expiresAt: string | undefined): string | undefined {
  if (!expiresAt || expiresAt.startsWith('0001-01-01')) return undefined
  return expiresAt
}
