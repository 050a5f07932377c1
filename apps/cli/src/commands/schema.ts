import type { Command } from 'commander'

export function register(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the infra file (for yaml-language-server and editors)')
    .addHelpText(
      'after',
      '\nExample:\n  anklume schema > infra.schema.json\n  # then, first line of infra.yml:\n  # yaml-language-server: $schema=./infra.schema.json',
    )
    .action(async () => {
      const { infraJsonSchema } = await import('@anklume/schema')
      process.stdout.write(`${JSON.stringify(infraJsonSchema(), null, 2)}\n`)
    })
}
