import { Command } from 'commander'
import { COMMANDS, type CommandModule } from './commands/index.js'
import { checkTimeout, globals } from './helpers/shared.js'
import { version } from './helpers/version.js'
import { setCommand } from './json-output.js'

/**
 * The program builder. Each command lives in `commands/<name>.ts` and defines
 * its options there; only the module of the command `argv` names is loaded
 * (all of them for `--help`, `help` or an unknown command), and each imports
 * the libraries it needs lazily inside its action, so `anklume --version`
 * loads almost nothing.
 */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('anklume')
    .description('Declarative, compartmentalised Incus from one infra.yml')
    .version(version(), '--version', 'print the version')
    .option('--socket <path>', 'Incus unix socket (default: $INCUS_SOCKET, $INCUS_DIR/unix.socket, ...)')
    .option('--remote <url>', 'remote Incus over HTTPS, e.g. https://host:8443')
    .option('--cert <file>', 'TLS client certificate (with --remote)')
    .option('--key <file>', 'TLS client key (with --remote)')
    .option('--server-cert <file>', 'pinned server certificate (with --remote)')
    .option('--timeout <seconds>', 'wait this long for each Incus answer before giving up (default 300)')
    .option('--no-color', 'disable colours (also NO_COLOR)')
    .option('-q, --quiet', 'print only errors and results')
    .option('-v, --verbose', 'more detail, stack traces on errors')
    .showHelpAfterError()
    .exitOverride()
  // Program-wide options are checked before any command runs (an offline one too).
  program.hook('preAction', (_program, action) => {
    setCommand(fullName(action))
    checkTimeout(globals(action))
  })
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) })
  const modules = await Promise.all(commandsFor(program, argv).map((c) => c.load()))
  for (const m of modules) m.register(program)
  return program
}

/** `snapshot list`: the command's name under the program. */
function fullName(cmd: Command): string {
  const names: string[] = []
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name())
  return names.join(' ')
}

/** The command the arguments name (for a usage error before it ran): the known command words in order. */
export function commandPath(program: Command, args: readonly string[]): string {
  const names: string[] = []
  let cmd = program
  for (const a of args) {
    if (a === '--') break
    const sub = cmd.commands.find((c) => c.name() === a || c.aliases().includes(a))
    if (!sub) continue
    names.push(sub.name())
    cmd = sub
  }
  return names.join(' ')
}

/**
 * The command modules `argv` needs: the one of the named command, none for a
 * bare `--version`, and all of them otherwise (help lists every command,
 * commander suggests the nearest name for a typo).
 */
export function commandsFor(program: Command, argv: readonly string[]): readonly CommandModule[] {
  const takesValue = new Set<string>()
  for (const o of program.options) {
    if (!(o.required || o.optional)) continue
    if (o.long) takesValue.add(o.long)
    if (o.short) takesValue.add(o.short)
  }
  const words: string[] = []
  const args = argv.slice(2)
  for (let i = 0; i < args.length && words.length < 2; i++) {
    const a = args[i] as string
    if (a === '--') break
    if (a.startsWith('-')) {
      if (!a.includes('=') && takesValue.has(a)) i++
      continue
    }
    words.push(a)
  }
  const name = words[0] === 'help' ? words[1] : words[0]
  if (name === undefined) {
    const helpOnly = args.includes('--version') && !args.some((a) => a === '-h' || a === '--help')
    return helpOnly ? [] : COMMANDS
  }
  const found = COMMANDS.find((c) => c.names.includes(name))
  return found && !found.needsAll ? [found] : COMMANDS
}
