/**
 * This package's side of the integration tests: test infras applied and
 * pruned through @anklume/engine (no nftables), the real Chromium of the
 * machine driven by playwright-core (never a downloaded browser), and the
 * tmux binary.
 */
import { existsSync } from 'node:fs'
import { applyInfra, planInfra } from '@anklume/engine'
import { createClient, type IncusClient } from '@anklume/incus-client'
import { emptyInfraYaml, loadInfra, type TestInfraDriver } from '@anklume/test-utils'
import { type Browser, chromium } from 'playwright-core'

const noNesting = { absoluteLevel: 0, relativeLevel: 0, vmNested: false, yolo: false }

async function withClient<T>(fn: (client: IncusClient) => Promise<T>): Promise<T> {
  const client = createClient()
  try {
    return await fn(client)
  } finally {
    await client.close()
  }
}

export const engineDriver: TestInfraDriver = {
  apply: (t) =>
    withClient(async (client) => {
      const planned = await planInfra(client, t.infra, { level: 1 })
      const result = await applyInfra(client, planned, { nesting: noNesting })
      if (!result.execution.ok) {
        const failed = result.execution.results
          .filter((r) => r.status === 'failed')
          .map((r) => `${r.id}: ${r.error instanceof Error ? r.error.message : String(r.error)}`)
        throw new Error(`apply of ${t.project} failed:\n${failed.join('\n')}`)
      }
    }),
  prune: (t) =>
    withClient(async (client) => {
      const planned = await planInfra(client, loadInfra(emptyInfraYaml(t.project)), {
        level: 1,
        prune: true,
        force: true,
      })
      await applyInfra(client, planned, { nesting: noNesting })
    }),
}

export const CHROMIUM = '/usr/bin/chromium'

/** Debian's Chromium, headless. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install it with \`apt-get install chromium\` (tooling/setup.sh does)`,
    )
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  })
}
