/**
 * Proves the integration harness itself: the real daemon answers, and a
 * project plus a container can be created and deleted through the REST API.
 */
import { raw, rawWait, runPrefix } from '@anklume/test-utils'
import { afterAll, describe, expect, it } from 'vitest'

const prefix = runPrefix()
const project = `${prefix}-harness`

describe('integration harness', () => {
  afterAll(async () => {
    await rawWait('DELETE', `/1.0/instances/c1?project=${project}`)
    await rawWait('DELETE', `/1.0/projects/${project}`)
  })

  it('talks to a real Incus 6 daemon', async () => {
    const res = await raw('GET', '/1.0')
    expect(res.status).toBe(200)
    const meta = res.body.metadata as { environment: { server_version: string }; api_extensions: string[] }
    expect(meta.environment.server_version).toMatch(/^6\./)
    expect(meta.api_extensions).toContain('projects')
  })

  it('creates and deletes a project and a container', async () => {
    const created = await raw('POST', '/1.0/projects', {
      name: project,
      config: { 'features.profiles': 'true', 'features.images': 'false' },
    })
    expect(created.status).toBe(201)

    const op = await rawWait('POST', `/1.0/instances?project=${project}`, {
      name: 'c1',
      type: 'container',
      source: { type: 'image', alias: 'anklume-test/busybox' },
      devices: { root: { type: 'disk', path: '/', pool: 'default' } },
      start: true,
    })
    expect((op.body.metadata as { status_code: number; err: string }).err).toBe('')
    const inst = await raw('GET', `/1.0/instances/c1/state?project=${project}`)
    expect((inst.body.metadata as { status: string }).status).toBe('Running')

    await rawWait('PUT', `/1.0/instances/c1/state?project=${project}`, { action: 'stop', force: true })
    const del = await rawWait('DELETE', `/1.0/instances/c1?project=${project}`)
    expect((del.body.metadata as { status_code: number }).status_code).toBe(200)
    expect((await raw('GET', `/1.0/instances/c1?project=${project}`)).status).toBe(404)
    expect((await raw('DELETE', `/1.0/projects/${project}`)).status).toBe(200)
    expect((await raw('GET', `/1.0/projects/${project}`)).status).toBe(404)
  })
})
