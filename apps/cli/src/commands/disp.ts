import { spawnSync } from 'node:child_process'
import type { Command } from 'commander'
import { CliError, EXIT_FAILURE } from '../errors.js'
import { findInfra } from '../helpers/infra-file.js'
import { fileOption } from '../helpers/options.js'
import { interactive } from '../helpers/prompt.js'
import { connect, err, globals, out } from '../helpers/shared.js'
import { asUsage } from '../helpers/usage.js'

interface DispOpts {
  image?: string
  domain?: string
  force?: boolean
  file?: string
}

/** The incus CLI is on PATH (only used to open an interactive shell). */
function hasIncusCli(): boolean {
  return spawnSync('incus', ['--version'], { stdio: 'ignore' }).status === 0
}

export function register(program: Command): void {
  program
    .command('disp')
    .description('run a command (or a shell) in a disposable instance, gone when it stops')
    .argument('[command...]', 'the command, after --')
    .option('--image <image>', "image (default: the infra's default_os_image, else images:debian/13)")
    .option('--domain <domain>', 'the domain whose project (and default profile: root disk, nic) it goes in')
    .option('--force', 'allow the default project (no --domain)')
    .addOption(fileOption('infra file (default image, domain → project)'))
    .addHelpText(
      'after',
      `
The instance is created with Incus's ephemeral flag: stopping it deletes it.
The command runs through the Incus exec API; its stdout, stderr and exit code
become anklume's. Without a command, on a terminal, a shell is opened with
"incus exec" when the incus CLI is installed.

Examples:
  anklume disp --domain sandbox -- uname -a
  anklume disp --domain sandbox --image images:alpine/3.20`,
    )
    .action(async (command: string[], o: DispOpts, cmd: Command) => {
      const engine = await import('@anklume/engine')
      const loaded = await findInfra(o.file)
      const image = o.image ?? loaded?.infra.global.defaultOsImage ?? engine.DEFAULT_DISP_IMAGE
      if (command.length === 0 && !interactive()) {
        throw new CliError(
          'ANKLUME_USAGE',
          'no command and no terminal for a shell',
          'anklume disp --domain d -- cmd args',
        )
      }
      const client = await connect(globals(cmd))
      try {
        const domain = o.domain
        const project =
          domain === undefined
            ? 'default'
            : await asUsage(() => engine.projectOfDomain(client, domain, loaded))
        await asUsage(() => engine.checkDispProject(project, o.force === true))
        if (command.length > 0) {
          const run = await engine.runDisposable(client, command, { image, project })
          process.stdout.write(run.result.stdout)
          process.stderr.write(run.result.stderr)
          if (!run.gone)
            err(`warning: ${project}/${run.name} still exists after stop; delete it with incus delete`)
          process.exitCode = run.result.exitCode
          return
        }
        const inst = await engine.startDisposable(client, { image, project })
        const execLine = `incus exec ${inst.name} --project ${project} -- sh`
        if (!hasIncusCli()) {
          out(`${project}/${inst.name} is running (ephemeral). Open a shell with:\n  ${execLine}`)
          out(`Stop it when done (that deletes it):\n  incus stop ${inst.name} --project ${project}`)
          return
        }
        err(`${project}/${inst.name}: opening a shell; the instance is deleted when it exits`)
        const shell = spawnSync('incus', ['exec', inst.name, '--project', project, '--', 'sh'], {
          stdio: 'inherit',
        })
        const gone = await engine.stopDisposable(client, inst)
        if (!gone) err(`warning: ${project}/${inst.name} still exists after stop`)
        process.exitCode = shell.status ?? EXIT_FAILURE
      } finally {
        await client.close()
      }
    })
}
