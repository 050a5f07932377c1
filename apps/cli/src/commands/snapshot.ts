import { hostname } from 'node:os'
import type { InstanceRef, SnapshotOpResult } from '@anklume/engine'
import type { IncusClient } from '@anklume/incus-client'
import type { Command } from 'commander'
import { CliError, EXIT_FAILURE, EXIT_OK } from '../errors.js'
import { findInfra } from '../helpers/infra-file.js'
import { fileOption } from '../helpers/options.js'
import { confirm, interactive } from '../helpers/prompt.js'
import { err, globals, out, printJson, printTable, tableTime, withClient } from '../helpers/shared.js'
import { asUsage } from '../helpers/usage.js'

interface TargetOpts {
  domain?: string
  all?: boolean
  file?: string
  json?: boolean
  force?: boolean
  stateful?: boolean
}

/**
 * `<target> [name]` with --domain/--all: the first word is then the name
 * (`snapshot create --domain pro before-upgrade`).
 */
function split(
  target: string | undefined,
  name: string | undefined,
  o: TargetOpts,
): [string | undefined, string | undefined] {
  if ((o.domain !== undefined || o.all) && target !== undefined && name === undefined)
    return [undefined, target]
  return [target, name]
}

/** One all-projects listing, then the targets (instance, self, --domain, --all). */
async function targets(
  client: IncusClient,
  target: string | undefined,
  o: TargetOpts,
): Promise<InstanceRef[]> {
  const { parseTarget, selectInstances } = await import('@anklume/engine')
  const loaded = await findInfra(o.file)
  const spec = await asUsage(() => parseTarget(target, o))
  return asUsage(() => selectInstances(client, spec, { infra: loaded, hostname: hostname() }))
}

function report(results: SnapshotOpResult[], verb: string, json: boolean | undefined): void {
  if (json) {
    printJson({
      results: results.map((r) => ({
        ...r,
        error: r.error === undefined ? undefined : String((r.error as Error).message ?? r.error),
      })),
    })
  } else {
    for (const r of results) {
      if (r.ok) out(`${verb} ${r.snapshot} of ${r.project}/${r.instance}`)
      else err(`failed: ${r.project}/${r.instance}: ${(r.error as Error)?.message ?? r.error}`)
    }
  }
  process.exitCode = results.every((r) => r.ok) ? EXIT_OK : EXIT_FAILURE
}

const withTarget = (c: Command) =>
  c
    .option('--domain <domain>', 'every instance of the domain (user.anklume.domain label)')
    .option('--all', 'every anklume instance')
    .addOption(fileOption('infra file: limits --all/--domain to its project_name'))
    .option('--json', 'print as JSON')

export function register(program: Command): void {
  const snap = program
    .command('snapshot')
    .description('create, restore, list and delete instance snapshots')
    .addHelpText(
      'after',
      `
A target is an instance (machine name or Incus name), "self" (the instance we run
in), --domain <d> or --all. Default snapshot name: snap-YYYYMMDD-HHMMSS (UTC).

Examples:
  anklume snapshot create pro-dev
  anklume snapshot create --domain pro before-upgrade
  anklume snapshot restore pro-dev before-upgrade
  anklume snapshot list --all --json`,
    )

  withTarget(snap.command('create').description('snapshot the target(s)'))
    .argument('[target]', 'instance, or self')
    .argument('[name]', 'snapshot name (default snap-YYYYMMDD-HHMMSS, UTC)')
    .option('--stateful', 'include the running state (needs CRIU)')
    .action(async (t: string | undefined, n: string | undefined, o: TargetOpts, cmd: Command) => {
      const [target, name] = split(t, n, o)
      await withClient(globals(cmd), async (client) => {
        const { createSnapshots } = await import('@anklume/engine')
        const list = await targets(client, target, o)
        report(await createSnapshots(client, list, { name, stateful: o.stateful }), 'created', o.json)
      })
    })

  withTarget(
    snap.command('restore').description('put the target(s) back to a snapshot (running instances too)'),
  )
    .argument('[target]', 'instance, or self')
    .argument('[name]', 'snapshot name')
    .option('--force', 'restore the instance we run in without asking')
    .action(async (t: string | undefined, n: string | undefined, o: TargetOpts, cmd: Command) => {
      const [target, name] = split(t, n, o)
      if (!name)
        throw new CliError('ANKLUME_USAGE', 'restore needs a snapshot name', 'anklume snapshot list <target>')
      await withClient(globals(cmd), async (client) => {
        const { isSelf, restoreSnapshots } = await import('@anklume/engine')
        const list = await targets(client, target, o)
        const self = list.find((i) => isSelf(i, hostname()))
        if (self && !o.force) {
          const question = `${self.project}/${self.name} is the instance this command runs in; restoring it restarts it. Type "yes": `
          if (!interactive()) {
            throw new CliError(
              'ANKLUME_USAGE',
              `${self.name} is the instance we run in: pass --force to restore it`,
            )
          }
          if (!(await confirm(question))) {
            err('cancelled: nothing restored')
            process.exitCode = EXIT_FAILURE
            return
          }
        }
        report(await restoreSnapshots(client, list, name), 'restored', o.json)
      })
    })

  withTarget(snap.command('list').description('list snapshots (default: every anklume instance)'))
    .argument('[target]', 'instance, or self')
    .action(async (target: string | undefined, o: TargetOpts, cmd: Command) => {
      await withClient(globals(cmd), async (client) => {
        const { listSnapshots } = await import('@anklume/engine')
        const all = target === undefined && o.domain === undefined && !o.all
        const rows = await listSnapshots(client, await targets(client, target, all ? { ...o, all: true } : o))
        if (o.json) return printJson({ snapshots: rows })
        printTable([
          ['INSTANCE', 'SNAPSHOT', 'CREATED', 'EXPIRES', 'STATEFUL'],
          ...rows.map((r) => [
            r.instance,
            r.snapshot,
            tableTime(r.createdAt),
            tableTime(r.expiresAt),
            r.stateful ? 'yes' : 'no',
          ]),
        ])
      })
    })

  withTarget(snap.command('delete').description('delete a snapshot of the target(s)'))
    .argument('[target]', 'instance, or self')
    .argument('[name]', 'snapshot name')
    .action(async (t: string | undefined, n: string | undefined, o: TargetOpts, cmd: Command) => {
      const [target, name] = split(t, n, o)
      if (!name)
        throw new CliError('ANKLUME_USAGE', 'delete needs a snapshot name', 'anklume snapshot list <target>')
      await withClient(globals(cmd), async (client) => {
        const { deleteSnapshots } = await import('@anklume/engine')
        report(await deleteSnapshots(client, await targets(client, target, o), name), 'deleted', o.json)
      })
    })
}
