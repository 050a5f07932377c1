/**
 * Disposable instances on the real daemon: created ephemeral in the
 * domain's project (found by label), the command's stdout, stderr and exit
 * code come back through the exec API, and the instance is gone once
 * stopped. The default project is refused without force.
 */
import type { IncusClient } from '@anklume/incus-client'
import { runPrefix, TEST_IMAGE, useTestInfra } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../apps/cli/src/run-cli.test-util.js'
import {
  checkDispProject,
  domainProject,
  runDisposable,
  startDisposable,
  stopDisposable,
} from '../src/index.js'
import { engineDriver, newClient } from './helpers.js'

const P = runPrefix()
const D = `${P}x`
let client: IncusClient

const cli = runCli

useTestInfra(engineDriver, {
  name: 'disp',
  domains: () => `  ${D}:
    subnet_id: 1
    nat: false
    ephemeral: true
    machines: {}
`,
})

beforeAll(() => {
  client = newClient()
})

afterAll(async () => {
  await client.close()
})

describe('anklume disp', () => {
  it('runs a command in an ephemeral instance of the domain, returns its output and exit code, then it is gone', async () => {
    const project = domainProject(await client.projects.list(), D)
    expect(project).toBe(D)
    const run = await runDisposable(
      client,
      ['/bin/sh', '-c', 'echo hello from $(hostname); echo oops >&2; exit 7'],
      {
        image: TEST_IMAGE,
        project,
      },
    )
    expect(run.name).toMatch(/^disp-\d{8}-\d{6}-[0-9a-f]{4}$/)
    expect(run.result).toEqual({ exitCode: 7, stdout: `hello from ${run.name}\n`, stderr: 'oops\n' })
    expect(run.gone).toBe(true)
    await expect(client.instances.get(run.name, { project })).rejects.toMatchObject({
      code: 'INCUS_NOT_FOUND',
    })
  })

  it('is created with the ephemeral flag and the root disk and nic of the project default profile', async () => {
    const inst = await startDisposable(client, { image: TEST_IMAGE, project: D })
    try {
      const got = await client.instances.get(inst.name, { project: D })
      expect(got.ephemeral).toBe(true)
      expect(got.status).toBe('Running')
      expect(got.expanded_devices?.eth0).toMatchObject({ type: 'nic', network: `net-${D}` })
      expect(got.expanded_devices?.root).toMatchObject({ type: 'disk', path: '/' })
    } finally {
      expect(await stopDisposable(client, inst)).toBe(true)
    }
    expect((await client.instances.list({ project: D })).map((i) => i.name)).not.toContain(inst.name)
  })

  it('refuses the default project unless forced', () => {
    expect(() => checkDispProject('default', false)).toThrow(
      expect.objectContaining({ code: 'ANKLUME_DISP_DEFAULT_PROJECT' }),
    )
    expect(() => checkDispProject('default', true)).not.toThrow()
    expect(() => checkDispProject(D, false)).not.toThrow()
  })

  it('CLI: disp --domain d -- cmd forwards stdout, stderr and the exit code; the instance is gone', async () => {
    const before = (await client.instances.list({ project: D })).length
    const r = await cli(
      'disp',
      '--domain',
      D,
      '--image',
      TEST_IMAGE,
      '--',
      '/bin/sh',
      '-c',
      'echo out; echo err >&2; exit 3',
    )
    expect(r).toEqual({ code: 3, out: 'out\n', err: 'err\n' })
    expect((await client.instances.list({ project: D })).length).toBe(before)
    const refused = await cli('disp', '--image', TEST_IMAGE, '--', 'true')
    expect(refused.code).toBe(2)
    expect(refused.err).toContain('refusing to start a disposable instance in the "default" project')
  })
})
