import { resolve } from 'node:path'
import { isAnklumeError } from '@anklume/errors'
import { type Command, Option } from 'commander'
import { CliError, EXIT_INVALID, EXIT_OK, renderError } from '../errors.js'
import { loadContext } from '../helpers/context.js'
import { findIncusRemote, incusConfigPath } from '../helpers/incus-remote.js'
import { treeDir } from '../helpers/infra-file.js'
import { fileOption } from '../helpers/options.js'
import { globals } from '../helpers/shared.js'
import { addDiagnostics, errorDiagnostics, printJson } from '../json-output.js'

/** Codes of @anklume/convert's inventory errors that mean "fix your files" (exit 2). */
const INVALID = ['ANKLUME_INVENTORY_MARKERS'] as const

interface SyncOpts {
  file?: string
  dir?: string
  /** Deprecated spelling of --dir. */
  outputDir?: string
  cleanOrphans?: boolean
  dryRun?: boolean
  json?: boolean
  incusRemote?: string
  connection?: boolean
}

/**
 * `ansible_incus_remote`: --incus-remote, else (with --remote URL) the incus
 * CLI remote that points at that URL; a warning when none does.
 */
async function incusRemote(opts: SyncOpts, remoteUrl: string | undefined, warnings: string[]) {
  if (opts.incusRemote !== undefined) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(opts.incusRemote))
      throw new CliError(
        'ANKLUME_USAGE',
        `--incus-remote must be the name of an incus CLI remote (letters, digits, ".", "_", "-"), got "${opts.incusRemote}"`,
        'incus remote list',
      )
    return opts.incusRemote
  }
  if (remoteUrl === undefined) return undefined
  const found = await findIncusRemote(remoteUrl)
  if (found === undefined)
    warnings.push(
      `ansible_incus_remote not written: no remote of the incus CLI (${incusConfigPath()}) points at ${remoteUrl}, so Ansible would look for the machines on the local Incus; add one (incus remote add NAME ${remoteUrl}) and run sync again, or name it with --incus-remote NAME`,
    )
  return found
}

export function register(program: Command): void {
  program
    .command('sync')
    .description('write the Ansible inventory (inventory/, group_vars/, host_vars/) from the infra file')
    .addOption(fileOption())
    .option('-d, --dir <dir>', 'where the Ansible tree goes (default: next to the infra file)')
    // Before -o meant a file everywhere else: kept working, with a warning.
    .addOption(new Option('-o, --output-dir <dir>', 'deprecated: use -d, --dir').hideHelp())
    .option(
      '--clean-orphans',
      'delete generated files of domains/machines no longer declared (unprotected only)',
    )
    .option('--dry-run', 'write nothing; list what would change')
    .option(
      '--incus-remote <name>',
      'incus CLI remote the machines are on (ansible_incus_remote; default: the one pointing at --remote, else local)',
    )
    .option(
      '--connection',
      'also write ansible_connection: community.general.incus (overrides "connection: local" plays)',
    )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Only the block between "# === MANAGED BY infra.yml ===" and "# === END MANAGED ==="
is rewritten; anything else in those files is kept byte for byte.
Orphans whose variables say ephemeral: false are protected: reported, never deleted.
Each host gets ansible_host (its static IP) and what the community.general.incus
connection plugin needs: ansible_incus_host (instance name), ansible_incus_project,
and ansible_incus_remote with --remote/--incus-remote. Connect with it in the play
(connection: community.general.incus) or with -c; --connection writes it instead.
Check that the plugin is installed with: anklume doctor

Examples:
  anklume sync
  anklume sync -f lab/infra.yml --dry-run
  anklume sync --clean-orphans
  anklume sync && ansible all -i inventory -c community.general.incus -m ping`,
    )
    .action(async (opts: SyncOpts, cmd: Command) => {
      const { loadOrThrow, namingLevel } = await import('@anklume/schema')
      const { syncInventory } = await import('@anklume/convert')
      const ctx = await loadContext()
      const infra = await loadOrThrow(opts.file, ctx)
      if (opts.outputDir !== undefined)
        process.stderr.write(
          'warning: sync -o/--output-dir is deprecated: use -d/--dir (elsewhere -o names a file)\n',
        )
      const given = opts.dir ?? opts.outputDir
      const dir = given ? resolve(given) : await treeDir(opts.file)
      const remoteWarnings: string[] = []
      const remote = await incusRemote(opts, globals(cmd).remote, remoteWarnings)
      let report: Awaited<ReturnType<typeof syncInventory>>
      try {
        report = await syncInventory(infra, dir, {
          level: namingLevel(ctx),
          dryRun: opts.dryRun === true,
          cleanOrphans: opts.cleanOrphans === true,
          ...(remote !== undefined ? { incusRemote: remote } : {}),
          connection: opts.connection === true,
        })
        report.warnings.push(...remoteWarnings)
      } catch (err) {
        if (!isAnklumeError(err, INVALID)) throw err
        addDiagnostics(...errorDiagnostics(err))
        process.stderr.write(`${renderError(err, cmd.optsWithGlobals().verbose === true)}\n`)
        process.exitCode = EXIT_INVALID
        return
      }
      if (opts.json) {
        printJson(report)
        process.exitCode = EXIT_OK
        return
      }
      const verbose = cmd.optsWithGlobals().verbose === true
      const would = report.dryRun ? 'would be ' : ''
      for (const f of report.files) {
        if (f.status !== 'unchanged' || verbose)
          process.stdout.write(`${would}${f.status.padEnd(9)} ${f.path}\n`)
      }
      for (const o of report.orphans) {
        const why = o.protected
          ? 'protected (ephemeral: false): remove by hand if it is really gone'
          : o.removed
            ? 'removed'
            : report.dryRun && opts.cleanOrphans
              ? 'would be removed'
              : 'remove with --clean-orphans'
        process.stdout.write(`orphan    ${o.path}: ${why}\n`)
      }
      for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`)
      const count = (s: string) => report.files.filter((f) => f.status === s).length
      process.stdout.write(
        `${report.dryRun ? 'dry run, nothing written: ' : ''}${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged in ${dir}\n`,
      )
      process.exitCode = EXIT_OK
    })
}
