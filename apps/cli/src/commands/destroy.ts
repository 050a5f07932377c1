import type { Command } from 'commander'
import { fileOption } from '../helpers/options.js'
import { type FlushCommandOpts, runFlushCommand } from './flush.js'

export function register(program: Command): void {
  program
    .command('destroy')
    .description('delete one domain: its instances, profiles, volumes, project, bridge and inventory files')
    .argument('<domain>', 'the domain (user.anklume.domain label)')
    .addOption(fileOption('infra file: only its objects, and its inventory files for that domain'))
    .option('--dry-run', 'list what would be deleted; delete nothing')
    .option('--force', 'also delete protected instances, and run on a production host')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--json', 'print the report as JSON (needs --yes unless --dry-run)')
    .addHelpText(
      'after',
      `
The nftables table is left in place (other domains still need it); the next
"anklume apply" or "anklume nft apply" regenerates it without that domain.

Example:
  anklume destroy sandbox --yes`,
    )
    .action((domain: string, opts: FlushCommandOpts, cmd: Command) => runFlushCommand(opts, cmd, domain))
}
