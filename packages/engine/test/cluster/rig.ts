/**
 * The 3-member Incus cluster of tooling/cluster-rig.sh, for the cluster
 * integration tests: its client (HTTPS, client certificate, pinned server
 * certificate), its members, and stopping/starting a member. When the rig
 * is not up the tests fail with the command that brings it up.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { createClient, type IncusClient } from '@anklume/incus-client'

const run = promisify(execFile)

export const RIG_FIX = 'The cluster tests need the 3-member rig. As root run: bash tooling/cluster-rig.sh up'

export interface Rig {
  url: string
  cert: string
  key: string
  serverCert: string
  pool: string
  members: string[]
  /** Member -> the local Incus container that runs it. */
  containers: Record<string, string>
  image: string
}

export function rigStateFile(): string {
  return `${process.env.ANKLUME_RIG_STATE ?? '/var/lib/anklume-cluster-rig'}/rig.json`
}

/** Reads the rig's state and checks every member answers online; throws with the fix otherwise. */
export async function openRig(): Promise<{ rig: Rig; client: IncusClient }> {
  let rig: Rig
  try {
    rig = JSON.parse(readFileSync(rigStateFile(), 'utf8')) as Rig
  } catch (err) {
    throw new Error(`no cluster rig state (${rigStateFile()}: ${(err as Error).message}).\n${RIG_FIX}`)
  }
  const client = createClient({
    remote: {
      url: rig.url,
      cert: readFileSync(rig.cert),
      key: readFileSync(rig.key),
      serverCert: readFileSync(rig.serverCert),
    },
    requestTimeoutMs: 60_000,
  })
  try {
    const members = await client.cluster.members()
    const down = members.filter((m) => m.status.toLowerCase() !== 'online').map((m) => m.server_name)
    if (down.length > 0) throw new Error(`members not online: ${down.join(', ')}`)
  } catch (err) {
    await client.close()
    throw new Error(`the cluster rig at ${rig.url} is not ready: ${(err as Error).message}.\n${RIG_FIX}`)
  }
  return { rig, client }
}

/** Stops (forced) or starts the local container that runs a member. */
export async function memberPower(rig: Rig, member: string, action: 'stop' | 'start'): Promise<void> {
  const name = rig.containers[member] as string
  await run('incus', action === 'stop' ? ['stop', '--force', name] : ['start', name])
}

/**
 * Waits until the cluster lists every member with the status asked (`true`:
 * Online, `false`: anything else) on three reads in a row, one second apart.
 * Stopping a member can make the others look offline for a while too (their
 * heartbeats stall while the leader times out on the stopped one, or while a
 * new leader is elected): a test must start from the settled state.
 */
export async function waitMembers(
  client: IncusClient,
  want: Record<string, boolean>,
  timeoutMs = 150_000,
): Promise<void> {
  const end = Date.now() + timeoutMs
  let last = ''
  let settled = 0
  while (Date.now() < end) {
    try {
      const members = await client.cluster.members()
      const status = (name: string) => members.find((x) => x.server_name === name)?.status ?? 'absent'
      last = Object.keys(want)
        .map((name) => `${name} ${status(name)}`)
        .join(', ')
      const ok = Object.entries(want).every(
        ([name, online]) => (status(name).toLowerCase() === 'online') === online,
      )
      settled = ok ? settled + 1 : 0
      if (settled === 3) return
    } catch (err) {
      settled = 0
      last = (err as Error).message
    }
    await new Promise((r) => setTimeout(r, 1000))
  }
  throw new Error(`cluster did not settle to ${JSON.stringify(want)} (last: ${last})`)
}
