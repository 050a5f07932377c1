import { describe, expect, it } from 'vitest'
import {
  assertNoNat,
  loadInfra,
  type TestInfra,
  type TestInfraDriver,
  withAppliedInfra,
} from './test-infra.js'

const yaml = `project_name: t0000-x
global:
  base_subnet: "10.201"
domains:
  t0000a:
    subnet_id: 1
    nat: false
    machines: {}
`
const t: TestInfra = { project: 't0000-x', base: '10.201', yaml, infra: loadInfra(yaml) }

/** A driver that records its calls and fails where told. */
function recorder(fail: { apply?: boolean } = {}) {
  const calls: string[] = []
  const driver: TestInfraDriver = {
    apply: async (x) => {
      calls.push(`apply ${x.project}`)
      if (fail.apply) throw new Error('apply failed')
    },
    prune: async (x) => {
      calls.push(`prune ${x.project}`)
    },
  }
  return { calls, driver }
}

describe('withAppliedInfra', () => {
  it('applies, hands the infra to the test, prunes, and returns what the test returned', async () => {
    const { calls, driver } = recorder()
    const seen = await withAppliedInfra(driver, t, async (x) => {
      calls.push(`test ${x.infra.domains.map((d) => d.name).join(',')}`)
      return x.base
    })
    expect(seen).toBe('10.201')
    expect(calls).toEqual(['apply t0000-x', 'test t0000a', 'prune t0000-x'])
  })

  it('prunes when the test fails, and the failure still fails the test', async () => {
    const { calls, driver } = recorder()
    await expect(
      withAppliedInfra(driver, t, async () => {
        throw new Error('assertion failed')
      }),
    ).rejects.toThrow('assertion failed')
    expect(calls).toEqual(['apply t0000-x', 'prune t0000-x'])
  })

  it('prunes when the apply itself fails half-way, without running the test', async () => {
    const { calls, driver } = recorder({ apply: true })
    await expect(withAppliedInfra(driver, t, async () => calls.push('test'))).rejects.toThrow('apply failed')
    expect(calls).toEqual(['apply t0000-x', 'prune t0000-x'])
  })
})

describe('test infra safety', () => {
  it('accepts domains that all say nat: false', () => {
    expect(() => assertNoNat(yaml)).not.toThrow()
  })

  it('refuses a domain without nat: false, naming it', () => {
    const open = `${yaml}  t0000b:\n    subnet_id: 2\n    machines: {}\n  t0000c:\n    subnet_id: 3\n    nat: true\n`
    expect(() => assertNoNat(open)).toThrow('test domains need "nat: false": t0000b, t0000c')
  })

  it('loadInfra names the invalid paths', () => {
    expect(() => loadInfra('project_name: p\nglobal: {}\ndomains: { bad: { subnet_id: -1 } }\n')).toThrow(
      /test infra invalid:\n.*subnet_id/,
    )
  })
})
