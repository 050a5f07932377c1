import { isAnklumeError } from '@anklume/errors'
import type { Command } from 'commander'
import { CliError, EXIT_OK, renderError } from '../errors.js'
import { type Loaded, loadInfra } from '../helpers/infra-file.js'
import { checkDomains, collect, fileOption } from '../helpers/options.js'
import { savePlanFile } from '../helpers/saved-plan.js'
import {
  connectEarly,
  err,
  type GlobalOptions,
  globals,
  out,
  printJson,
  useColor,
} from '../helpers/shared.js'
import { addDiagnostics, errorDiagnostics } from '../json-output.js'
import { renderPlan } from '../render-plan.js'

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e))

interface PlanOpts {
  file?: string
  json?: boolean
  detailedExitcode?: boolean
  offline?: boolean
  prune?: boolean
  force?: boolean
  rebuild?: boolean
  domain?: string[]
  nft?: boolean
  yolo?: boolean
  output?: string
}

/** Exit codes with --detailed-exitcode (terraform's): 0 no changes, 2 changes pending, 3 invalid input, 1 error. */
export const DETAILED = { noChanges: 0, changes: 2, invalid: 3 } as const

export function register(program: Command): void {
  program
    .command('plan')
    .description('show what apply would do, without changing anything')
    .addOption(fileOption())
    .option('--json', 'print the plan as JSON')
    .option(
      '--detailed-exitcode',
      'exit 0 when nothing changes, 2 when changes are pending, 3 on invalid input',
    )
    .option('--offline', 'plan against an empty Incus (no daemon needed)')
    .option('--prune', 'include deleting anklume objects no longer declared')
    .option('--force', 'include protected instances in deletes/replaces')
    .option('--rebuild', 'include rebuilding instances whose os_image changed')
    .option('--domain <name>', 'only this domain (repeatable)', collect)
    .option('--no-nft', 'do not compare the nftables isolation table loaded on this host')
    .option('--yolo', 'tolerate privileged LXC containers')
    .option('-o, --output <file>', 'also save the plan to this file, for `anklume apply <file>`')
    .addHelpText(
      'after',
      '\nExamples:\n  anklume plan -f infra.yml\n  anklume plan -o plan.json && anklume apply plan.json   # apply exactly what was reviewed\n  anklume plan --offline --json | jq .summary\n  anklume plan --detailed-exitcode || echo "drift or error: $?"',
    )
    .action(async (opts: PlanOpts, cmd: Command) => {
      const g = globals(cmd)
      // Incus starts answering while the engine and the file load (not offline: no daemon).
      const early = opts.offline ? undefined : connectEarly(g)
      const loaded = await loadChecked(opts, g).catch(async (e) => {
        await early?.drop()
        throw e
      })
      if (!loaded) {
        await early?.drop()
        return
      }
      const { planInfra } = await import('@anklume/engine')
      const client = await early?.take()
      try {
        const options = {
          prune: opts.prune,
          force: opts.force,
          rebuild: opts.rebuild,
          domains: opts.domain,
          // The table is this machine's: not under --remote (nor offline, where there is no client).
          hostIsolation: opts.nft !== false && !g.remote,
        }
        const planned = await planInfra(client, loaded.infra, { level: loaded.level, ...options })
        const { plan, isolation } = planned
        if (opts.output && client) {
          await savePlanFile(opts.output, planned, {
            target: client.target,
            file: opts.file,
            sources: loaded.infra.sources,
            options: { ...options, ...(opts.yolo ? { yolo: true } : {}) },
          })
          if (!opts.json)
            err(`saved the plan to ${opts.output}: apply it with \`anklume apply ${opts.output}\``)
        }
        // With --detailed-exitcode, exit 2 means "changes pending": still a successful plan.
        if (opts.json) printJson({ offline: Boolean(opts.offline), ...plan }, { ok: true })
        else {
          for (const w of plan.warnings) err(`warning: ${w}`)
          out(await renderPlan(plan, useColor(g)))
        }
        if (isolation?.status === 'unknown' && !opts.json) {
          const why = isAnklumeError(isolation.error, 'ANKLUME_NFT_NOT_ROOT')
            ? 'reading it needs root (CAP_NET_ADMIN)'
            : messageOf(isolation.error)
          err(`warning: nftables table inet ${isolation.table} not checked: ${why}`)
        }
        const pending = plan.actions.length > 0
        process.exitCode = opts.detailedExitcode ? (pending ? DETAILED.changes : DETAILED.noChanges) : EXIT_OK
      } finally {
        await client?.close()
      }
    })
}

/**
 * The file loaded and the options checked against it; undefined when
 * --detailed-exitcode reported it invalid (exit code set, message printed).
 */
async function loadChecked(opts: PlanOpts, g: GlobalOptions): Promise<Loaded | undefined> {
  let loaded: Loaded
  try {
    loaded = await loadInfra(opts.file, { yolo: opts.yolo, quiet: g.quiet })
  } catch (e) {
    if (opts.detailedExitcode && isAnklumeError(e) && e.code.startsWith('ANKLUME_')) {
      err(`error: ${(e as Error).message}`)
      addDiagnostics(...errorDiagnostics(e))
      process.exitCode = DETAILED.invalid
      return undefined
    }
    throw e
  }
  try {
    checkDomains(
      opts.domain,
      loaded.infra.domains.map((d) => d.name),
      opts.file,
    )
  } catch (e) {
    if (!opts.detailedExitcode) throw e
    err(renderError(e, false))
    addDiagnostics(...errorDiagnostics(e))
    process.exitCode = DETAILED.invalid
    return undefined
  }
  if (opts.output && opts.offline)
    throw new CliError('ANKLUME_USAGE', '-o saves a plan to apply: it needs Incus (not --offline)')
  return loaded
}
