/**
 * Shared pieces of the lifecycle integration tests: a per-run test infra on
 * the real daemon (prefixed names, a random 10.200–10.249 base subnet, no
 * NAT, the local busybox image), and the real apply path.
 */
import { randomInt } from 'node:crypto'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createClient, type IncusClient } from '@anklume/incus-client'
import { type Infra, loadFromString } from '@anklume/schema'
import { inject } from 'vitest'
import { applyInfra, type InfraPlan, planInfra } from '../src/index.js'

export const TEST_IMAGE = 'anklume-test/busybox'

export function runPrefix(): string {
  return inject('incusPrefix')
}

/** A base subnet `10.X` with X in 200–249, not used by any bridge on this host. */
export async function freeBaseSubnet(client: IncusClient): Promise<string> {
  const used = new Set(
    (await client.networks.list()).map((n) => n.config?.['ipv4.address']?.split('.').slice(0, 2).join('.')),
  )
  for (;;) {
    const candidate = `10.${randomInt(200, 250)}`
    if (!used.has(candidate)) return candidate
  }
}

export function loadInfra(yaml: string, file = 'test-infra.yml'): Infra {
  const res = loadFromString(yaml, file)
  if (!res.ok)
    throw new Error(`test infra invalid:\n${res.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`)
  return res.infra
}

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
  const result = await applyInfra(client, infra, planned, { nesting: noNesting, nft: false, level: 1 })
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
  return apply(client, loadInfra(`project_name: ${projectName}\nglobal: {}\ndomains: {}\n`), {
    prune: true,
    force: true,
  })
}
