/**
 * `anklume dashboard` and `anklume console`: thin wrappers over
 * @anklume/dashboard, loaded only when one of them runs.
 */
import type { Command } from 'commander'
import { CliError } from '../errors.js'
import { loadInfra } from '../helpers/infra-file.js'
import { fileOption } from '../helpers/options.js'
import { connect, err, globals, out, withClient } from '../helpers/shared.js'

interface DashboardOpts {
  file?: string
  host: string
  port?: string
  listen?: boolean
  allowActions?: boolean
}

interface ConsoleOpts {
  file?: string
  session?: string
  tmuxSocket?: string
  dryRun?: boolean
  kill?: boolean
  attach?: boolean
  incusRemote?: string
}

function parsePort(v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new CliError('ANKLUME_USAGE', `--port must be a port number (0-65535), got "${v}"`)
  }
  return n
}

async function dashboard(opts: DashboardOpts, cmd: Command): Promise<void> {
  const port = parsePort(opts.port)
  const { infra, level } = await loadInfra(opts.file, { quiet: true })
  const { startDashboard } = await import('@anklume/dashboard')
  const client = await connect(globals(cmd))
  try {
    const d = await startDashboard({
      client,
      infra,
      level,
      host: opts.host,
      ...(port !== undefined ? { port } : {}),
      listen: opts.listen === true,
      allowActions: opts.allowActions === true,
      onError: (e) => err(`dashboard: ${(e as Error).message ?? e}`),
    })
    out(`anklume dashboard of ${infra.projectName} (Incus: ${client.target})`)
    out(`  ${d.url}`)
    out(
      d.allowActions
        ? 'Actions and the terminal are enabled. Ctrl-C stops it.'
        : 'Read-only (restart with --allow-actions for the buttons and the terminal). Ctrl-C stops it.',
    )
    await new Promise<void>((resolve) => {
      const stop = () => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await d.close()
  } finally {
    await client.close()
  }
}

async function consoleCmd(opts: ConsoleOpts, cmd: Command): Promise<void> {
  const g = globals(cmd)
  if (g.remote && !opts.incusRemote) {
    throw new CliError(
      'ANKLUME_USAGE',
      'with --remote, the panes need the name of that server in the `incus` CLI',
      'pass --incus-remote <name> (see `incus remote list`)',
    )
  }
  const { infra, level } = await loadInfra(opts.file, { quiet: true })
  const { consolePlan, domainsOf, renderTmux, runConsole } = await import('@anklume/dashboard')
  const { domains } = await withClient(g, (client) => domainsOf(client, infra, { level }))
  const session = opts.session ?? `anklume-${infra.projectName}`
  const plan = consolePlan(domains, {
    session,
    ...(opts.incusRemote ? { remote: opts.incusRemote } : {}),
  })
  const tmuxBase = opts.tmuxSocket ? ['-L', opts.tmuxSocket] : []
  if (opts.dryRun) {
    if (opts.kill) out(renderTmux([['kill-session', '-t', `=${session}`]], opts.tmuxSocket)[0] as string)
    for (const line of renderTmux(plan, opts.tmuxSocket)) out(line)
    return
  }
  const result = await runConsole(plan, session, {
    ...(opts.tmuxSocket ? { socket: opts.tmuxSocket } : {}),
    kill: opts.kill === true,
  })
  const attachCmd = ['tmux', ...tmuxBase, 'attach', '-t', `=${session}`]
  if (result === 'exists') err(`session ${session} exists already: attaching (--kill recreates it)`)
  if (opts.attach !== false && process.stdin.isTTY && process.stdout.isTTY && !process.env.TMUX) {
    const { spawnSync } = await import('node:child_process')
    spawnSync(attachCmd[0] as string, attachCmd.slice(1), { stdio: 'inherit' })
  } else {
    out(`session ${session} ${result === 'created' ? 'created' : 'ready'}: ${attachCmd.join(' ')}`)
  }
}

export function register(program: Command): void {
  program
    .command('dashboard')
    .description('serve a live web page of the infra: domains, machines, isolation map, drift (local, token)')
    .addOption(fileOption())
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (default: a free one)')
    .option('--listen', 'allow a non-loopback --host (reachable from the network; the token still applies)')
    .option('--allow-actions', 'enable start/stop/restart/pause/snapshot/restore and the terminal')
    .addHelpText(
      'after',
      `
Prints a URL with a random access token (like Jupyter). The page updates from
Incus's event stream. Read-only unless --allow-actions.

Examples:
  anklume dashboard
  anklume dashboard --port 8080 --allow-actions
  ssh -L 8080:127.0.0.1:8080 host anklume dashboard --port 8080   # from another machine`,
    )
    .action((opts: DashboardOpts, cmd: Command) => dashboard(opts, cmd))

  program
    .command('console')
    .description(
      'open a tmux session: a window per domain, a pane per running machine, trust-coloured borders',
    )
    .addOption(fileOption())
    .option('--session <name>', 'tmux session name (default: anklume-<project_name>)')
    .option('--tmux-socket <name>', 'tmux server socket name (tmux -L), default: your tmux server')
    .option('--dry-run', 'print the tmux commands instead of running them')
    .option('--kill', 'kill the session first and build it again')
    .option('--no-attach', 'build the session without attaching to it')
    .option('--incus-remote <name>', 'the `incus` CLI remote of the server (with --remote)')
    .addHelpText(
      'after',
      `
Each pane runs \`incus exec --project <project> <instance> -- sh\` (bash when
the machine has it). Run it again to attach; --kill to rebuild after changes.

Examples:
  anklume console
  anklume console --dry-run
  anklume console --kill --tmux-socket anklume`,
    )
    .action((opts: ConsoleOpts, cmd: Command) => consoleCmd(opts, cmd))
}
