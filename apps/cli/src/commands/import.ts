import { isAnklumeError } from '@anklume/errors'
import type { Command } from 'commander'
import { EXIT_FAILURE, EXIT_INVALID, EXIT_OK, renderError } from '../errors.js'
import { loadContext } from '../helpers/context.js'
import { collect } from '../helpers/options.js'
import { emitInfra } from '../helpers/output-file.js'
import { connect, err, globals, out } from '../helpers/shared.js'

interface ImportOpts {
  output?: string
  force?: boolean
  projectName?: string
  project?: string[]
}

export function register(program: Command): void {
  program
    .command('import')
    .description(
      'read an existing Incus (every project but default) and write the infra file that describes it',
    )
    .option('-o, --output <file>', 'write the infra file here (atomically) instead of stdout')
    .option(
      '--project-name <name>',
      'import only the Incus projects of this anklume project_name (their user.anklume.project label); on an Incus with no such label, the project_name of the file',
    )
    .option('--project <name>', 'only this Incus project (repeatable)', collect)
    .option('--force', 'overwrite an existing output file; write it even if it does not validate')
    .addHelpText(
      'after',
      `
One domain per project: subnet from the bridge of its default profile's nic,
machines with image, static IP (eth0 ipv4.address), config, devices,
profiles, volumes, boot/snapshot keys and protection (ephemeral).
What cannot be written, or what apply would still change, is printed as
warnings and kept in the file's header; projects that cannot be expressed
(no bridge, another base subnet than the majority) are left out (exit 1).
One file describes one anklume project: when the Incus holds projects of
several project_name labels, pick one with --project-name (else exit 2,
listing them); import each into its own file.
Check the result with: anklume plan -f <file>  (expect no changes).

Examples:
  anklume import -o infra.yml
  anklume import --project-name lab -o lab.yml
  anklume import --project lab --project-name lab | less`,
    )
    .action(async (opts: ImportOpts, cmd: Command) => {
      const g = globals(cmd)
      const { importIncus } = await import('@anklume/engine')
      const { namingLevel } = await import('@anklume/schema')
      const ctx = await loadContext()
      const client = await connect(g)
      let imported: Awaited<ReturnType<typeof importIncus>>
      try {
        imported = await importIncus(client, {
          projects: opts.project,
          projectName: opts.projectName,
          level: namingLevel(ctx),
        })
      } catch (e) {
        if (!isAnklumeError(e, ['ANKLUME_IMPORT_NO_PROJECT', 'ANKLUME_IMPORT_SEVERAL_PROJECTS'])) throw e
        err(renderError(e, false))
        process.exitCode = EXIT_INVALID
        return
      } finally {
        await client.close()
      }
      for (const w of imported.warnings) err(`warning: ${w}`)
      for (const e of imported.errors) err(`error: ${e}`)
      const emitted = await emitInfra(imported.text, {
        output: opts.output,
        force: opts.force,
        ctx,
        what: 'imported',
        invalidExit: EXIT_FAILURE,
      })
      if ('refused' in emitted) {
        process.exitCode = emitted.refused
        return
      }
      if ('written' in emitted)
        out(
          `wrote ${emitted.written}: ${imported.domains} domain(s), ${imported.machines} machine(s), ${imported.warnings.length} warning(s), ${imported.errors.length} left out`,
        )
      process.exitCode = imported.errors.length > 0 ? EXIT_FAILURE : EXIT_OK
    })
}
