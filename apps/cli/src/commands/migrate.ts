import { isAnklumeError } from '@anklume/errors'
import type { Command } from 'commander'
import { EXIT_INVALID, EXIT_OK, renderError } from '../errors.js'
import { readHostContext } from '../helpers/context.js'
import { emitInfra } from '../helpers/output-file.js'

/** Codes of @anklume/convert's migrate errors that mean "the input is wrong" (exit 2). */
const INVALID = [
  'ANKLUME_MIGRATE_INVALID',
  'ANKLUME_MIGRATE_NOT_A_PROJECT',
  'ANKLUME_MIGRATE_UNSUPPORTED',
  'ANKLUME_SCHEMA_VERSION_UNSUPPORTED',
] as const

interface MigrateOpts {
  output?: string
  force?: boolean
  projectName?: string
}

export function register(program: Command): void {
  program
    .command('migrate')
    .description(
      'convert an AnKLuMe Python-era project (anklume.yml + domains/ + policies.yml) into an infra file',
    )
    .argument('<dir>', 'the AnKLuMe project directory (holding anklume.yml)')
    .option('-o, --output <file>', 'write the infra file here (atomically) instead of stdout')
    .option('--project-name <name>', 'project_name of the new infra (default: the directory name)')
    .option('--force', 'overwrite an existing output file; write it even if it does not validate')
    .addHelpText(
      'after',
      `
Domain names, machine names (<domain>-<machine>, as AnKLuMe named instances),
subnets and IPs are written out explicitly, so apply finds what AnKLuMe created.
What cannot be carried over (gui, workspace, persistent, ...) is listed as
warnings and in the header of the new file. schema_version newer than 1 is refused.

Examples:
  anklume migrate ~/my-anklume-project -o infra.yml
  anklume migrate . | less`,
    )
    .action(async (dir: string, opts: MigrateOpts, cmd: Command) => {
      const { migrateProject } = await import('@anklume/convert')
      const verbose = cmd.optsWithGlobals().verbose === true
      const host = await readHostContext()
      let migrated: Awaited<ReturnType<typeof migrateProject>>
      try {
        const { nesting } = host
        migrated = await migrateProject(dir, {
          projectName: opts.projectName,
          absoluteLevel: nesting.absoluteLevel,
        })
      } catch (err) {
        if (!isAnklumeError(err, INVALID)) throw err
        process.stderr.write(`${renderError(err, verbose)}\n`)
        process.exitCode = EXIT_INVALID
        return
      }
      for (const w of migrated.warnings) process.stderr.write(`warning: ${w}\n`)
      const emitted = await emitInfra(migrated.text, {
        output: opts.output,
        force: opts.force,
        ctx: host.load,
        what: 'migrated',
        invalidExit: EXIT_INVALID,
      })
      if ('refused' in emitted) {
        process.exitCode = emitted.refused
        return
      }
      if ('written' in emitted)
        process.stdout.write(
          `wrote ${emitted.written} (${migrated.warnings.length} warning${migrated.warnings.length === 1 ? '' : 's'})\n`,
        )
      process.exitCode = EXIT_OK
    })
}
