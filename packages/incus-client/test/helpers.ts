/** Shared bits of the integration tests: the per-run prefix and a random test subnet. */
import { randomInt } from 'node:crypto'
import { inject } from 'vitest'
import { type ClientOptions, createClient, type IncusClient, isIncusError } from '../src/index.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Per-run name prefix from tooling/test/incus-global-setup.ts. */
    incusPrefix: string
  }
}

export const prefix: string = inject('incusPrefix')

export function client(options: ClientOptions = {}): IncusClient {
  return createClient({ userAgent: 'anklume-incus-client-tests', ...options })
}

/** A random /24 in 10.200.0.0–10.249.255.255, as `10.X.Y` (network safety rules). */
export function randomSubnet(): string {
  return `10.${randomInt(200, 250)}.${randomInt(0, 256)}`
}

/** Runs cleanup steps one by one, ignoring "already gone" and reporting the rest at the end. */
export async function cleanup(...steps: Array<() => Promise<unknown>>): Promise<void> {
  const errors: unknown[] = []
  for (const step of steps) {
    try {
      await step()
    } catch (err) {
      if (!isIncusError(err, 'INCUS_NOT_FOUND')) errors.push(err)
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed')
}
