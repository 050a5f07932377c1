/**
 * The man page `anklume.1` (roff), generated at build from the program's
 * command tree: every command with its options and examples.
 */
import { allCommands, type CommandInfo } from './command-tree.js'

/** Roff-safe text: backslashes, hyphens, non-ASCII characters, and a leading `.` or `'` that roff would read as a request. */
export function roff(text: string): string {
  return (
    text
      .replaceAll('\\', '\\e')
      .replaceAll('-', '\\-')
      // Non-ASCII characters (→, …) as groff's \[uXXXX] escapes.
      .replace(
        /[^\x00-\x7f]/gu,
        (c) => `\\[u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`,
      )
      .split('\n')
      .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
      .join('\n')
  )
}

function options(c: CommandInfo): string[] {
  return c.options.flatMap((o) => ['.TP', `.B ${roff(o.flags)}`, roff(o.description)])
}

function section(c: CommandInfo): string[] {
  const lines = [`.SS ${JSON.stringify(roff(c.usage))}`, roff(c.description)]
  if (c.options.length > 0) lines.push(...options(c))
  if (c.after) lines.push('.PP', '.nf', roff(c.after), '.fi')
  return lines
}

export interface ManOptions {
  version: string
}

export function manPage(tree: CommandInfo, opts: ManOptions): string {
  const commands = allCommands(tree).filter((c) => c.path !== '')
  const lines = [
    `.TH ANKLUME 1 "" "anklume ${roff(opts.version)}" "User Commands"`,
    '.SH NAME',
    `anklume \\- ${roff(tree.description)}`,
    '.SH SYNOPSIS',
    '.B anklume',
    '[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR]',
    '.SH DESCRIPTION',
    roff(
      'anklume turns one infra.yml (domains, machines, network policies) into Incus projects, bridges, ' +
        'instances and an nftables isolation table. validate checks the file, plan shows what apply would ' +
        'change, apply makes Incus match it.',
    ),
    '.SH GLOBAL OPTIONS',
    ...options(tree),
    '.SH COMMANDS',
    ...commands.flatMap(section),
    '.SH EXIT STATUS',
    '0 success; 1 runtime failure (Incus error, partial apply); 2 invalid input (bad file, bad option).',
    roff('plan --detailed-exitcode: 0 no changes, 2 changes pending, 3 invalid input, 1 error.'),
    '.SH JSON OUTPUT',
    roff(
      'With --json every command prints one object on stdout, on failure too: ' +
        '{ format_version, command, ok, result, diagnostics }.',
    ),
    '.SH ENVIRONMENT',
    '.TP',
    '.B NO_COLOR',
    'no colours.',
    '.TP',
    '.B FORCE_COLOR',
    roff('colours even off a terminal (0 or false: none); --no-color wins.'),
    '.TP',
    '.B INCUS_SOCKET',
    'the Incus unix socket.',
    '.SH SEE ALSO',
    '.BR incus (1),',
    '.BR nft (8)',
  ]
  return `${lines.join('\n')}\n`
}
