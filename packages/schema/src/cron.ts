/**
 * Validation of `snapshots_schedule`: a 5-field cron expression (each field's
 * range checked, with `*`, lists, ranges, steps and month/day names) or a
 * comma-separated list of Incus schedule aliases (`@daily`, ...).
 */

interface Field {
  name: string
  min: number
  max: number
  names?: readonly string[]
  /** `?` (no specific value) is allowed in the day fields. */
  question?: boolean
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 7, names: DAYS, question: true },
]

export const SCHEDULE_ALIASES = [
  '@hourly',
  '@daily',
  '@midnight',
  '@weekly',
  '@monthly',
  '@annually',
  '@yearly',
]

function value(token: string, f: Field): number | string {
  const lower = token.toLowerCase()
  const named = f.names?.indexOf(lower) ?? -1
  if (named >= 0) return f.names === MONTHS ? named + 1 : named
  if (!/^\d+$/.test(token)) return `${f.name} field: "${token}" is not a number${f.names ? ' or a name' : ''}`
  const n = Number(token)
  if (n < f.min || n > f.max) return `${f.name} field: ${n} is out of range ${f.min}–${f.max}`
  return n
}

function checkItem(item: string, f: Field): string | undefined {
  const [range = '', step, extra] = item.split('/')
  if (extra !== undefined) return `${f.name} field: "${item}" has more than one "/"`
  if (step !== undefined) {
    if (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > f.max - f.min + 1)
      return `${f.name} field: step "${step}" must be between 1 and ${f.max - f.min + 1}`
  }
  if (range === '*' || (range === '?' && f.question && step === undefined)) return undefined
  const bounds = range.split('-')
  if (bounds.length > 2 || bounds.some((b) => b === ''))
    return `${f.name} field: "${item}" is not a value, a range (a-b) or *`
  const values = bounds.map((b) => value(b, f))
  const bad = values.find((v) => typeof v === 'string')
  if (typeof bad === 'string') return bad
  const [lo, hi] = values as number[]
  if (hi !== undefined && lo !== undefined && lo > hi) return `${f.name} field: range "${range}" is reversed`
  return undefined
}

/** An error message, or undefined when the schedule is valid. */
export function cronError(expr: string): string | undefined {
  const text = expr.trim()
  if (text === '') return 'empty schedule'
  if (text.startsWith('@')) {
    const bad = text
      .split(',')
      .map((a) => a.trim())
      .find((a) => !SCHEDULE_ALIASES.includes(a))
    return bad === undefined
      ? undefined
      : `unknown schedule alias "${bad}" (known: ${SCHEDULE_ALIASES.join(', ')})`
  }
  const parts = text.split(/\s+/)
  if (parts.length !== 5)
    return `a cron schedule has 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`
  for (const [i, part] of parts.entries()) {
    const f = FIELDS[i] as Field
    for (const item of part.split(',')) {
      const err = item === '' ? `${f.name} field: empty list item in "${part}"` : checkItem(item, f)
      if (err) return err
    }
  }
  return undefined
}
