import type { Command } from 'commander'
import { out } from '../helpers/shared.js'

export function register(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the infra file (for yaml-language-server and editors)')
    .option('-o, --output <file>', 'write it to this file (atomically) instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  anklume schema -o infra.schema.json\n  # then, first line of infra.yml (anklume init writes both):\n  # yaml-language-server: $schema=./infra.schema.json',
    )
    .action(async (opts: { output?: string }) => {
      const { infraJsonSchema } = await import('@anklume/schema')
      const text = `${JSON.stringify(infraJsonSchema(), null, 2)}\n`
      if (!opts.output) {
        process.stdout.write(text)
        return
      }
      const { writeFileAtomic } = await import('@anklume/host')
      await writeFileAtomic(opts.output, text)
      out(`wrote ${opts.output}`)
    })
}
