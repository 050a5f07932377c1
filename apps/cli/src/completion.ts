/**
 * `anklume completion bash|zsh|fish`: completion scripts generated from the
 * program's own command tree (commands, subcommands, options; file names
 * after options that take a path).
 */
import { allCommands, type CommandInfo } from './command-tree.js'

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`

/** An option as typed: `-f`, `--file`. */
function flagsOf(o: { short?: string; long?: string }): string[] {
  return [o.short, o.long].filter((x): x is string => x !== undefined)
}

function bash(tree: CommandInfo): string {
  const commands = allCommands(tree)
  const paths = commands.filter((c) => c.path !== '').map((c) => quote(c.path))
  const valued = [...new Set(commands.flatMap((c) => c.options.filter((o) => o.takesValue)).flatMap(flagsOf))]
  const cases = commands
    .map((c) => {
      const words = [...c.subcommands.map((s) => s.name), ...c.options.flatMap(flagsOf)]
      return `    ${quote(c.path)}) words=${quote(words.join(' '))} ;;`
    })
    .join('\n')
  return `# anklume bash completion: eval "$(anklume completion bash)" (or save it in
# /etc/bash_completion.d/anklume or ~/.local/share/bash-completion/completions/anklume)
_anklume() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" w i words
  case "$prev" in
    ${valued.length > 0 ? valued.join('|') : '--none--'}) COMPREPLY=(); return 0 ;;
  esac
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ $w == -* ]] && continue
    case "$path\${path:+ }$w" in
      ${paths.join('|')}) path="$path\${path:+ }$w" ;;
    esac
  done
  case "$path" in
${cases}
    *) words='' ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _anklume anklume
`
}

function zsh(tree: CommandInfo): string {
  return `#compdef anklume
# anklume zsh completion: eval "$(anklume completion zsh)" in ~/.zshrc
# (zsh runs the bash completion through bashcompinit).
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash(tree)}`
}

function fish(tree: CommandInfo): string {
  const lines = [
    '# anklume fish completion: anklume completion fish > ~/.config/fish/completions/anklume.fish',
    'complete -c anklume -f',
  ]
  const desc = (s: string) => (s ? ` -d ${quote(s)}` : '')
  const opt = (o: CommandInfo['options'][number]) =>
    `${o.short ? ` -s ${o.short.slice(1)}` : ''}${o.long ? ` -l ${o.long.slice(2)}` : ''}${o.takesValue ? (o.path ? ' -r -F' : ' -r') : ''}${desc(o.description)}`
  for (const o of tree.options) lines.push(`complete -c anklume${opt(o)}`)
  const top = tree.subcommands.map((c) => c.name).join(' ')
  for (const c of tree.subcommands) {
    lines.push(
      `complete -c anklume -n 'not __fish_seen_subcommand_from ${top}' -a ${c.name}${desc(c.description)}`,
    )
    const subs = c.subcommands.map((s) => s.name).join(' ')
    const here = subs
      ? `__fish_seen_subcommand_from ${c.name}; and not __fish_seen_subcommand_from ${subs}`
      : `__fish_seen_subcommand_from ${c.name}`
    for (const o of c.options) lines.push(`complete -c anklume -n ${quote(here)}${opt(o)}`)
    for (const s of c.subcommands) {
      lines.push(`complete -c anklume -n ${quote(here)} -a ${s.name}${desc(s.description)}`)
      const inSub = `__fish_seen_subcommand_from ${c.name}; and __fish_seen_subcommand_from ${s.name}`
      for (const o of s.options) lines.push(`complete -c anklume -n ${quote(inSub)}${opt(o)}`)
    }
  }
  return `${lines.join('\n')}\n`
}

export function completionScript(tree: CommandInfo, shell: Shell): string {
  return shell === 'bash' ? bash(tree) : shell === 'zsh' ? zsh(tree) : fish(tree)
}
