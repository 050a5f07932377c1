/** Options several commands share, defined once so their help reads the same everywhere. */
import { Option } from 'commander'
import { CliError } from '../errors.js'

/** The usual help of `-f, --file`. */
export const FILE_HELP = 'infra.yml or infra/ directory (default: ./infra.yml, then ./infra/base.yml)'

/** `-f, --file <path>`, with the usual help or one that says what the file limits. */
export function fileOption(help: string = FILE_HELP): Option {
  return new Option('-f, --file <path>', help)
}

/** Collects repeated options (`--domain a --domain b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').filter(Boolean)]
}

/** `--concurrency <n>`: a positive integer, else invalid input. */
export function parseConcurrency(value: string | undefined, fallback: number): number {
  const n = Number.parseInt(value ?? String(fallback), 10)
  if (!Number.isInteger(n) || n < 1)
    throw new CliError('ANKLUME_USAGE', `--concurrency must be a positive integer, got "${value}"`)
  return n
}
