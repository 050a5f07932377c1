import type { FlushItem, InventoryCleaner } from '@anklume/engine'
import { escapeControl } from '@anklume/errors'
import type { Command } from 'commander'
import { EXIT_FAILURE, EXIT_OK } from '../errors.js'
import { findInfra, treeDir } from '../helpers/infra-file.js'
import { fileOption } from '../helpers/options.js'
import { confirm, requireYes } from '../helpers/prompt.js'
import { connect, err, globals, lockIncus, out, printJson } from '../helpers/shared.js'
import { asUsage } from '../helpers/usage.js'

/** Binds @anklume/convert's cleanup of generated Ansible files to a tree and a scope. */
async function inventoryCleaner(
  dir: string,
  domain: string | undefined,
  machines: readonly string[] | undefined,
): Promise<InventoryCleaner> {
  const { removeGeneratedInventory } = await import('@anklume/convert')
  const scope = domain === undefined ? {} : { domain: { name: domain, machines: machines ?? [] } }
  return ({ dryRun }) => removeGeneratedInventory(dir, { ...scope, dryRun })
}

export interface FlushCommandOpts {
  file?: string
  dryRun?: boolean
  force?: boolean
  yes?: boolean
  nft?: boolean
  json?: boolean
}

/**
 * One line per object. `mode` says what a `would-delete` item means: in a dry
 * run nothing happens (`- (would delete)`); before a real flush it is what is
 * about to go (`- delete`).
 */
export function itemLine(i: FlushItem, mode: 'dry-run' | 'flush' = 'dry-run'): string {
  const where = i.project ? `${i.project}/` : ''
  const verb = {
    deleted: '- deleted',
    'would-delete': mode === 'dry-run' ? '- (would delete)' : '- delete',
    kept: '= kept',
    failed: '! failed',
  }[i.status]
  return escapeControl(`${verb} ${i.kind} ${where}${i.name}${i.reason ? `: ${i.reason}` : ''}`)
}

/** Shared by `flush` and `destroy <domain>`. */
export async function runFlushCommand(opts: FlushCommandOpts, cmd: Command, domain?: string): Promise<void> {
  const g = globals(cmd)
  const engine = await import('@anklume/engine')
  const loaded = await findInfra(opts.file)
  const target = engine.flushTarget(loaded?.infra, domain)
  const { scope } = target
  const what = engine.flushLabel(scope)
  const contextDir = process.env.ANKLUME_CONTEXT_DIR
  if (!opts.dryRun) {
    await engine.checkFlushAllowed({ contextDir, force: opts.force, scope })
    requireYes(opts, `${what} deletes things`)
  }
  if (!loaded && !opts.json) {
    err(`note: no infra file: every anklume-managed object (user.anklume.managed=true) is in scope`)
  }
  const flushOpts = {
    scope,
    force: opts.force,
    nft: opts.nft,
    nftTable: target.nftTable,
    contextDir,
    lockPath: process.env.ANKLUME_LOCK_PATH,
    hostInterfaces: !g.remote,
    ...(loaded
      ? { inventory: await inventoryCleaner(await treeDir(opts.file), domain, target.machines) }
      : {}),
  }
  const client = await connect(g)
  const lock = opts.dryRun ? undefined : await lockIncus(client)
  try {
    if (opts.dryRun) {
      const report = await engine.flush(client, { ...flushOpts, dryRun: true })
      if (opts.json) printJson(report)
      else {
        for (const i of report.items) out(itemLine(i))
        out(report.items.length === 0 ? 'Nothing to delete.' : `Dry run: nothing was deleted.`)
      }
      process.exitCode = EXIT_OK
      return
    }
    const { plan, observed } = await engine.prepareFlush(client, flushOpts)
    await asUsage(() => engine.checkDomainFound(target, plan))
    const table = await engine.existingTables(engine.flushTable(flushOpts), scope, observed.networks)
    const preview = [
      ...engine.describePlan(plan, table),
      ...(flushOpts.inventory ? engine.inventoryItems(await flushOpts.inventory({ dryRun: true })) : []),
    ]
    if (!opts.json) for (const i of preview) out(itemLine(i, 'flush'))
    if (!preview.some((i) => i.status === 'would-delete' || i.kind === 'inventory')) {
      if (opts.json) printJson({ dryRun: false, plan, items: preview, ok: true })
      else out('Nothing to delete.')
      process.exitCode = EXIT_OK
      return
    }
    if (!opts.yes && !(await confirm(`\n${what}: delete these? Type "yes": `))) {
      err('cancelled: nothing deleted')
      process.exitCode = EXIT_FAILURE
      return
    }
    const report = await engine.runFlush(client, plan, flushOpts)
    if (opts.json) printJson(report)
    else {
      for (const i of report.items.filter((x) => x.status !== 'deleted'))
        (i.status === 'failed' ? err : out)(itemLine(i, 'flush'))
      const count = (s: FlushItem['status']) => report.items.filter((i) => i.status === s).length
      out(`${what}: ${count('deleted')} deleted, ${count('kept')} kept, ${count('failed')} failed`)
    }
    process.exitCode = report.ok ? EXIT_OK : EXIT_FAILURE
  } finally {
    await client.close()
    await lock?.release()
  }
}

export function register(program: Command): void {
  program
    .command('flush')
    .description('delete everything anklume created (labelled objects only), in the safe order')
    .addOption(fileOption('infra file: only its objects (user.anklume.project), its table and inventory'))
    .option('--dry-run', 'list what would be deleted; delete nothing')
    .option('--force', 'also delete protected instances, and run on a production host')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--no-nft', 'leave the nftables isolation table in place')
    .option('--json', 'print the report as JSON (needs --yes unless --dry-run)')
    .addHelpText(
      'after',
      `
Order: instances → project images → volumes → profiles → default-profile devices →
projects → bridges (one at a time) → the nftables table → generated inventory files.
Without an infra file (-f, ./infra.yml, ./infra/base.yml) every object labelled
user.anklume.managed=true is in scope. A production host (/etc/anklume/absolute_level
0 or absent, yolo not true; ANKLUME_CONTEXT_DIR overrides the directory) needs --force.

Examples:
  anklume flush --dry-run
  anklume flush -f infra.yml --yes`,
    )
    .action((opts: FlushCommandOpts, cmd: Command) => runFlushCommand(opts, cmd))
}
