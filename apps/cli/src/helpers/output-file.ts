/** `import` and `migrate` write a generated infra file: checked first, printed or written, never over a file by accident. */
import { resolve } from 'node:path'
import type { LoadContext } from '@anklume/schema'
import { EXIT_INVALID } from '../errors.js'
import { err } from './shared.js'

export interface InfraOutputOptions {
  /** -o: the file to write (atomically); stdout without it. */
  output: string | undefined
  /** Write even over an existing file, and even when the text does not validate. */
  force: boolean | undefined
  ctx: LoadContext
  /** `imported` / `migrated`, for the refusal message. */
  what: string
  /** Exit code when the text does not validate. */
  invalidExit: number
}

export type InfraOutput = { written: string } | { printed: true } | { refused: number }

/** Validates the text (printing its issues), then prints or writes it; `refused` carries the exit code. */
export async function emitInfra(text: string, opts: InfraOutputOptions): Promise<InfraOutput> {
  const { writeFileAtomic } = await import('@anklume/host')
  const { loadFromString, formatIssue } = await import('@anklume/schema')
  const target = opts.output ? resolve(opts.output) : 'infra.yml'
  const check = loadFromString(text, target, opts.ctx)
  for (const issue of check.issues) err(formatIssue(issue))
  if (!check.ok && !opts.force) {
    err(`error: the ${opts.what} infra does not validate; nothing written (--force writes it anyway)`)
    return { refused: opts.invalidExit }
  }
  if (!opts.output) {
    process.stdout.write(text)
    return { printed: true }
  }
  try {
    await writeFileAtomic(target, text, { exclusive: !opts.force })
  } catch (e) {
    if ((e as { code?: string }).code !== 'EEXIST') throw e
    err(`error [ANKLUME_OUTPUT_EXISTS]: ${target} already exists\n  hint: pass --force to replace it`)
    return { refused: EXIT_INVALID }
  }
  return { written: target }
}
