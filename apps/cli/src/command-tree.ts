/**
 * The commander program as plain data: commands, subcommands, arguments and
 * options with their help. Shell completion and the man page are generated
 * from it, so they never drift from the program (docs/cli-reference.md comes
 * from the same definitions, through `--help`).
 */
import type { Command, Option } from 'commander'

export interface OptionInfo {
  flags: string
  short?: string
  long?: string
  description: string
  /** Takes a value (`<path>` or `[value]`). */
  takesValue: boolean
  /** The value is a file or directory. */
  path: boolean
}

export interface CommandInfo {
  /** `snapshot list` (empty for the program itself). */
  path: string
  name: string
  description: string
  usage: string
  options: OptionInfo[]
  subcommands: CommandInfo[]
  /** Text added after the help (`addHelpText('after', …)`): examples, notes. */
  after: string
}

const PATH_VALUE = /<(path|file|dir|directory)>/

function optionInfo(o: Option): OptionInfo {
  return {
    flags: o.flags,
    ...(o.short ? { short: o.short } : {}),
    ...(o.long ? { long: o.long } : {}),
    description: o.description,
    takesValue: o.required || o.optional,
    path: PATH_VALUE.test(o.flags),
  }
}

/** What `addHelpText('after', …)` added, got the way commander prints it. */
function afterText(cmd: Command): string {
  let text = ''
  ;(cmd as unknown as NodeJS.EventEmitter).emit('afterHelp', {
    error: false,
    command: cmd,
    write: (s: string) => (text += s),
  })
  return text.replace(/^\n+/, '').trimEnd()
}

export function commandTree(cmd: Command, parent = ''): CommandInfo {
  const isRoot = cmd.parent === null
  const path = isRoot ? '' : `${parent}${parent ? ' ' : ''}${cmd.name()}`
  const help = cmd.createHelp()
  const options = help.visibleOptions(cmd).map(optionInfo)
  return {
    path,
    name: cmd.name(),
    description: cmd.description(),
    usage: `${isRoot ? cmd.name() : `anklume ${path}`} ${cmd.usage()}`.trim(),
    options,
    subcommands: help
      .visibleCommands(cmd)
      .filter((c) => c.name() !== 'help')
      .map((c) => commandTree(c, path)),
    after: afterText(cmd),
  }
}

/** Every command of the tree, depth first (the program first). */
export function allCommands(tree: CommandInfo): CommandInfo[] {
  return [tree, ...tree.subcommands.flatMap(allCommands)]
}
