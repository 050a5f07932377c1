/**
 * Seeded mutations of infra files, at YAML text level and at structure level
 * (parse, change the data, write YAML again). Every mutation is a pure
 * function of the random generator, so `--seed N` replays a campaign.
 */
import { parse, stringify } from 'yaml'

/** mulberry32: small, fast, seeded. */
export function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = (r, list) => list[Math.floor(r() * list.length)]
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1))

/** Keys that are not data in a JS object, and names nft reads as keywords. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']
export const NFT_WORDS = [
  'dup',
  'ct',
  'meta',
  'table',
  'inet',
  'flush',
  'delete',
  'accept',
  'drop',
  'counter',
  'chain',
  'set',
  'map',
  'ip',
  'ip6',
  'tcp',
  'udp',
  'vmap',
  'define',
  'include',
  'anklume',
  'anklume_',
  'anklume_dup',
  'anklume-x',
  'Anklume',
  'anklume x',
  'anklume;drop',
  'anklume"x',
  'anklume\u00e9',
]
const CONTROL = ['\u001b[2J', '\n', '\r', '\u0000', '\u0007', '\u202e', '\u2028', '\u0085', '\t', '\u007f']
const HUGE = [
  2 ** 53 + 1,
  1e308,
  -1,
  -0,
  0,
  4294967296,
  255,
  256,
  65535,
  65536,
  1.5,
  Number.MAX_SAFE_INTEGER,
  -(2 ** 31),
]
const HUGE_TEXT = [
  '1e400',
  '.inf',
  '-.inf',
  '.nan',
  '0x7fffffffffffffff',
  '0o777',
  '99999999999999999999999',
  '1_000',
]
const WRONG = () => [
  null,
  true,
  false,
  0,
  1,
  '',
  'x',
  [],
  {},
  ['a', 1],
  { a: { b: 1 } },
  '10.100.1.10',
  'all',
]

/**
 * Every [parent, key] in the data, maps and lists alike (the root has no
 * parent). An object reached twice (a YAML alias, an alias bomb) is walked
 * once, and at most 100,000 slots are listed.
 */
function slots(root) {
  const out = []
  const seen = new Set()
  const walk = (node, depth) => {
    if (depth > 40 || node === null || typeof node !== 'object' || seen.has(node) || out.length > 100_000)
      return
    seen.add(node)
    for (const k of Object.keys(node)) {
      out.push([node, Array.isArray(node) ? Number(k) : k])
      walk(node[k], depth + 1)
    }
  }
  walk(root, 0)
  return out
}

const maps = (root) => {
  const out = root && typeof root === 'object' && !Array.isArray(root) ? [root] : []
  for (const [p, k] of slots(root)) {
    const v = p[k]
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v)
  }
  return out
}

const strings = (root) => slots(root).filter(([p, k]) => typeof p[k] === 'string')
const numbers = (root) => slots(root).filter(([p, k]) => typeof p[k] === 'number')

/** Sets own property `key` (also `__proto__`, which `obj[key] = v` would not). */
function setKey(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true })
}

function renameKey(obj, from, to) {
  const entries = Object.entries(obj)
  for (const k of Object.keys(obj)) delete obj[k]
  for (const [k, v] of entries) setKey(obj, k === from ? to : k, v)
}

/** The named maps of an infra: domains, machines, profiles (where a name is data). */
function namedMaps(data) {
  const out = []
  const domains = data?.domains
  if (domains && typeof domains === 'object') {
    out.push(domains)
    for (const d of Object.values(domains)) {
      if (d?.machines && typeof d.machines === 'object') out.push(d.machines)
      if (d?.profiles && typeof d.profiles === 'object') out.push(d.profiles)
    }
  }
  return out
}

/** Structure mutations: each changes `data` in place and returns a label. */
const STRUCTURE = {
  protoKey(r, data) {
    const target = pick(r, [...maps(data), ...namedMaps(data)])
    if (!target) return undefined
    const key = pick(r, PROTO_KEYS)
    setKey(target, key, pick(r, [{ a: 1 }, { subnet_id: 5 }, 'x', 1, null, { polluted: true }]))
    return `key ${key}`
  },
  protoName(r, data) {
    const target = pick(r, namedMaps(data))
    const names = target ? Object.keys(target) : []
    if (names.length === 0) return undefined
    const key = pick(r, PROTO_KEYS)
    renameKey(target, pick(r, names), key)
    return `name ${key}`
  },
  nftTable(r, data) {
    if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined
    data.global = data.global && typeof data.global === 'object' ? data.global : {}
    const iso =
      data.global.isolation && typeof data.global.isolation === 'object' ? data.global.isolation : {}
    data.global.isolation = iso
    const word = pick(r, NFT_WORDS)
    iso.table = r() < 0.5 ? word : `anklume_${word}`
    return `isolation.table ${JSON.stringify(iso.table)}`
  },
  nftName(r, data) {
    const target = pick(r, namedMaps(data))
    const names = target ? Object.keys(target) : []
    if (names.length === 0) return undefined
    const word = pick(r, NFT_WORDS)
    renameKey(target, pick(r, names), word)
    return `name ${JSON.stringify(word)}`
  },
  deepNest(r, data) {
    const all = slots(data)
    if (all.length === 0) return undefined
    const [p, k] = pick(r, all)
    const depth = pick(r, [5, 30, 62, 63, 64, 65, 66, 100, 300, 2000])
    let v = p[k]
    for (let i = 0; i < depth; i++) v = r() < 0.5 ? { n: v } : [v]
    p[k] = v
    return `nested ${depth}`
  },
  wrongType(r, data) {
    const all = slots(data)
    if (all.length === 0) return undefined
    const [p, k] = pick(r, all)
    p[k] = pick(r, WRONG())
    return `wrong type at ${String(k)}`
  },
  hugeNumber(r, data) {
    const all = numbers(data)
    const [p, k] = all.length > 0 ? pick(r, all) : (pick(r, slots(data)) ?? [])
    if (!p) return undefined
    p[k] = pick(r, HUGE)
    return `number ${String(p[k])}`
  },
  controlChars(r, data) {
    const all = strings(data)
    if (r() < 0.5 && all.length > 0) {
      const [p, k] = pick(r, all)
      const s = p[k]
      const at = int(r, 0, s.length)
      p[k] = s.slice(0, at) + pick(r, CONTROL) + s.slice(at)
      return 'control char in a value'
    }
    const target = pick(r, [...maps(data), ...namedMaps(data)])
    const keys = target ? Object.keys(target) : []
    if (keys.length === 0) return undefined
    const key = pick(r, keys)
    renameKey(target, key, `${key}${pick(r, CONTROL)}`)
    return 'control char in a key'
  },
  deleteKey(r, data) {
    const all = slots(data).filter(([p]) => !Array.isArray(p))
    if (all.length === 0) return undefined
    const [p, k] = pick(r, all)
    delete p[k]
    return `deleted ${String(k)}`
  },
  unknownKey(r, data) {
    const target = pick(r, maps(data))
    if (!target) return undefined
    const key = `zz_fuzz_${int(r, 0, 999)}`
    setKey(target, key, pick(r, [1, 'x', true, { a: 1 }]))
    return `unknown key ${key}`
  },
  duplicateEntry(r, data) {
    const target = pick(r, namedMaps(data))
    const names = target ? Object.keys(target) : []
    if (names.length === 0) return undefined
    const from = pick(r, names)
    setKey(target, `${from}-dup`, structuredClone(target[from]))
    return `copied ${from}`
  },
  longString(r, data) {
    const all = strings(data)
    if (all.length === 0) return undefined
    const [p, k] = pick(r, all)
    p[k] = p[k].repeat(int(r, 50, 2000))
    return 'long string'
  },
}

/** Text mutations: the file as text. */
const TEXT = {
  aliases(r, text) {
    // An anchored scalar referenced many times, then a small alias bomb.
    const n = pick(r, [10, 100, 2000, 10001])
    if (r() < 0.5) {
      const lines = [`x-anchor: &a [${Array.from({ length: 10 }, (_, i) => i).join(', ')}]`]
      let prev = 'a'
      for (let i = 0; i < int(r, 3, 9); i++) {
        lines.push(`x-${i}: &b${i} [${Array.from({ length: 10 }, () => `*${prev}`).join(', ')}]`)
        prev = `b${i}`
      }
      return [`${lines.join('\n')}\n${text}`, 'alias bomb']
    }
    const lines = ['x-anchor: &a { k: v }', 'x-refs:']
    for (let i = 0; i < n; i++) lines.push('  - *a')
    return [`${text}\n${lines.join('\n')}\n`, `${n} aliases`]
  },
  mergeKey(_r, text) {
    const lines = text.split('\n')
    const at = lines.findIndex((l) => /^ {6}[a-z0-9-]+:\s*$/.test(l))
    if (at < 0) return [text, undefined]
    lines[at] = `${lines[at]} &m`
    lines.push('x-merged:', '  <<: *m', '  <<: [*m, *m]')
    return [lines.join('\n'), 'merge keys']
  },
  circular(_r, text) {
    return [`x-loop: &l [*l]\n${text}`, 'self alias']
  },
  flipChar(r, text) {
    if (text.length === 0) return [text, undefined]
    const at = int(r, 0, text.length - 1)
    const c = pick(r, [
      ':',
      '-',
      ' ',
      '\t',
      '"',
      "'",
      '&',
      '*',
      '!',
      '|',
      '>',
      '{',
      '[',
      '#',
      '%',
      '@',
      '`',
      '\n',
      '\u0000',
    ])
    return [text.slice(0, at) + c + text.slice(at + 1), `char ${JSON.stringify(c)} at ${at}`]
  },
  truncate(r, text) {
    const at = int(r, 0, text.length)
    return [text.slice(0, at), `truncated at ${at}`]
  },
  duplicateLine(r, text) {
    const lines = text.split('\n')
    const at = int(r, 0, Math.max(0, lines.length - 1))
    lines.splice(at, 0, lines[at] ?? '')
    return [lines.join('\n'), `line ${at + 1} twice`]
  },
  hugeText(r, text) {
    const lines = text.split('\n')
    const idx = lines.map((l, i) => (/:\s*\d+\s*$/.test(l) ? i : -1)).filter((i) => i >= 0)
    if (idx.length === 0) return [text, undefined]
    const at = pick(r, idx)
    const v = pick(r, HUGE_TEXT)
    lines[at] = lines[at].replace(/\d+\s*$/, v)
    return [lines.join('\n'), `number ${v}`]
  },
  tags(r, text) {
    const lines = text.split('\n')
    const idx = lines
      .map((l, i) => (/:\s+\S/.test(l) && !l.trim().startsWith('#') ? i : -1))
      .filter((i) => i >= 0)
    if (idx.length === 0) return [text, undefined]
    const at = pick(r, idx)
    const tag = pick(r, [
      '!!binary',
      '!!js/function',
      '!!int',
      '!!float',
      '!!str',
      '!!set',
      '!!omap',
      '!custom',
      '!!timestamp',
    ])
    lines[at] = lines[at].replace(/:\s+/, `: ${tag} `)
    return [lines.join('\n'), `tag ${tag}`]
  },
  controlText(r, text) {
    const at = int(r, 0, text.length)
    const c = pick(r, CONTROL)
    return [text.slice(0, at) + c + text.slice(at), `control ${JSON.stringify(c)} at ${at}`]
  },
  deepFlow(r, text) {
    const depth = pick(r, [63, 64, 65, 500, 5000])
    const open = r() < 0.5 ? '['.repeat(depth) : '{a: '.repeat(depth)
    const close = open.startsWith('[') ? ']'.repeat(depth) : '}'.repeat(depth)
    return [`${text}\nx-deep: ${open}1${close}\n`, `flow depth ${depth}`]
  },
  documents(r, text) {
    return [r() < 0.5 ? `${text}\n---\n${text}` : `%YAML 1.1\n---\n${text}`, 'documents']
  },
}

/** Mutants stay below 1 MB: an infra file is text a person writes. */
const MAX_TEXT = 1_000_000
const STRUCTURE_NAMES = Object.keys(STRUCTURE)
const MILD = ['nftName', 'nftTable', 'protoName', 'controlChars', 'longString', 'hugeNumber']
const TEXT_NAMES = Object.keys(TEXT)

/**
 * One mutant of `text`: 1 to 3 mutations, structure or text level.
 * Returns the new text and what was done (to print with a defect).
 */
export function mutate(r, text) {
  const done = []
  let current = text
  // Two in five mutants get one mild change that often keeps the file valid,
  // so plan, escaping in plan text and nft -c see names like `dup` or
  // `constructor` and values with control characters.
  const mild = r() < 0.4
  const count = mild ? 1 : int(r, 1, 3)
  for (let i = 0; i < count; i++) {
    if (mild || r() < 0.6) {
      let data
      try {
        data = parse(current, { maxAliasCount: -1, uniqueKeys: false, logLevel: 'silent' })
      } catch {
        continue
      }
      if (data === null || typeof data !== 'object') continue
      const name = pick(r, mild ? MILD : STRUCTURE_NAMES)
      const what = STRUCTURE[name](r, data)
      if (what === undefined) continue
      let next
      try {
        // Shared objects stay anchors and aliases (an alias bomb stays small text).
        next = stringify(data, { lineWidth: 0 })
      } catch {
        continue
      }
      if (next.length > MAX_TEXT) continue
      current = next
      done.push(`${name}: ${what}`)
    } else {
      const name = pick(r, TEXT_NAMES)
      const [next, what] = TEXT[name](r, current)
      if (what === undefined || next.length > MAX_TEXT) continue
      current = next
      done.push(`${name}: ${what}`)
    }
  }
  return { text: current, mutations: done }
}
