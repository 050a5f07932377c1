import { hostname } from 'node:os'
import type { Command } from 'commander'
import { EXIT_FAILURE, EXIT_OK } from '../errors.js'
import { findInfra } from '../helpers/infra-file.js'
import { fileOption } from '../helpers/options.js'
import { err, globals, out, printJson, withClient } from '../helpers/shared.js'
import { asUsage } from '../helpers/usage.js'

interface PauseOpts {
  domain?: string
  file?: string
  json?: boolean
}

async function run(instance: string | undefined, o: PauseOpts, cmd: Command, pause: boolean): Promise<void> {
  const { parseTarget, selectInstances, setPaused } = await import('@anklume/engine')
  const spec = await asUsage(() => parseTarget(instance, { domain: o.domain }))
  const loaded = await findInfra(o.file)
  await withClient(globals(cmd), async (client) => {
    const list = await asUsage(() => selectInstances(client, spec, { infra: loaded, hostname: hostname() }))
    const results = await setPaused(client, list, pause)
    if (o.json) {
      printJson({
        results: results.map((r) => ({
          ...r,
          error: r.error ? String((r.error as Error).message) : undefined,
        })),
      })
    } else {
      for (const r of results) {
        const where = `${r.project}/${r.instance}`
        if (r.outcome === 'failed') err(`failed: ${where}: ${(r.error as Error)?.message ?? r.error}`)
        else
          out(`${where}: ${r.outcome === 'changed' ? (pause ? 'paused' : 'resumed') : 'already'} ${r.status}`)
      }
    }
    process.exitCode = results.every((r) => r.outcome !== 'failed') ? EXIT_OK : EXIT_FAILURE
  })
}

export function register(program: Command): void {
  for (const [name, pause] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    program
      .command(name)
      .description(pause ? 'freeze instances (Incus freeze)' : 'unfreeze paused instances (Incus unfreeze)')
      .argument('[instance]', 'the instance (machine name or Incus name)')
      .option('--domain <domain>', 'every instance of the domain')
      .addOption(fileOption('infra file: limits --domain to its project_name'))
      .option('--json', 'print the results as JSON')
      .addHelpText('after', `\nExamples:\n  anklume ${name} pro-dev\n  anklume ${name} --domain sandbox`)
      .action((instance: string | undefined, o: PauseOpts, cmd: Command) => run(instance, o, cmd, pause))
  }
}
