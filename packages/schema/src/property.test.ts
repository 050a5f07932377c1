import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { entries, pathString, setAt, validInfra } from '../test/arbitraries.js'
import { type AnyObj, check, clone, errors, yaml } from '../test/helpers.js'
import { loadFromString } from './load.js'

const RUNS = Number(process.env.FC_RUNS ?? 150)

/** The issue path is the mutated path, one of its ancestors or one of its descendants. */
function related(issuePath: string, mutated: string): boolean {
  const under = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`)
  return under(issuePath, mutated) || under(mutated, issuePath)
}

const REQUIRED =
  /^(project_name|global|domains|network_policies\[\d+\]\.(from|to)|domains\.[^.]+\.machines\.[^.]+\.storage_volumes\.data\.path)$/

describe('property: random valid infras', () => {
  test('validate with no error', () => {
    fc.assert(
      fc.property(validInfra, (infra) => {
        const r = check(infra)
        expect(errors(r)).toEqual([])
        expect(r.ok).toBe(true)
        expect(r.infra?.domains.length).toBe(Object.keys(infra.domains).length)
      }),
      { numRuns: RUNS },
    )
  })

  test('a single mutation keeps the file valid or yields an issue at, under or above the mutated key', () => {
    const mutation = validInfra.chain((infra) => {
      const all = entries(infra)
      const leafOrAny = fc.constantFrom(...all.map(([p]) => p))
      const maps = [
        [],
        ...all.filter(([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v)).map(([p]) => p),
      ]
      const required = all
        .map(([p]) => p)
        .filter(
          (p) => REQUIRED.test(pathString(p)) || (p.at(-1) === 'subnet_id' && 'base_subnet' in infra.global),
        )
      return fc.tuple(
        fc.constant(infra),
        fc.oneof(
          fc.record({
            kind: fc.constant('replace' as const),
            path: leafOrAny,
            value: fc.constantFrom(-1, 3.5, 'zz!', true),
          }),
          fc.record({
            kind: fc.constant('unknown-key' as const),
            path: fc.constantFrom(...maps).map((p) => [...p, 'zzq_unknown']),
            value: fc.constant('x'),
          }),
          ...(required.length
            ? [
                fc.record({
                  kind: fc.constant('delete' as const),
                  path: fc.constantFrom(...required),
                  value: fc.constant(undefined),
                }),
              ]
            : []),
        ),
      )
    })
    const seen = { valid: 0, invalid: 0, machines: 0 }
    fc.assert(
      fc.property(mutation, ([infra, m]) => {
        seen.machines += entries(infra).filter(([p]) => p.length === 4 && p[2] === 'machines').length
        const mutated: AnyObj = clone(infra)
        setAt(mutated, m.path, m.value)
        const r = check(mutated)
        const target = pathString(m.path)
        if (r.ok) {
          seen.valid++
          return
        }
        seen.invalid++
        const hit = r.issues.some((i) => related(i.path, target))
        if (!hit)
          throw new Error(`${m.kind} ${target}=${JSON.stringify(m.value)}: ${JSON.stringify(r.issues)}`)
      }),
      { numRuns: RUNS * 2 },
    )
    // the generator is not trivial: most mutations break the file, and there are machines to mutate
    expect(seen.invalid).toBeGreaterThan(seen.valid)
    expect(seen.machines).toBeGreaterThan(RUNS)
  })
})

describe('property: never throws', () => {
  test('on arbitrary JSON values written as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = check(yaml(v))
        expect(r.ok).toBe(false)
      }),
      { numRuns: RUNS },
    )
  })

  test('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const r = loadFromString(text, 'x.yml')
        expect(Array.isArray(r.issues)).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  test('on valid infras with any JSON value grafted anywhere', () => {
    const grafted = validInfra.chain((infra) =>
      fc.tuple(
        fc.constant(infra),
        fc.constantFrom(...entries(infra).map(([p]) => p), ['domains']),
        fc.jsonValue(),
      ),
    )
    fc.assert(
      fc.property(grafted, ([infra, path, value]) => {
        const mutated: AnyObj = clone(infra)
        setAt(mutated, path, value)
        const r = check(mutated)
        expect(typeof r.ok).toBe('boolean')
        for (const i of r.issues) expect(i.line === undefined || i.line >= 1).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })
})
