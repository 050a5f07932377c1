import type { Command } from 'commander'
import { register as apply } from './apply.js'
import { register as completion } from './completion.js'
import { register as dashboard } from './dashboard.js'
import { register as destroy } from './destroy.js'
import { register as disp } from './disp.js'
import { register as doctor } from './doctor.js'
import { register as flush } from './flush.js'
import { register as graph } from './graph.js'
import { register as images } from './images.js'
import { register as importCmd } from './import.js'
import { register as init } from './init.js'
import { register as migrate } from './migrate.js'
import { register as nft } from './nft.js'
import { register as pause } from './pause.js'
import { register as plan } from './plan.js'
import { register as resources } from './resources.js'
import { register as schema } from './schema.js'
import { register as snapshot } from './snapshot.js'
import { register as status } from './status.js'
import { register as sync } from './sync.js'
import { register as validate } from './validate.js'

/** Every command, in the order `anklume --help` lists them. */
export const COMMANDS: Array<(program: Command) => void> = [
  validate,
  plan,
  apply,
  status,
  resources,
  sync,
  migrate,
  importCmd,
  images,
  graph,
  init,
  nft,
  snapshot,
  flush,
  destroy,
  pause,
  disp,
  doctor,
  dashboard,
  schema,
  completion,
]
