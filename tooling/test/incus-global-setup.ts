/**
 * Global setup of the integration suite: proves the real Incus daemon is
 * there (failing loudly with the fix when it is not), gives the run its own
 * name prefix, and at teardown removes every object carrying that prefix,
 * even when tests failed.
 */
import { cleanupPrefix, newRunPrefix, raw, socketPath } from '@anklume/test-utils'
import type { TestProject } from 'vitest/node'

const FIX =
  'The integration suite needs a running Incus daemon. As root run: bash tooling/incus-sandbox.sh ' +
  '(installs Incus 6.0, starts incusd, creates the storage pool and the busybox test image).'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const sock = socketPath()
  let server: Awaited<ReturnType<typeof raw>>
  try {
    server = await raw('GET', '/1.0')
  } catch (err) {
    throw new Error(`Incus is not reachable on ${sock}: ${(err as Error).message}\n${FIX}`)
  }
  if (server.status !== 200) throw new Error(`Incus answered ${server.status} on ${sock}.\n${FIX}`)
  const alias = await raw('GET', '/1.0/images/aliases/anklume-test/busybox')
  if (alias.status !== 200) throw new Error(`The test image anklume-test/busybox is missing.\n${FIX}`)

  const prefix = newRunPrefix()
  project.provide('incusPrefix', prefix)
  return async () => {
    await cleanupPrefix(prefix)
  }
}
