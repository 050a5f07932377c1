/**
 * One linear, non-recursive walk over a parsed YAML document, before it is
 * turned into plain values: it resolves every alias once (so locating an
 * issue never walks the document again), and refuses what would make the
 * rest of the pipeline slow, recursive without bound, or silently lossy:
 * nesting deeper than MAX_DEPTH (aliases expanded), more than MAX_ALIASES
 * aliases, an alias inside its own anchor, keys JavaScript objects cannot hold.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type Node } from 'yaml'

/** Deepest nesting of maps and lists accepted (an infra file needs about 10). */
export const MAX_DEPTH = 64
/** Most aliases accepted in one file. */
export const MAX_ALIASES = 10_000
/** Keys a plain JavaScript object would turn into its prototype. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__'])

export interface GuardProblem {
  code: 'YAML_TOO_DEEP' | 'YAML_ALIAS' | 'UNSAFE_KEY'
  message: string
  hint: string
  /** Source offset of the offending node. */
  offset: number
  /** The data cannot be built (too deep, circular, too many aliases). */
  fatal: boolean
}

export interface Guarded {
  /** Alias node -> the anchored node it stands for (the last one before it, as in YAML). */
  aliases: Map<Node, Node>
  problems: GuardProblem[]
}

type Frame = { node: unknown; depth: number; exit: boolean }

const offsetOf = (n: unknown): number => (n as Node | null)?.range?.[0] ?? 0

function childrenOf(node: unknown): unknown[] {
  if (isMap(node)) return node.items.flatMap((p) => [p.key, p.value])
  if (isSeq(node)) return node.items
  return []
}

export function tooDeep(offset: number): GuardProblem {
  return {
    code: 'YAML_TOO_DEEP',
    message: `nesting deeper than ${MAX_DEPTH} levels (maps and lists, aliases expanded)`,
    hint: 'an infra file needs about 10 levels: flatten the structure',
    offset,
    fatal: true,
  }
}

export function guardDocument(doc: Document.Parsed): Guarded {
  const aliases = new Map<Node, Node>()
  const problems: GuardProblem[] = []
  const anchors = new Map<string, Node>()
  /** Height of every finished node, aliases expanded (a leaf is 0, a flat map 1). */
  const height = new Map<unknown, number>()
  let aliasCount = 0
  let deepSeen = false
  const deep = (offset: number) => {
    if (deepSeen) return
    deepSeen = true
    problems.push(tooDeep(offset))
  }
  const stack: Frame[] = [{ node: doc.contents, depth: 0, exit: false }]
  while (stack.length > 0) {
    const f = stack.pop() as Frame
    const { node, depth } = f
    if (node === null || node === undefined) continue
    const collection = isMap(node) || isSeq(node)
    if (f.exit) {
      let h = 0
      for (const c of childrenOf(node)) h = Math.max(h, height.get(c) ?? 0)
      height.set(node, h + 1)
      continue
    }
    if (isAlias(node)) {
      aliasCount++
      const target = anchors.get(node.source)
      if (target) aliases.set(node, target)
      const h = target ? height.get(target) : 0
      if (h === undefined) {
        problems.push({
          code: 'YAML_ALIAS',
          message: `alias *${node.source} is inside its own anchor (a circular structure)`,
          hint: 'an alias may only repeat a value that is complete before it',
          offset: offsetOf(node),
          fatal: true,
        })
      } else {
        height.set(node, h)
        if (depth + h > MAX_DEPTH) deep(offsetOf(node))
      }
      continue
    }
    const anchor = (node as { anchor?: string }).anchor
    if (anchor) anchors.set(anchor, node as Node)
    if (!collection) {
      height.set(node, 0)
      continue
    }
    if (depth + 1 > MAX_DEPTH) {
      deep(offsetOf(node))
      height.set(node, 1)
      continue
    }
    if (isMap(node))
      for (const p of node.items)
        if (isScalar(p.key) && UNSAFE_KEYS.has(String(p.key.value)))
          problems.push({
            code: 'UNSAFE_KEY',
            message: `"${String(p.key.value)}" cannot be a key (JavaScript objects reserve it)`,
            hint: 'rename it',
            offset: offsetOf(p.key),
            fatal: false,
          })
    stack.push({ node, depth, exit: true })
    const kids = childrenOf(node)
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], depth: depth + 1, exit: false })
  }
  if (aliasCount > MAX_ALIASES)
    problems.push({
      code: 'YAML_ALIAS',
      message: `${aliasCount} aliases: more than ${MAX_ALIASES} in one file`,
      hint: 'write the repeated values out, or split the file (infra/ directory)',
      offset: 0,
      fatal: true,
    })
  return { aliases, problems }
}
