/** Test helpers: small valid infras as YAML text, and issue lookups. */
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'
import { loadFromString } from '../src/load.js'
import type { Issue, LoadContext, LoadResult } from '../src/types.js'

/** Loosely typed test data, built and mutated freely. */
// biome-ignore lint/suspicious/noExplicitAny: test data is reshaped on purpose (wrong types included)
export type AnyObj = Record<string, any>

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url))

/** A valid base_subnet-mode infra: two domains, three machines, one policy. */
export function baseInfra(): Record<string, unknown> {
  return {
    project_name: 'demo',
    global: { base_subnet: '10.100' },
    domains: {
      admin: {
        subnet_id: 0,
        machines: { 'admin-ctl': { ip: '10.100.0.10' } },
      },
      pro: {
        subnet_id: 1,
        profiles: { small: { config: { 'limits.cpu': '2' } } },
        machines: {
          'pro-dev': { ip: '10.100.1.10', profiles: ['default', 'small'] },
          'pro-db': { ip: '10.100.1.11' },
        },
      },
    },
    network_policies: [{ from: 'admin', to: 'pro-db', ports: [5432], protocol: 'tcp' }],
  }
}

export function yaml(data: unknown): string {
  return stringify(data, { lineWidth: 0 })
}

export function check(data: unknown | string, ctx: LoadContext = {}): LoadResult {
  return loadFromString(typeof data === 'string' ? data : yaml(data), 'infra.yml', ctx)
}

export function errors(r: LoadResult): Issue[] {
  return r.issues.filter((i) => i.severity === 'error')
}

export function warnings(r: LoadResult): Issue[] {
  return r.issues.filter((i) => i.severity === 'warning')
}

/** The one issue with `code` (fails the test when there is not exactly one). */
export function only(r: LoadResult, code: string): Issue {
  const found = r.issues.filter((i) => i.code === code)
  if (found.length !== 1) {
    throw new Error(`expected one ${code}, got ${found.length}: ${JSON.stringify(r.issues, null, 1)}`)
  }
  return found[0] as Issue
}

/** 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n')
  const i = lines.findIndex((l, n) => n >= from && l.includes(needle))
  if (i < 0) throw new Error(`"${needle}" not in text`)
  return i + 1
}

/** Deep clone of plain data. */
export function clone<T>(v: T): T {
  return structuredClone(v)
}
