import type { Command } from 'commander'
import { EXIT_INVALID, EXIT_OK } from '../errors.js'
import { loadContext } from '../helpers/context.js'
import { fileOption } from '../helpers/options.js'
import { globals, useColor } from '../helpers/shared.js'
import { addDiagnostics, issueDiagnostic, printJson } from '../json-output.js'

export function register(program: Command): void {
  program
    .command('validate')
    .description('check an infra file (or infra/ directory); exit 2 when invalid')
    .addOption(fileOption())
    .option('--json', 'print the issues as JSON')
    .option('--yolo', 'tolerate privileged LXC containers (warning instead of error)')
    .addHelpText('after', '\nExample:\n  anklume validate -f examples/quickstart.yml')
    .action(async (opts: { file?: string; json?: boolean; yolo?: boolean }, cmd: Command) => {
      const color = useColor(globals(cmd), process.stderr)
      const { load, formatIssue } = await import('@anklume/schema')
      const ctx = await loadContext({ yolo: opts.yolo })
      const result = await load(opts.file, ctx)
      const errors = result.issues.filter((i) => i.severity === 'error').length
      const warnings = result.issues.length - errors
      if (opts.json) {
        printJson({ valid: result.ok, errors, warnings })
        addDiagnostics(...result.issues.map(issueDiagnostic))
      } else {
        for (const issue of result.issues) process.stderr.write(`${formatIssue(issue, { color })}\n`)
        const where = result.ok ? result.infra.sources.join(', ') : (opts.file ?? 'infra file')
        process.stdout.write(
          result.ok
            ? `valid: ${where}${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}\n`
            : `invalid: ${errors} error${errors > 1 ? 's' : ''}${warnings ? `, ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}\n`,
        )
      }
      process.exitCode = result.ok ? EXIT_OK : EXIT_INVALID
    })
}
