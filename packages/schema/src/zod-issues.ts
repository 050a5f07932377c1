/** Turns zod issues into anklume issues: stable codes, YAML wording, "did you mean". */
import { z } from 'zod'
import type { IssueSink } from './issues.js'
import { misplacedHint } from './misplaced.js'
import { didYouMean } from './suggest.js'
import type { Path, PathKey } from './yaml-doc.js'

/** Object schemas reachable at `path` (through records, arrays, optionals and unions). */
function schemasAt(schema: z.ZodType, path: Path): z.ZodType[] {
  let current: z.ZodType[] = [schema]
  const unwrap = (s: z.ZodType): z.ZodType[] => {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault)
      return unwrap(s.unwrap() as z.ZodType)
    if (s instanceof z.ZodUnion) return (s.options as z.ZodType[]).flatMap(unwrap)
    if (s instanceof z.ZodPipe) return unwrap(s.in as z.ZodType)
    return [s]
  }
  for (const key of path) {
    const next: z.ZodType[] = []
    for (const s of current.flatMap(unwrap)) {
      if (s instanceof z.ZodObject) {
        const f = (s.shape as Record<string, z.ZodType>)[String(key)]
        if (f) next.push(f)
      } else if (s instanceof z.ZodRecord) next.push(s.valueType as z.ZodType)
      else if (s instanceof z.ZodArray) next.push(s.element as z.ZodType)
    }
    current = next
  }
  return current.flatMap(unwrap)
}

export function knownKeysAt(schema: z.ZodType, path: Path): string[] {
  return schemasAt(schema, path).flatMap((s) => (s instanceof z.ZodObject ? Object.keys(s.shape) : []))
}

export function valueAt(data: unknown, path: Path): unknown {
  let v = data
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined
    if (!Object.hasOwn(v, k)) return undefined
    v = (v as Record<PathKey, unknown>)[k]
  }
  return v
}

export function yamlType(v: unknown): string {
  if (v === null) return 'null (empty value)'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a map'
  if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`
  return `${typeof v === 'number' ? 'the number' : 'the boolean'} ${String(v)}`
}

const EXPECTED: Record<string, string> = {
  object: 'a map',
  record: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean (true or false)',
}

/** Incus words people write for our enum values. */
const VALUE_ALIASES: Record<string, string> = { container: 'lxc', 'virtual-machine': 'vm' }

function add(sink: IssueSink, schema: z.ZodType, data: unknown, issue: z.core.$ZodIssue, base: Path): void {
  const path = [...base, ...(issue.path as PathKey[])]
  const value = valueAt(data, path)
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, path)
      for (const key of issue.keys) {
        const hint =
          didYouMean(key, known) ??
          misplacedHint(key, known) ??
          (known.length ? `known keys here: ${known.join(', ')}` : undefined)
        sink.error('UNKNOWN_KEY', [...path, key], `unknown key "${key}"`, hint, 'key')
      }
      return
    }
    case 'invalid_type': {
      if (value === undefined) {
        const key = path[path.length - 1]
        sink.error('MISSING_KEY', path, `missing required key "${String(key)}"`)
        return
      }
      const expected = EXPECTED[issue.expected] ?? issue.expected
      const msg = issue.message.startsWith('Invalid input')
        ? `expected ${expected}, got ${yamlType(value)}`
        : issue.message
      sink.error('INVALID_TYPE', path, msg)
      return
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v))
      const msg = issue.message.startsWith('Invalid')
        ? `must be ${values.length > 1 ? 'one of ' : ''}${values.join(', ')}, got ${yamlType(value)}`
        : issue.message
      const alias = typeof value === 'string' ? VALUE_ALIASES[value] : undefined
      const hint =
        alias && issue.values.includes(alias)
          ? `write "${alias}"`
          : typeof value === 'string'
            ? didYouMean(value, issue.values.map(String))
            : undefined
      sink.error('INVALID_VALUE', path, msg, hint)
      return
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small'
      const bound = small ? issue.minimum : issue.maximum
      const what =
        issue.origin === 'array'
          ? `must have at ${small ? 'least' : 'most'} ${bound} item${Number(bound) === 1 ? '' : 's'}`
          : issue.origin === 'string'
            ? small
              ? 'must not be empty'
              : `must be at most ${bound} characters`
            : `must be ${small ? '≥' : '≤'} ${bound}, got ${String(value)}`
      sink.error('OUT_OF_RANGE', path, what)
      return
    }
    case 'custom': {
      const params = (issue.params ?? {}) as { code?: string; hint?: string }
      sink.error(params.code ?? 'INVALID_VALUE', path, issue.message, params.hint)
      return
    }
    case 'invalid_union': {
      if (value === undefined) {
        sink.error('MISSING_KEY', path, `missing required key "${String(path[path.length - 1])}"`)
        return
      }
      // Descend into the branch whose type matched the input, if exactly one did.
      const matching = issue.errors.filter(
        (errs) =>
          !errs.some((e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value')),
      )
      if (matching.length === 1) {
        for (const e of matching[0] ?? []) add(sink, schema, data, e, path)
        return
      }
      sink.error(
        'INVALID_TYPE',
        path,
        issue.message.startsWith('Invalid input')
          ? `invalid value: ${yamlType(value)}`
          : `${issue.message}, got ${yamlType(value)}`,
      )
      return
    }
    case 'invalid_format':
      sink.error('INVALID_FORMAT', path, `${issue.message}, got ${yamlType(value)}`)
      return
    default:
      sink.error('INVALID_VALUE', path, issue.message)
  }
}

/** Validates `data` with `schema` and records every problem in `sink`; the parsed output when valid. */
export function checkWithZod<T extends z.ZodType>(
  schema: T,
  data: unknown,
  sink: IssueSink,
): z.output<T> | undefined {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  for (const issue of result.error.issues) add(sink, schema, data, issue, [])
  return undefined
}
