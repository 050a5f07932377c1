/**
 * This package's side of the integration tests: the real apply path through
 * the library (no nftables), and the driver that lets @anklume/test-utils
 * apply and prune a test infra with it. Prefixes, free subnets, the test
 * image and the infra header come from @anklume/test-utils.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createClient, type IncusClient } from '@anklume/incus-client'
import type { Infra } from '@anklume/schema'
import { emptyInfraYaml, loadInfra, type TestInfraDriver } from '@anklume/test-utils'
import { applyInfra, type InfraPlan, planInfra } from '../src/index.js'

export const noNesting = { absoluteLevel: 0, relativeLevel: 0, vmNested: false, yolo: false }

export interface PlanOpts {
  prune?: boolean
  force?: boolean
  rebuild?: boolean
}

export async function plan(client: IncusClient, infra: Infra, opts: PlanOpts = {}): Promise<InfraPlan> {
  return planInfra(client, infra, { level: 1, ...opts })
}

/** plan + apply through the library, without loading nftables. */
export async function apply(client: IncusClient, infra: Infra, opts: PlanOpts = {}) {
  const planned = await plan(client, infra, opts)
  const result = await applyInfra(client, planned, { nesting: noNesting })
  return { planned, result }
}

export function newClient(): IncusClient {
  return createClient()
}

/** The built CLI, for tests that need a real process (kill points, TTY-less runs). */
export function cliPath(): string {
  const bin = fileURLToPath(new URL('../../../apps/cli/dist/bin.js', import.meta.url))
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run "pnpm build" before the integration tests`)
  return bin
}

export async function execIn(client: IncusClient, project: string, instance: string, script: string) {
  return client.exec(instance, ['/bin/sh', '-c', script], { project })
}

/** Polls until the instance shows the address on eth0 (udhcpc needs a moment). */
export async function waitForIp(client: IncusClient, project: string, instance: string, ip: string) {
  let last = ''
  for (let i = 0; i < 60; i++) {
    last = (await execIn(client, project, instance, 'ip -4 addr show eth0')).stdout
    if (last.includes(`inet ${ip}/`)) return last
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${instance} never got ${ip} on eth0; last: ${last}`)
}

/** Removes everything a test infra created, through the real prune path. */
export async function removeInfra(client: IncusClient, projectName: string) {
  return apply(client, loadInfra(emptyInfraYaml(projectName)), { prune: true, force: true })
}

async function withClient<T>(fn: (client: IncusClient) => Promise<T>): Promise<T> {
  const client = newClient()
  try {
    return await fn(client)
  } finally {
    await client.close()
  }
}

/** Test infras applied and pruned through the library (`useTestInfra(engineDriver, …)`). */
export const engineDriver: TestInfraDriver = {
  apply: (t) =>
    withClient(async (client) => {
      const { result } = await apply(client, t.infra)
      if (!result.execution.ok) {
        const failed = result.execution.results
          .filter((r) => r.status === 'failed')
          .map((r) => `${r.id}: ${r.error instanceof Error ? r.error.message : String(r.error)}`)
        throw new Error(`apply of ${t.project} failed:\n${failed.join('\n')}`)
      }
    }),
  prune: (t) =>
    withClient(async (client) => {
      await removeInfra(client, t.project)
    }),
}
