import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IncusError } from '../src/index.js'
import { client, prefix } from './helpers.js'
import { createSandbox, type Sandbox } from './sandbox.js'

const c = client()
let sb: Sandbox
const name = `${prefix}-c1`
const image = { type: 'image' as const, alias: 'anklume-test/busybox' }

beforeAll(async () => {
  sb = await createSandbox(c, 'in')
})

afterAll(async () => {
  await sb?.destroy()
  await c.close()
})

describe('instances', () => {
  it('creates and starts a container in one call, waiting for the operation', async () => {
    const op = await c.instances.create(
      { name, source: image, start: true, config: { 'user.anklume.managed': 'true' } },
      { project: sb.project },
    )
    expect(op?.status_code).toBe(200)
    const inst = await c.instances.get(name, { project: sb.project })
    expect(inst).toMatchObject({ name, project: sb.project, type: 'container', status: 'Running' })
    expect(inst.expanded_devices?.['eth0']?.['network']).toBe(sb.bridge)
    const state = await c.instances.state(name, { project: sb.project })
    expect(state.status).toBe('Running')
    expect(state.pid).toBeGreaterThan(0)
  })

  it('returns the running operation with wait: false, and client.wait finishes it', async () => {
    const op = await c.instances.setState(
      name,
      { action: 'restart', force: true },
      { project: sb.project, wait: false },
    )
    expect(op?.status_code).toBeLessThan(200)
    const done = await c.wait(op!.id, { timeoutSec: 60 })
    expect(done === undefined || done.status_code === 200).toBe(true)
    expect((await c.instances.state(name, { project: sb.project })).status).toBe('Running')
  })

  it('freezes and unfreezes', async () => {
    await c.instances.setState(name, { action: 'freeze' }, { project: sb.project })
    expect((await c.instances.get(name, { project: sb.project })).status).toBe('Frozen')
    await c.instances.setState(name, { action: 'unfreeze' }, { project: sb.project })
    expect((await c.instances.get(name, { project: sb.project })).status).toBe('Running')
  })

  it('updates with the ETag (PUT) and merges config keys (PATCH)', async () => {
    const { value, etag } = await c.instances.getWithEtag(name, { project: sb.project })
    await c.instances.update(
      name,
      { ...value, config: { ...value.config, 'user.put': 'yes' } },
      { project: sb.project, etag },
    )
    await c.instances.patch(name, { config: { 'user.patch': 'yes' } }, { project: sb.project })
    const after = await c.instances.get(name, { project: sb.project })
    expect(after.config).toMatchObject({
      'user.put': 'yes',
      'user.patch': 'yes',
      'user.anklume.managed': 'true',
    })
    const stale = await c.instances.update(name, value, { project: sb.project, etag }).catch((e) => e)
    expect(stale).toMatchObject({ code: 'INCUS_CONFLICT', status: 412 })
  })

  it('lists instances across projects with their project, with and without the extension', async () => {
    const all = await c.instances.list({ allProjects: true })
    expect(all.find((i) => i.name === name)?.project).toBe(sb.project)
    const old = client({ ignoreExtensions: ['instance_all_projects'] })
    const viaFallback = await old.instances.list({ allProjects: true })
    expect(viaFallback.find((i) => i.name === name)?.project).toBe(sb.project)
    expect(viaFallback.map((i) => `${i.project}/${i.name}`).sort()).toEqual(
      all.map((i) => `${i.project}/${i.name}`).sort(),
    )
    expect(old.stats.requests).toBeGreaterThanOrEqual(3) // /1.0, projects, one list per project
    await old.close()
    expect(await c.instances.list({ project: sb.project })).toHaveLength(1)
  })

  it('lists profiles across projects, with and without profiles_all_projects', async () => {
    const all = await c.profiles.list({ allProjects: true })
    const mine = all.filter((p) => p.project === sb.project)
    expect(mine.map((p) => p.name)).toEqual(['default'])
    expect(mine[0]?.devices['eth0']?.['network']).toBe(sb.bridge)
    const old = client({ ignoreExtensions: ['profiles_all_projects'] })
    const fallback = await old.profiles.list({ allProjects: true })
    await old.close()
    const key = (p: { project?: string; name: string }) => `${p.project}/${p.name}`
    expect(fallback.map(key).sort()).toEqual(all.map(key).sort())
  })

  it('fails an instance whose image is missing with the server message', async () => {
    const err = await c.instances
      .create(
        { name: `${prefix}-noimg`, source: { type: 'image', alias: `${prefix}/no-such-image` }, start: true },
        { project: sb.project },
      )
      .catch((e) => e)
    expect(err).toBeInstanceOf(IncusError)
    expect(['INCUS_OPERATION_FAILED', 'INCUS_NOT_FOUND']).toContain(err.code)
    expect(err.serverMessage).toMatch(/image/i)
    await expect(c.instances.get(`${prefix}-noimg`, { project: sb.project })).rejects.toMatchObject({
      code: 'INCUS_NOT_FOUND',
    })
  })

  it('fails a VM request cleanly on this KVM-less host (API level only)', async () => {
    const err = await c.instances
      .create(
        { name: `${prefix}-vm`, type: 'virtual-machine', source: { type: 'none' } },
        { project: sb.project },
      )
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'INCUS_OPERATION_FAILED', status: 400 })
    expect(err.serverMessage).toMatch(/virtual-machine/)
    expect(err.operationId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('creates, lists, restores and deletes snapshots', async () => {
    const p = { project: sb.project }
    await c.files.push(name, '/root/before', 'before\n', p)
    await c.snapshots.create(name, { name: 'snap0' }, p)
    expect((await c.snapshots.list(name, p)).map((s) => s.name)).toEqual(['snap0'])
    expect((await c.snapshots.get(name, 'snap0', p)).stateful).toBe(false)
    await c.files.push(name, '/root/after', 'after\n', p)
    await c.snapshots.restore(name, 'snap0', p)
    expect((await c.exec(name, ['sh', '-c', 'ls /root'], p)).stdout.split('\n').filter(Boolean)).toEqual([
      'before',
    ])
    await c.snapshots.delete(name, 'snap0', p)
    expect(await c.snapshots.list(name, p)).toEqual([])
  })

  it('rebuilds a stopped instance from its image', async () => {
    const p = { project: sb.project }
    await c.files.push(name, '/root/marker', 'x', p)
    await c.instances.setState(name, { action: 'stop', force: true }, p)
    expect((await c.instances.get(name, p)).status).toBe('Stopped')
    await c.instances.rebuild(name, { source: image }, p)
    await c.instances.setState(name, { action: 'start' }, p)
    const ls = await c.exec(name, ['ls', '/root'], p)
    expect(ls.stdout).not.toContain('marker')
    expect(ls.exitCode).toBe(0)
  })

  it('deletes a running instance with force', async () => {
    const other = `${prefix}-c2`
    await c.instances.create({ name: other, source: image, start: true }, { project: sb.project })
    await c.instances.delete(other, { project: sb.project, force: true })
    await expect(c.instances.get(other, { project: sb.project })).rejects.toMatchObject({
      code: 'INCUS_NOT_FOUND',
    })
  })

  it('creates and deletes several instances concurrently on one client', async () => {
    const p = { project: sb.project }
    const names = Array.from({ length: 6 }, (_, i) => `${prefix}-par${i}`)
    const before = c.stats.requests
    await Promise.all(names.map((n) => c.instances.create({ name: n, source: image, start: true }, p)))
    const listed = await c.instances.list(p)
    for (const n of names) expect(listed.find((i) => i.name === n)?.status).toBe('Running')
    await Promise.all(names.map((n) => c.instances.delete(n, { ...p, force: true })))
    expect((await c.instances.list(p)).map((i) => i.name)).toEqual([name])
    // Per instance: POST + at least one wait, then GET state + PUT stop + wait + DELETE + wait.
    expect(c.stats.requests - before).toBeGreaterThanOrEqual(names.length * 7)
  })
})
