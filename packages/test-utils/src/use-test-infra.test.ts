/**
 * useTestInfra's hooks: the infra is applied before the file's tests, given
 * to them with the picked base subnet, and pruned after them. The run prefix
 * is fixed and the subnet picker asks a fake daemon with no bridges.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type FakeIncusd, fakeIncusd, reply, sync } from './fake-incusd.js'
import { type TestInfraDriver, useTestInfra } from './test-infra.js'

vi.mock('./prefix.js', () => ({ runPrefix: () => 't0000' }))

const calls: string[] = []
const driver: TestInfraDriver = {
  apply: async (t) => {
    calls.push(`apply ${t.project}`)
  },
  prune: async (t) => {
    calls.push(`prune ${t.project}`)
  },
}

let daemon: FakeIncusd
const saved = process.env.INCUS_SOCKET
beforeAll(async () => {
  daemon = await fakeIncusd((_req, res) => reply(res, 200, sync([])))
  process.env.INCUS_SOCKET = daemon.socketPath
})
afterAll(async () => {
  if (saved === undefined) delete process.env.INCUS_SOCKET
  else process.env.INCUS_SOCKET = saved
  await daemon.close()
})

describe('useTestInfra', () => {
  describe('a test file', () => {
    const infra = useTestInfra(driver, {
      name: 'x',
      domains: (base) =>
        `  t0000a:\n    subnet_id: 1\n    nat: false\n    machines:\n      t0000-m: { ip: "${base}.1.10" }\n`,
    })

    it('gets the applied infra: project, free base subnet, header, loaded domains', () => {
      expect(calls).toEqual(['apply t0000-x'])
      const t = infra.current
      expect(t.project).toBe('t0000-x')
      expect(t.base).toMatch(/^10\.2[0-4]\d$/)
      expect(t.yaml).toContain(`base_subnet: "${t.base}"`)
      expect(t.yaml).toContain('isolation: { table: anklume_t0000 }')
      expect(t.infra.domains[0]?.machines[0]?.ip).toBe(`${t.base}.1.10`)
    })
  })

  it('pruned it once that file was done', () => {
    expect(calls).toEqual(['apply t0000-x', 'prune t0000-x'])
  })
})
