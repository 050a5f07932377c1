import { resolve } from 'node:path'
import type { SavedPlan } from '@anklume/engine'
import { DEFAULT_CONCURRENCY } from '@anklume/engine/defaults'
import { AnklumeError, escapeControl } from '@anklume/errors'
import type { Command } from 'commander'
import { CliError, EXIT_FAILURE, EXIT_OK } from '../errors.js'
import { loadInfra } from '../helpers/infra-file.js'
import { checkDomains, collect, fileOption, parseConcurrency } from '../helpers/options.js'
import { confirm, requireYes } from '../helpers/prompt.js'
import { readPlanFile } from '../helpers/saved-plan.js'
import { connectEarly, err, globals, lockIncus, out, printJson, useColor } from '../helpers/shared.js'
import { createProgress, messageOf } from '../progress.js'
import { renderPlan } from '../render-plan.js'

interface ApplyOpts {
  file?: string
  yes?: boolean
  prune?: boolean
  force?: boolean
  rebuild?: boolean
  nft?: boolean
  nftOnly?: boolean
  domain?: string[]
  concurrency?: string
  json?: boolean
  yolo?: boolean
}

export function register(program: Command): void {
  program
    .command('apply')
    .description('make Incus match the infra file (shows the plan, then asks)')
    .addOption(fileOption())
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--prune', 'delete anklume objects no longer declared (unprotected ones)')
    .option('--force', 'also delete/replace protected instances')
    .option('--rebuild', 'rebuild instances whose os_image changed')
    .option('--no-nft', 'do not regenerate and load the nftables isolation table')
    .option('--nft-only', 'only regenerate and load the nftables isolation table (same as `nft apply`)')
    .option('--domain <name>', 'only this domain (repeatable)', collect)
    .option('--concurrency <n>', 'actions run at once', String(DEFAULT_CONCURRENCY))
    .option('--json', 'print the plan and results as JSON (needs --yes)')
    .option('--yolo', 'tolerate privileged LXC containers')
    .argument('[plan-file]', 'a plan saved by `anklume plan -o FILE`: apply exactly it (no question asked)')
    .addHelpText(
      'after',
      `
With a plan file, apply re-reads the infra file and Incus first and refuses
(exit 1, ANKLUME_PLAN_STALE, nothing changed) when either changed since the plan.

Examples:
  anklume apply                 # plan, ask, apply
  anklume apply --yes --prune   # non-interactive, also remove what was undeclared
  anklume plan -o plan.json     # review it, then:
  anklume apply plan.json`,
    )
    .action(async (planFile: string | undefined, opts: ApplyOpts, cmd: Command) => {
      const g = globals(cmd)
      if (opts.nftOnly) {
        if (planFile !== undefined) throw new CliError('ANKLUME_USAGE', '--nft-only takes no plan file')
        const { loadTable } = await import('./nft.js')
        return loadTable(opts.file, g, opts.json)
      }
      const concurrency = parseConcurrency(opts.concurrency, DEFAULT_CONCURRENCY)
      const saved = planFile === undefined ? undefined : await readSaved(planFile, opts)
      if (!saved) requireYes(opts, 'apply changes Incus')
      const early = connectEarly(g)
      let engine: typeof import('@anklume/engine')
      let loaded: Awaited<ReturnType<typeof loadInfra>>
      let planOptions: SavedPlan['options']
      try {
        engine = await import('@anklume/engine')
        if (saved) await engine.checkSavedSources(saved)
        const file = saved ? (saved.infra.file ?? undefined) : opts.file
        const yolo = saved ? saved.options.yolo : opts.yolo
        loaded = await loadInfra(file, { yolo, quiet: g.quiet || opts.json })
        if (saved) sameSources(saved, loaded.infra.sources)
        else
          checkDomains(
            opts.domain,
            loaded.infra.domains.map((d) => d.name),
            opts.file,
          )
        planOptions = saved
          ? saved.options
          : {
              prune: opts.prune,
              force: opts.force,
              rebuild: opts.rebuild,
              domains: opts.domain,
              // The table and the host checks belong to the Incus host: not this machine under --remote.
              hostIsolation: opts.nft !== false && !g.remote,
            }
      } catch (e) {
        await early.drop()
        throw e
      }
      const client = await early.take()
      const lock = await lockIncus(client)
      const ctrl = new AbortController()
      const onSigint = () => {
        if (ctrl.signal.aborted) process.exit(130)
        ctrl.abort()
        err('\ninterrupted: no new actions start; waiting for those in flight (Ctrl-C again to quit now)')
      }
      process.on('SIGINT', onSigint)
      try {
        const planned = await engine.planInfra(client, loaded.infra, {
          level: loaded.level,
          prune: planOptions.prune,
          force: planOptions.force,
          rebuild: planOptions.rebuild,
          domains: planOptions.domains,
          hostIsolation: planOptions.hostIsolation,
        })
        // Under the lock: nothing can change Incus between this check and the apply (but another tool).
        if (saved) engine.checkSavedPlan(saved, planned, client.target)
        const { plan } = planned
        if (!opts.json) {
          for (const w of plan.warnings) err(`warning: ${escapeControl(w)}`)
          out(await renderPlan(plan, useColor(g)))
        }
        const reviewed = saved !== undefined
        if (
          plan.actions.length > 0 &&
          !opts.yes &&
          !reviewed &&
          !(await confirm('\nApply these changes? Type "yes": '))
        ) {
          err('cancelled: nothing changed')
          process.exitCode = EXIT_FAILURE
          return
        }
        const progress = opts.json ? undefined : createProgress(plan.actions.length)
        const started = Date.now()
        const result = await engine.applyInfra(client, planned, {
          concurrency,
          signal: ctrl.signal,
          nesting: loaded.nesting,
          hostOverlapGuard: !g.remote,
          onEvent: progress?.onEvent,
        })
        progress?.stop()
        const secs = ((Date.now() - started) / 1000).toFixed(1)
        const { counts } = result.execution
        // Without root the table is not loaded: said loudly below, with the command, but not a failed apply.
        const succeeded = engine.applySucceeded(result)
        if (opts.json) {
          printJson({
            plan,
            results: result.execution.results.map((r) => ({
              id: r.id,
              status: r.status,
              durationMs: Math.round(r.durationMs),
              ...(r.error ? { error: String((r.error as Error).message ?? r.error) } : {}),
            })),
            nft: result.nft?.ok
              ? result.nft.result
              : result.nft
                ? { error: String((result.nft.error as Error).message) }
                : null,
          })
        } else {
          if (planned.observed.cluster) {
            // Under a cluster the isolation is the network ACLs every member enforces (docs/cluster.md).
            out(
              `isolation: Incus network ACLs, enforced by each of the ${planned.observed.cluster.members.length} cluster members (no nftables table on this machine)`,
            )
          } else if (g.remote && opts.nft !== false) {
            err('nftables: not loaded (--remote): run `anklume nft apply` on the Incus host itself')
          }
          if (result.nft?.ok) {
            out(
              `nftables: table inet ${result.nft.result.table} ${result.nft.result.unchanged ? 'up to date' : 'loaded'}`,
            )
            for (const w of result.nft.result.warnings) err(`warning: ${escapeControl(w.message)}`)
          } else if (result.nft) {
            const e = result.nft.error as Error & { hint?: string }
            err(`nftables: not loaded: ${messageOf(e)}${e.hint ? `\n  hint: ${escapeControl(e.hint)}` : ''}`)
          }
          // Each failure was printed once, by the progress line (`✗ create instance a/b: …`).
          out(
            `Apply ${succeeded ? 'complete' : 'incomplete'}: ${counts.done} done, ${counts.failed} failed, ${counts.blocked} blocked, ${counts.cancelled} cancelled in ${secs}s`,
          )
          if (ctrl.signal.aborted) err('interrupted: run apply again to finish')
        }
        process.exitCode = succeeded ? EXIT_OK : EXIT_FAILURE
      } finally {
        process.off('SIGINT', onSigint)
        await client.close()
        await lock.release()
      }
    })
}

/** The options a saved plan fixes cannot be given again; the file must be a saved plan. */
async function readSaved(planFile: string, opts: ApplyOpts): Promise<SavedPlan> {
  const fixed = (
    [
      ['-f/--file', opts.file !== undefined],
      ['--prune', opts.prune],
      ['--force', opts.force],
      ['--rebuild', opts.rebuild],
      ['--domain', opts.domain !== undefined],
      ['--no-nft', opts.nft === false],
      ['--yolo', opts.yolo],
    ] as const
  )
    .filter(([, given]) => given)
    .map(([name]) => name)
  if (fixed.length > 0)
    throw new CliError(
      'ANKLUME_USAGE',
      `${fixed.join(', ')}: a saved plan already fixes ${fixed.length > 1 ? 'them' : 'it'}`,
      'pass them to `anklume plan -o FILE` instead',
    )
  return readPlanFile(planFile)
}

/** A file added to (or gone from) an infra/ directory since the plan makes it stale too. */
function sameSources(saved: SavedPlan, sources: readonly string[]): void {
  const now = sources.map((p) => resolve(p)).sort()
  const then = saved.infra.sources.map((s) => s.path).sort()
  if (now.join('\n') !== then.join('\n')) {
    const added = now.filter((p) => !then.includes(p))
    throw new AnklumeError(
      'ANKLUME_PLAN_STALE',
      `the plan is stale: the infra files changed since the plan was made${added.length ? ` (new: ${added.join(', ')})` : ''}`,
      { hint: 'nothing was applied: run `anklume plan -o <file>` again, review it, then apply that file' },
    )
  }
}
