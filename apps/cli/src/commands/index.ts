import type { Command } from 'commander'
import { register as apply } from './apply.js'
import { register as graph } from './graph.js'
import { register as images } from './images.js'
import { register as importCmd } from './import.js'
import { register as init } from './init.js'
import { register as migrate } from './migrate.js'
import { register as nft } from './nft.js'
import { register as plan } from './plan.js'
import { register as schema } from './schema.js'
import { register as status } from './status.js'
import { register as sync } from './sync.js'
import { register as validate } from './validate.js'

/** Every command, in the order `anklume --help` lists them. */
export const COMMANDS: Array<(program: Command) => void> = [validate, plan, apply, status, sync, migrate, importCmd, images, graph, init, nft, schema]
