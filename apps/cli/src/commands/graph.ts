import { resolve } from 'node:path'
import { type Command, Option } from 'commander'
import { EXIT_OK } from '../errors.js'
import { loadContext } from '../helpers/context.js'
import { fileOption } from '../helpers/options.js'

interface GraphOpts {
  file?: string
  format: 'mermaid' | 'dot' | 'svg'
  output?: string
}

export function register(program: Command): void {
  program
    .command('graph')
    .description('draw domains, machines and the allowed flows (Mermaid, DOT or SVG)')
    .addOption(fileOption())
    .addOption(
      new Option('--format <format>', 'output format (svg needs Graphviz)')
        .choices(['mermaid', 'dot', 'svg'])
        .default('mermaid'),
    )
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .addHelpText(
      'after',
      `
Domains are clusters (subnet, trust level), machines show their IP, arrows are
network_policies with their ports (double-headed when bidirectional).

Examples:
  anklume graph > isolation.mmd
  anklume graph --format dot | dot -Tpng > isolation.png
  anklume graph --format svg -o isolation.svg`,
    )
    .action(async (opts: GraphOpts) => {
      const { loadOrThrow } = await import('@anklume/schema')
      const { renderMermaid, renderDot, dotToSvg } = await import('@anklume/convert')
      const { writeFileAtomic } = await import('@anklume/host')
      const infra = await loadOrThrow(opts.file, await loadContext())
      let text: string
      if (opts.format === 'mermaid') text = renderMermaid(infra)
      else if (opts.format === 'dot') text = renderDot(infra)
      // Graphviz missing: ANKLUME_GRAPHVIZ_MISSING with a `--format dot` hint (exit 1, a missing tool)
      else text = await dotToSvg(renderDot(infra))
      if (opts.output) await writeFileAtomic(resolve(opts.output), text)
      else process.stdout.write(text)
      process.exitCode = EXIT_OK
    })
}
