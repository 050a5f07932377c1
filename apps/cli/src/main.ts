import { CommanderError } from 'commander'
import { exitCodeFor, renderError } from './errors.js'
import { colorWanted } from './helpers/shared.js'
import {
  addDiagnostics,
  errorDiagnostics,
  flushJson,
  jsonMode,
  setCommand,
  startOutput,
} from './json-output.js'
import { buildProgram, commandPath } from './program.js'

/** Runs the CLI and resolves with the process exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv)
  startOutput(argv.slice(2))
  let code: number
  try {
    await program.parseAsync(argv)
    code = typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help / --version exit 0; usage errors are invalid input.
      code = err.exitCode === 0 ? 0 : 2
      if (code !== 0 && jsonMode()) {
        setCommand(commandPath(program, argv.slice(2)))
        addDiagnostics({
          code: 'ANKLUME_USAGE',
          severity: 'error',
          message: err.message.replace(/^error: /, ''),
        })
      }
    } else {
      const verbose = argv.includes('-v') || argv.includes('--verbose')
      const color = colorWanted(argv.includes('--no-color') ? false : undefined, process.stderr)
      process.stderr.write(`${renderError(err, verbose, color)}\n`)
      code = exitCodeFor(err)
      if (jsonMode()) {
        setCommand(commandPath(program, argv.slice(2)))
        addDiagnostics(...errorDiagnostics(err))
      }
    }
  }
  if (code !== 0 || !isHelp(argv)) flushJson(code)
  return code
}

const isHelp = (argv: string[]) =>
  argv.includes('--help') || argv.includes('-h') || argv.includes('--version')
