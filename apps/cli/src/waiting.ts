/**
 * The "waiting for Incus" line on stderr: without it a daemon that accepts
 * connections and never answers leaves anklume silent until the request
 * timeout (300 s by default, `--timeout`).
 */
import type { WaitingEvent } from '@anklume/incus-client'

/**
 * A client `onWaiting` hook printing one line per notice, at most one every
 * `minGapMs` whatever the number of requests waiting at once.
 */
export function waitingLine(
  stream: NodeJS.WriteStream = process.stderr,
  minGapMs = 4000,
): (event: WaitingEvent) => void {
  let last = Number.NEGATIVE_INFINITY
  return (e) => {
    const now = Date.now()
    if (now - last < minGapMs) return
    last = now
    const waited = Math.round(e.waitedMs / 1000)
    const limit = Math.round(e.timeoutMs / 1000)
    // On a terminal, clear apply's live status line first.
    const clear = stream.isTTY === true ? '\r\x1b[K' : ''
    stream.write(
      `${clear}waiting for Incus (${waited} s, ${e.method} ${e.path}): no answer yet, giving up after ${limit} s (--timeout)…\n`,
    )
  }
}

/** The longest `--timeout`: one day (Node timers stop at 24.8 days anyway). */
export const MAX_TIMEOUT_SECONDS = 86_400

/** `--timeout <seconds>` as the client's request timeout in ms; undefined when not given, NaN when out of range. */
export function timeoutMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const seconds = value.trim() === '' ? Number.NaN : Number(value)
  return Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS
    ? Math.round(seconds * 1000)
    : Number.NaN
}
