/**
 * The per-run name prefix. The integration global setup
 * (tooling/test/incus-global-setup.ts) draws one per run and provides it;
 * every Incus object a test creates starts with it, and the global teardown
 * removes what carries it (cleanup.ts), even when tests failed.
 */
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Per-run name prefix, e.g. `t3f9a`: every Incus object a test creates starts with it. */
    incusPrefix: string
  }
}

/** A fresh prefix: `t` + 4 hex chars, short enough for 15-character bridge names. */
export function newRunPrefix(): string {
  return `t${randomBytes(2).toString('hex')}`
}

/** This run's prefix, inside an integration test file. */
export function runPrefix(): string {
  return inject('incusPrefix')
}
