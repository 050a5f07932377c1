/** The man page of the whole program (every command loaded); used by scripts/gen-man.mjs at build. */
import { commandTree } from './command-tree.js'
import { manPage } from './man.js'
import { buildProgram } from './program.js'

export async function manText(version: string): Promise<string> {
  return manPage(commandTree(await buildProgram(['node', 'anklume'])), { version })
}
