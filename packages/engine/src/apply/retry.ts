/**
 * One retry loop for Incus's transient failures. Each policy says how many
 * tries, how long to wait between them, and how to judge a failure:
 * `retry` (try again), `done` (the failure left the wanted state, e.g. the
 * bridge is gone anyway) or `fail` (final). An aborted signal stops retrying.
 */
import { messageOf } from './ops-context.js'

export type Verdict = 'retry' | 'done' | 'fail'

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number
  /** Wait after failed try `attempt` (1-based), in ms. */
  delayMs: (attempt: number) => number
}

export interface RetryOptions extends RetryPolicy {
  judge: (err: unknown, attempt: number) => Verdict | Promise<Verdict>
  signal?: AbortSignal | undefined
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs `fn` (given the 1-based try number) until it succeeds, a failure is judged final or done, or tries run out. */
export async function retry(fn: (attempt: number) => Promise<unknown>, opts: RetryOptions): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fn(attempt)
      return
    } catch (err) {
      const verdict = await opts.judge(err, attempt)
      if (verdict === 'done') return
      if (verdict === 'fail' || attempt >= opts.attempts || opts.signal?.aborted) throw err
      await sleep(opts.delayMs(attempt))
    }
  }
}

/** A judge that retries failures whose message matches `pattern`; others are final. */
export const retryWhen =
  (pattern: RegExp) =>
  (err: unknown): Verdict =>
    pattern.test(messageOf(err)) ? 'retry' : 'fail'

/**
 * Incus 6.0.4 fails bridge creates and deletes now and then with "Failed to
 * delete bridge children interfaces … vethXXXX does not exist" while veths
 * come and go (about 1 in 5 on a loaded host); the same call later works.
 * While 200 containers are being created, 5 tries over 6 s were seen not to be
 * enough for the last bridge; bridges are also deleted in parallel now. Short
 * first waits (the race is usually over in a moment: a teardown's bridge
 * delete that met it went through on its next try, as an admin's re-run
 * would), then up to 12 tries over about 15 s.
 */
export const BRIDGE_CHURN: RetryPolicy = { attempts: 12, delayMs: (n) => backoff(100, 2000)(n) }

/**
 * Bridge creates get longer: on a 2-core host at load 28, a create right
 * after a prune (the kill test's apply between points) still met the veth
 * race after 6 s. 8 tries over 16.8 s; a create that keeps failing is rare,
 * so the wait costs nothing in the usual case.
 */
export const BRIDGE_CREATE: RetryPolicy = { attempts: 8, delayMs: (n) => 600 * n }

/**
 * Pushing files into a just-created container under load sometimes answers
 * 500 "dial unix /proc/self/fd/N/forkfile.sock: …": the file helper was not
 * up yet.
 */
export const FILE_PUSH: RetryPolicy = { attempts: 4, delayMs: (n) => 500 * n }
export const FORKFILE_FAILURE = /forkfile\.sock/

/** Waits doubling from `firstMs`, never longer than `maxMs`. */
export const backoff =
  (firstMs: number, maxMs: number) =>
  (attempt: number): number =>
    Math.min(maxMs, firstMs * 2 ** (attempt - 1))

/**
 * Instance state changes and deletes right after an interrupted apply or
 * flush: Incus 6.0 answers "Invalid PID" (the container's init is going
 * away or not up yet), the forkfile helper error, or "Failed to start device
 * … Failed adding bridge filter rules" for a NIC whose bridge was just
 * (re)created; the same call works a few seconds later.
 */
export const INSTANCE_CHURN: RetryPolicy = { attempts: 5, delayMs: backoff(500, 4000) }
export const INSTANCE_TRANSIENT = /Invalid PID|forkfile\.sock|Failed to start device/
