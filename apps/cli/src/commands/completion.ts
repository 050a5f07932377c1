import type { Command } from 'commander'
import { CliError } from '../errors.js'

export function register(program: Command): void {
  program
    .command('completion')
    .description('print the shell completion script (bash, zsh or fish)')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      `
Examples:
  eval "$(anklume completion bash)"     # in ~/.bashrc
  eval "$(anklume completion zsh)"      # in ~/.zshrc
  anklume completion fish > ~/.config/fish/completions/anklume.fish`,
    )
    .action(async (shell: string, _opts: unknown, cmd: Command) => {
      const { completionScript, SHELLS } = await import('../completion.js')
      const { commandTree } = await import('../command-tree.js')
      if (!(SHELLS as readonly string[]).includes(shell))
        throw new CliError('ANKLUME_USAGE', `unknown shell "${shell}": choose ${SHELLS.join(', ')}`)
      const root = cmd.parent ?? program
      process.stdout.write(completionScript(commandTree(root), shell as (typeof SHELLS)[number]))
    })
}
