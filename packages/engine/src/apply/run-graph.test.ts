import { describe, expect, it } from 'vitest'
import { type GraphTask, LIGHT_FACTOR, runGraph } from './run-graph.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function recorder() {
  const log: string[] = []
  const task = (
    id: string,
    dependsOn: string[] = [],
    opts: { fail?: boolean; ms?: number; serial?: string } = {},
  ) =>
    ({
      id,
      dependsOn,
      serial: opts.serial,
      run: async () => {
        log.push(`start ${id}`)
        await sleep(opts.ms ?? 1)
        log.push(`end ${id}`)
        if (opts.fail) throw new Error(`${id} broke`)
      },
    }) satisfies GraphTask
  return { log, task }
}

describe('runGraph', () => {
  it('runs an `after` task once those tasks finished, whatever their outcome', async () => {
    const { log, task } = recorder()
    const res = await runGraph([
      task('ok', [], { ms: 5 }),
      task('bad', [], { fail: true }),
      task('blocked', ['bad']),
      { ...task('table'), after: ['ok', 'bad', 'blocked'] },
    ])
    expect(res.map((r) => `${r.id} ${r.status}`)).toEqual([
      'ok done',
      'bad failed',
      'blocked blocked',
      'table done',
    ])
    expect(log.indexOf('start table')).toBeGreaterThan(log.indexOf('end ok'))
  })

  it('runs dependencies before dependents', async () => {
    const { log, task } = recorder()
    const res = await runGraph([task('c', ['b']), task('b', ['a']), task('a')])
    expect(res.map((r) => r.status)).toEqual(['done', 'done', 'done'])
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c'])
  })

  it('fails only the failing task and what depends on it', async () => {
    const { task } = recorder()
    const res = await runGraph([
      task('net'),
      task('bad', ['net'], { fail: true }),
      task('after', ['bad']),
      task('ok', ['net']),
    ])
    const status = Object.fromEntries(res.map((r) => [r.id, r.status]))
    expect(status).toEqual({ net: 'done', bad: 'failed', after: 'blocked', ok: 'done' })
    expect(res.find((r) => r.id === 'after')?.blockedBy).toBe('bad')
    expect(res.find((r) => r.id === 'bad')?.error).toMatchObject({ message: 'bad broke' })
  })

  it('bounds concurrency', async () => {
    let now = 0
    let peak = 0
    const tasks: GraphTask[] = Array.from({ length: 10 }, (_, i) => ({
      id: `t${i}`,
      dependsOn: [],
      run: async () => {
        now++
        peak = Math.max(peak, now)
        await sleep(5)
        now--
      },
    }))
    await runGraph(tasks, { concurrency: 3 })
    expect(peak).toBe(3)
  })

  it('runs light tasks beside the limit, within LIGHT_FACTOR × concurrency of their own', async () => {
    let heavy = 0
    let light = 0
    let peakHeavy = 0
    let peakLight = 0
    const make = (id: string, isLight: boolean): GraphTask => ({
      id,
      dependsOn: [],
      light: isLight,
      run: async () => {
        if (isLight) peakLight = Math.max(peakLight, ++light)
        else peakHeavy = Math.max(peakHeavy, ++heavy)
        await sleep(10)
        if (isLight) light--
        else heavy--
      },
    })
    const tasks = [
      ...Array.from({ length: 6 }, (_, i) => make(`h${i}`, false)),
      ...Array.from({ length: 30 }, (_, i) => make(`l${i}`, true)),
    ]
    const results = await runGraph(tasks, { concurrency: 2 })
    expect(results.every((r) => r.status === 'done')).toBe(true)
    expect(peakHeavy).toBe(2)
    expect(peakLight).toBe(2 * LIGHT_FACTOR)
  })

  it('never runs two tasks of the same serial group together', async () => {
    const { log, task } = recorder()
    await runGraph([task('n1', [], { serial: 'net', ms: 5 }), task('n2', [], { serial: 'net', ms: 5 })], {
      concurrency: 4,
    })
    expect(log).toEqual(['start n1', 'end n1', 'start n2', 'end n2'])
  })

  it('stops launching on abort, lets in-flight work finish, reports the rest cancelled', async () => {
    const ctrl = new AbortController()
    const { log, task } = recorder()
    const first = task('a', [], { ms: 20 })
    const res = runGraph(
      [
        {
          ...first,
          run: async () => {
            ctrl.abort()
            await first.run()
          },
        },
        task('b', ['a']),
        task('c', []),
      ],
      { concurrency: 1, signal: ctrl.signal },
    )
    const status = Object.fromEntries((await res).map((r) => [r.id, r.status]))
    expect(status).toEqual({ a: 'done', b: 'cancelled', c: 'cancelled' })
    expect(log).toEqual(['start a', 'end a'])
  })

  it('handles an empty graph and unknown dependencies', async () => {
    expect(await runGraph([])).toEqual([])
    const { task } = recorder()
    const res = await runGraph([task('x', ['not-in-graph'])])
    expect(res[0]?.status).toBe('done')
  })
})
