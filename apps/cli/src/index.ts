/**
 * The programmatic entry of `@anklume/cli`: run the `anklume` command in this
 * process. `argv` is shaped like `process.argv` (two leading entries, then the
 * arguments); resolves with the exit code the command would have exited with.
 *
 *   import { main } from '@anklume/cli'
 *   const code = await main(['node', 'anklume', 'validate', '-f', 'infra.yml'])
 *
 * The libraries (`@anklume/schema`, `@anklume/engine`, ...) are the API for
 * programs; this is for tools that want the CLI itself, output included.
 */
export async function main(argv: string[] = process.argv): Promise<number> {
  const cli = await import('./main.js')
  return cli.main(argv)
}
