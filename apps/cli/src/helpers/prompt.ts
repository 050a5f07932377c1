/** Asking before changing things: only on a terminal, and never with --json. */
import { createInterface } from 'node:readline/promises'
import { CliError } from '../errors.js'

/** stdin and stderr are terminals: we may ask questions. */
export const interactive = (): boolean => process.stdin.isTTY === true && process.stderr.isTTY === true

/** Asks on the terminal; true only when the answer is `yes`. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return (await rl.question(question)).trim().toLowerCase() === 'yes'
  } finally {
    rl.close()
  }
}

/** Without --yes we must be able to ask: refused off a terminal or with --json (`what` says why it matters). */
export function requireYes(
  opts: { yes?: boolean | undefined; json?: boolean | undefined },
  what: string,
): void {
  if (!opts.yes && (!interactive() || opts.json)) {
    throw new CliError('ANKLUME_USAGE', `${what}: pass --yes when not on a terminal (or with --json)`)
  }
}
