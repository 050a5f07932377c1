/**
 * pause / resume on the real daemon: an instance is Frozen after pause and
 * Running after resume; a domain target acts on all its instances; doing it
 * twice changes nothing; a stopped instance fails alone with Incus's reason.
 */
import type { IncusClient } from '@anklume/incus-client'
import { runPrefix, useTestInfra } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../apps/cli/src/run-cli.test-util.js'
import { resolveTargets, setPaused } from '../src/index.js'
import { engineDriver, newClient } from './helpers.js'

const P = runPrefix()
const D = `${P}p`
const ONE = `${P}-p1`
const TWO = `${P}-p2`
let client: IncusClient

const cli = runCli

const listing = () => client.instances.list({ allProjects: true })
const status = async (name: string) => (await client.instances.state(name, { project: D })).status

useTestInfra(engineDriver, {
  name: 'pause',
  domains: () => `  ${D}:
    subnet_id: 1
    nat: false
    ephemeral: true
    machines:
      ${ONE}: {}
      ${TWO}: {}
`,
})

beforeAll(() => {
  client = newClient()
})

afterAll(async () => {
  await client.close()
})

describe('anklume pause / resume', () => {
  it('pause → Frozen → resume → Running', async () => {
    const targets = resolveTargets(await listing(), { kind: 'instance', name: ONE })
    const paused = await setPaused(client, targets, true)
    expect(paused).toEqual([{ instance: ONE, project: D, outcome: 'changed', status: 'Frozen' }])
    expect(await status(ONE)).toBe('Frozen')
    expect(await status(TWO)).toBe('Running')
    expect((await setPaused(client, targets, true))[0]?.outcome).toBe('unchanged')
    const resumed = await setPaused(client, targets, false)
    expect(resumed).toEqual([{ instance: ONE, project: D, outcome: 'changed', status: 'Running' }])
    expect(await status(ONE)).toBe('Running')
  })

  it('--domain freezes every instance of the domain; a stopped one fails alone', async () => {
    await client.instances.setState(TWO, { action: 'stop', force: true }, { project: D })
    const targets = resolveTargets(await listing(), { kind: 'domain', domain: D })
    const res = await setPaused(client, targets, true)
    expect(res.map((r) => [r.instance, r.outcome])).toEqual([
      [ONE, 'changed'],
      [TWO, 'failed'],
    ])
    expect(String((res[1]?.error as Error | undefined)?.message)).toMatch(
      /isn't running|not running|stopped/i,
    )
    expect(await status(ONE)).toBe('Frozen')
    expect((await setPaused(client, targets, false))[0]).toMatchObject({ instance: ONE, status: 'Running' })
  })

  it('CLI: pause / resume an instance, exit 1 when one fails', async () => {
    const p = await cli('pause', ONE)
    expect(p).toMatchObject({ code: 0, out: `${D}/${ONE}: paused Frozen\n` })
    expect(await status(ONE)).toBe('Frozen')
    const r = await cli('resume', '--domain', D)
    expect(r.code).toBe(1) // TWO is stopped: cannot be (un)frozen
    expect(r.out).toContain(`${D}/${ONE}: resumed Running`)
    expect(await status(ONE)).toBe('Running')
  })
})
