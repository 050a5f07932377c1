/**
 * YAML parsing with source positions: one parsed file keeps its Document
 * (anchors, aliases and merge keys resolved by `yaml`) so any key path can be
 * mapped back to a line and column.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import type { Issue } from './types.js'
import { guardDocument, tooDeep } from './yaml-guard.js'
import { sourceLine, syntaxPlace } from './yaml-syntax.js'

export type PathKey = string | number
export type Path = readonly PathKey[]

export interface ParsedFile {
  file: string
  doc: Document.Parsed
  lines: LineCounter
  /** Plain JS value of the document (undefined when it could not be built). */
  data: unknown
  /** YAML errors (syntax, duplicate keys) and warnings. */
  issues: Issue[]
  /** A syntax error makes the data unusable (duplicate keys do not). */
  fatal: boolean
  /** Alias node -> the node it stands for (resolved once, see yaml-guard.ts). */
  aliases: Map<Node, Node>
}

function firstLine(message: string): string {
  return (message.split(/ at line \d+, column \d+/)[0] ?? message).split('\n')[0] ?? message
}

export function parseYaml(text: string, file: string): ParsedFile {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: true })
  const issues: Issue[] = []
  let fatal = false
  let exhausted: number | undefined
  const report = (severity: 'error' | 'warning', e: (typeof doc.errors)[number]) => {
    if (e.code === 'RESOURCE_EXHAUSTION') {
      // yaml's own stack overflow: where it happens depends on the stack left,
      // so it is replaced by the guard's deterministic depth issue below.
      fatal = true
      exhausted ??= e.pos[0]
      return
    }
    const duplicate = e.code === 'DUPLICATE_KEY'
    if (!duplicate && severity === 'error') fatal = true
    if (duplicate || severity === 'warning') {
      const pos = lines.linePos(e.pos[0])
      issues.push({
        severity,
        code: duplicate ? 'DUPLICATE_KEY' : 'YAML_WARNING',
        path: duplicate ? pathAtOffset(doc.contents, e.pos[0]) : '',
        message: duplicate ? 'duplicate key: a key may appear only once in a map' : firstLine(e.message),
        ...(duplicate ? { hint: 'remove or merge the two entries' } : {}),
        file,
        line: pos.line,
        col: pos.col,
        source: sourceLine(text, lines, pos.line),
      })
      return
    }
    // A syntax error: at what is really wrong (an unclosed bracket or quote), said plainly.
    const place = syntaxPlace(text, e)
    const pos = lines.linePos(place.offset)
    // Two yaml errors for one mistake (same place) are said once.
    if (issues.some((i) => i.code === 'YAML_SYNTAX' && i.line === pos.line && i.col === pos.col)) return
    issues.push({
      severity,
      code: 'YAML_SYNTAX',
      path: '',
      message: place.message,
      hint: place.hint,
      file,
      line: pos.line,
      col: pos.col,
      source: sourceLine(text, lines, pos.line),
    })
  }
  for (const e of doc.errors) report('error', e)
  for (const w of doc.warnings) report('warning', w)
  const guard = guardDocument(doc)
  if (exhausted !== undefined && !guard.problems.some((p) => p.code === 'YAML_TOO_DEEP'))
    guard.problems.push({ ...tooDeep(exhausted) })
  for (const p of guard.problems) {
    if (p.fatal) fatal = true
    const pos = lines.linePos(p.offset)
    const path = p.offset > 0 ? shortPath(pathAtOffset(doc.contents, p.offset)) : ''
    issues.push({ severity: 'error', code: p.code, path, message: p.message, hint: p.hint, file, ...pos })
  }
  let data: unknown
  if (!fatal) {
    try {
      data = doc.toJS({ maxAliasCount: 1000 })
    } catch (err) {
      fatal = true
      issues.push({
        severity: 'error',
        code: 'YAML_ALIAS',
        path: '',
        message: `cannot expand the document: ${err instanceof Error ? err.message : String(err)}`,
        hint: 'too many or circular aliases',
        file,
        line: 1,
        col: 1,
      })
    }
  }
  return { file, doc, lines, data, issues, fatal, aliases: guard.aliases }
}

/** The first 10 steps of a very deep path, then `…`. */
function shortPath(path: string): string {
  const steps = path.match(/[^.[]+|\[\d+\]/g) ?? []
  if (steps.length <= 10) return path
  return `${steps.slice(0, 10).join('.').replaceAll('.[', '[')}…`
}

/** Dotted key path of the key or value that contains `offset` (for duplicate-key errors). */
function pathAtOffset(node: unknown, offset: number, path = ''): string {
  const inside = (n: unknown) => {
    const r = (n as Node | null)?.range
    return r !== undefined && r !== null && offset >= r[0] && offset < Math.max(r[1], r[0] + 1)
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : ''
      const here = path ? `${path}.${key}` : key
      if (inside(pair.key)) return here
      if (inside(pair.value)) return pathAtOffset(pair.value, offset, here)
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries())
      if (inside(item)) return pathAtOffset(item, offset, `${path}[${i}]`)
  }
  return path
}

type Aliases = ReadonlyMap<Node, Node>

function deref(node: unknown, aliases: Aliases): unknown {
  let n = node
  for (let i = 0; i < 100 && isAlias(n); i++) n = aliases.get(n)
  return n
}

/** Child of a map or sequence node, following aliases and merge keys. */
function child(node: unknown, key: PathKey, aliases: Aliases, want: 'key' | 'value'): Node | undefined {
  const n = deref(node, aliases)
  if (isSeq(n)) {
    return typeof key === 'number' ? (n.items[key] as Node | undefined) : undefined
  }
  if (!isMap(n)) return undefined
  const merges: unknown[] = []
  for (const pair of n.items) {
    const k = pair.key
    if (isScalar(k) && typeof k.value === 'symbol') {
      merges.push(pair.value)
      continue
    }
    const kv = isScalar(k) ? k.value : k
    if (kv !== null && String(kv) === String(key)) {
      return (want === 'key' && isScalar(k) ? k : (pair.value ?? k)) as Node | undefined
    }
  }
  for (const m of merges) {
    const target = deref(m, aliases)
    const srcs = isSeq(target) ? target.items : [m]
    for (const src of srcs) {
      const found = child(src, key, aliases, want)
      if (found) return found
    }
  }
  return undefined
}

/** The deepest node on `path` (the key node for the last step when `want` is 'key'). */
export function nodeAt(parsed: ParsedFile, path: Path, want: 'key' | 'value' = 'value'): Node | undefined {
  let node: unknown = parsed.doc.contents
  let last: Node | undefined = (node as Node | null) ?? undefined
  for (const [i, key] of path.entries()) {
    const next = child(node, key, parsed.aliases, i === path.length - 1 ? want : 'value')
    if (!next) return last
    last = next
    node = next
  }
  return last
}

export function positionOf(parsed: ParsedFile, node: Node | undefined): { line: number; col: number } {
  const offset = node?.range?.[0]
  if (offset === undefined) return { line: 1, col: 1 }
  return parsed.lines.linePos(offset)
}
