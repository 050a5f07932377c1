/** Shared bits of this package's integration tests: the run's prefix, a client, tolerant cleanup. */
import { runPrefix } from '@anklume/test-utils'
import { type ClientOptions, createClient, type IncusClient, isIncusError } from '../src/index.js'

export const prefix: string = runPrefix()

export function client(options: ClientOptions = {}): IncusClient {
  return createClient({ userAgent: 'anklume-incus-client-tests', ...options })
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
