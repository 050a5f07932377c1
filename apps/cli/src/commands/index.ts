import type { Command } from 'commander'
import { register as validate } from './validate.js'

/** Every command, in the order `anklume --help` lists them. */
export const COMMANDS: Array<(program: Command) => void> = [validate]
