import { CommanderError } from 'commander'
import { exitCodeFor, renderError } from './errors.js'
import { colorWanted } from './helpers/shared.js'
import { buildProgram } from './program.js'

/** Runs the CLI and resolves with the process exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv)
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help / --version exit 0; usage errors are invalid input.
      return err.exitCode === 0 ? 0 : 2
    }
    const verbose = argv.includes('-v') || argv.includes('--verbose')
    const color = colorWanted(argv.includes('--no-color') ? false : undefined, process.stderr)
    process.stderr.write(`${renderError(err, verbose, color)}\n`)
    return exitCodeFor(err)
  }
}
