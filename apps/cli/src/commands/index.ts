import type { Command } from 'commander'

/**
 * One command module: `names` are the top-level command names it registers,
 * `load` imports it. Only the module of the command being run is loaded
 * (`anklume --help` and unknown commands load them all), and each module
 * imports the libraries it needs inside its action, so `anklume --version`
 * loads almost nothing. The bundler (build.mjs) turns every `import()` here
 * into its own chunk.
 *
 * Adding a command: write `commands/<name>.ts` exporting `register(program)`
 * and add one line below, in `anklume --help` order. A command backed by
 * another workspace package imports it inside its action
 * (`const { run } = await import('@anklume/<pkg>')`); see the README.
 */
export interface CommandModule {
  names: readonly string[]
  load: () => Promise<{ register: (program: Command) => void }>
  /** The command reads the whole program (completion): every module is loaded with it. */
  needsAll?: true
}

/** Every command, in the order `anklume --help` lists them. */
export const COMMANDS: readonly CommandModule[] = [
  { names: ['validate'], load: () => import('./validate.js') },
  { names: ['plan'], load: () => import('./plan.js') },
  { names: ['apply'], load: () => import('./apply.js') },
  { names: ['status'], load: () => import('./status.js') },
  { names: ['resources'], load: () => import('./resources.js') },
  { names: ['sync'], load: () => import('./sync.js') },
  { names: ['migrate'], load: () => import('./migrate.js') },
  { names: ['import'], load: () => import('./import.js') },
  { names: ['images'], load: () => import('./images.js') },
  { names: ['graph'], load: () => import('./graph.js') },
  { names: ['init'], load: () => import('./init.js') },
  { names: ['nft'], load: () => import('./nft.js') },
  { names: ['snapshot'], load: () => import('./snapshot.js') },
  { names: ['flush'], load: () => import('./flush.js') },
  { names: ['destroy'], load: () => import('./destroy.js') },
  { names: ['pause', 'resume'], load: () => import('./pause.js') },
  { names: ['disp'], load: () => import('./disp.js') },
  { names: ['doctor'], load: () => import('./doctor.js') },
  { names: ['dashboard', 'console'], load: () => import('./dashboard.js') },
  { names: ['schema'], load: () => import('./schema.js') },
  { names: ['completion'], load: () => import('./completion.js'), needsAll: true },
]
