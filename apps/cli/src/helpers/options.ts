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

/** The most actions (or image pulls) run at once: more only queues on the daemon. */
export const MAX_CONCURRENCY = 64

/** A whole number within [min, max], else invalid input naming the option and its range. */
export function parseWhole(option: string, value: string, min: number, max: number): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new CliError(
      'ANKLUME_USAGE',
      `${option} must be a whole number from ${min} to ${max}, got "${value}"`,
    )
  return n
}

/** `--concurrency <n>`: a whole number from 1 to MAX_CONCURRENCY, else invalid input. */
export function parseConcurrency(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : parseWhole('--concurrency', value, 1, MAX_CONCURRENCY)
}

/**
 * Unknown `--domain` names are invalid input (a typo would otherwise plan
 * "No changes"): the message lists the infra's domains.
 */
export function checkDomains(
  given: readonly string[] | undefined,
  known: readonly string[],
  file = 'the infra file',
): void {
  const unknown = (given ?? []).filter((d) => !known.includes(d))
  if (unknown.length === 0) return
  const list = unknown.map((d) => `"${d}"`).join(', ')
  throw new CliError(
    'ANKLUME_USAGE',
    `unknown domain${unknown.length > 1 ? 's' : ''} ${list} (--domain)`,
    known.length > 0 ? `the domains of ${file}: ${known.join(', ')}` : `${file} declares no domain`,
  )
}
