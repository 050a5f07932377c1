#!/usr/bin/env node
import pkg from '../package.json' with { type: 'json' }
import { ignoreClosedPipes } from './pipes.js'

ignoreClosedPipes()
if (process.argv.length === 3 && process.argv[2] === '--version') {
  // The one answer that needs no argument parser: skip loading commander.
  process.stdout.write(`${pkg.version}\n`)
} else {
  const { main } = await import('./main.js')
  process.exitCode = await main(process.argv)
}
