#!/usr/bin/env node
import { main } from './main.js'
import { ignoreClosedPipes } from './pipes.js'

ignoreClosedPipes()
process.exitCode = await main(process.argv)
