import pMap from 'p-map'
/** Progress events and per-image outcomes shared by pull, export and import. */

export type ImageStatus = 'cached' | 'pulled' | 'exported' | 'imported' | 'present' | 'failed'

export interface ImageOutcome {
  /** The `os_image` string, or the fingerprint (export --all, import). */
  image: string
  status: ImageStatus
  fingerprint?: string
  /** Aliases created or already there. */
  aliases?: string[]
  /** Something worth saying that is not a failure (an alias left pointing elsewhere). */
  note?: string
  /** One line naming the image, when failed. */
  error?: string
}

export type ImageEvent = { type: 'start'; image: string } | ({ type: 'done' } & ImageOutcome)

export interface ImageRunOptions {
  /** Images handled at once (default 4). */
  concurrency?: number
  onEvent?: (event: ImageEvent) => void
  signal?: AbortSignal
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the input order in the result. */
export function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  return pMap(items, work, { concurrency: Math.max(1, limit) })
}

/** Incus's own message when there is one, else the error's. */
export function reason(err: unknown): string {
  const e = err as { serverMessage?: string; message?: string }
  return e.serverMessage || e.message || String(err)
}
