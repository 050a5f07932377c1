import { describe, expect, it } from 'vitest'
import {
  BRIDGE_CHURN,
  BRIDGE_CREATE,
  backoff,
  FILE_PUSH,
  FORKFILE_FAILURE,
  INSTANCE_CHURN,
  INSTANCE_TRANSIENT,
  retry,
  retryWhen,
} from './retry.js'

const quick = { attempts: 3, delayMs: () => 1 }

/** A call failing with these errors in turn, then succeeding; counts its tries. */
function flaky(...errors: Error[]) {
  const calls: number[] = []
  const fn = async (attempt: number) => {
    calls.push(attempt)
    const err = errors.shift()
    if (err) throw err
  }
  return { fn, calls }
}

describe('retry', () => {
  it('retries while the judge says retry, then succeeds', async () => {
    const { fn, calls } = flaky(new Error('busy'), new Error('busy'))
    await retry(fn, { ...quick, judge: () => 'retry' })
    expect(calls).toEqual([1, 2, 3])
  })

  it('gives up after the last attempt with the last error', async () => {
    const { fn, calls } = flaky(new Error('one'), new Error('two'), new Error('three'), new Error('four'))
    await expect(retry(fn, { ...quick, judge: () => 'retry' })).rejects.toThrow('three')
    expect(calls).toEqual([1, 2, 3])
  })

  it('stops at once on a final failure', async () => {
    const { fn, calls } = flaky(new Error('denied'))
    await expect(retry(fn, { ...quick, judge: () => 'fail' })).rejects.toThrow('denied')
    expect(calls).toEqual([1])
  })

  it('treats a failure judged done as success', async () => {
    const { fn, calls } = flaky(new Error('went anyway'))
    await expect(retry(fn, { ...quick, judge: async () => 'done' as const })).resolves.toBeUndefined()
    expect(calls).toEqual([1])
  })

  it('passes the error and the attempt to the judge', async () => {
    const seen: Array<[string, number]> = []
    const { fn } = flaky(new Error('a'), new Error('b'))
    await retry(fn, {
      ...quick,
      judge: (err, attempt) => {
        seen.push([(err as Error).message, attempt])
        return 'retry'
      },
    })
    expect(seen).toEqual([
      ['a', 1],
      ['b', 2],
    ])
  })

  it('does not retry once the signal is aborted', async () => {
    const ctrl = new AbortController()
    ctrl.abort()
    const { fn, calls } = flaky(new Error('busy'))
    await expect(retry(fn, { ...quick, signal: ctrl.signal, judge: () => 'retry' })).rejects.toThrow('busy')
    expect(calls).toEqual([1])
  })

  it('waits the policy delay between tries', async () => {
    const { fn } = flaky(new Error('busy'))
    const started = performance.now()
    await retry(fn, { attempts: 2, delayMs: () => 50, judge: () => 'retry' })
    expect(performance.now() - started).toBeGreaterThanOrEqual(45)
  })
})

describe('retryWhen and the policies', () => {
  it('retries only matching messages', () => {
    const judge = retryWhen(FORKFILE_FAILURE)
    const forkfile = new Error('dial unix /proc/self/fd/27/forkfile.sock: connect: no such file or directory')
    expect(judge(forkfile)).toBe('retry')
    expect(judge(new Error('Permission denied'))).toBe('fail')
    expect(judge('not an error')).toBe('fail')
  })

  it('keep the tries and growing waits the executor has always used', () => {
    expect(BRIDGE_CHURN.attempts).toBe(12)
    expect([1, 2, 4, 5, 6, 11].map(BRIDGE_CHURN.delayMs)).toEqual([100, 200, 800, 1600, 2000, 2000])
    // Creates wait longer for the veth race: 16.8 s in all.
    expect(BRIDGE_CREATE.attempts).toBe(8)
    expect(Array.from({ length: 7 }, (_, i) => BRIDGE_CREATE.delayMs(i + 1)).reduce((a, b) => a + b)).toBe(
      16_800,
    )
    expect(FILE_PUSH.delayMs(1)).toBeLessThan(FILE_PUSH.delayMs(2))
  })

  it('back off exponentially, capped, for instance churn', () => {
    expect([1, 2, 3, 4, 5].map(backoff(500, 4000))).toEqual([500, 1000, 2000, 4000, 4000])
    expect(INSTANCE_CHURN.attempts).toBe(5)
    const judge = retryWhen(INSTANCE_TRANSIENT)
    for (const m of ['Invalid PID', 'forkfile.sock: connect', 'Failed to start device "eth0"'])
      expect(judge(new Error(m)), m).toBe('retry')
    expect(judge(new Error('The instance is already running'))).toBe('fail')
  })
})
