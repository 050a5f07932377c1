/**
 * YAML syntax errors said for people: `yaml` reports an unclosed bracket or
 * quote where it noticed the problem (often the next line, or the end of the
 * file), in its own words. Here the position moves back to what is unclosed
 * (the `{`, `[` or quote), the issue carries the source line (shown with a
 * caret under the column) and a plain hint.
 */
import type { LineCounter, YAMLError } from 'yaml'

export interface SyntaxPlace {
  offset: number
  message: string
  hint: string
}

/** The opener `{`/`[` left unclosed before `end` (brackets inside quotes and comments skipped), or -1. */
function unclosedBracket(text: string, end: number, open: '{' | '['): number {
  const close = open === '{' ? '}' : ']'
  // Scan forwards from the start of the block, keeping a stack of open brackets.
  const stack: number[] = []
  let quote: string | undefined
  for (let i = 0; i < end; i++) {
    const c = text[i]
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = undefined
      else if (c === '\n' && quote === "'") quote = undefined
      continue
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      const nl = text.indexOf('\n', i)
      i = nl === -1 ? end : nl
      continue
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1] ?? ''))) quote = c
    else if (c === open) stack.push(i)
    else if (c === close) stack.pop()
  }
  return stack.length > 0 ? (stack[stack.length - 1] as number) : -1
}

/** The quote that opens the unterminated scalar ending at `end`: the last unescaped one before it. */
function unclosedQuote(text: string, end: number, q: string): number {
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] === q && !(q === '"' && text[i - 1] === '\\')) return i
  }
  return -1
}

/** The first non-blank character of the line after the one holding `offset`, or `offset`. */
function nextLineStart(text: string, offset: number): number {
  const re = /\n[ \t]*(?=[^\s])/g
  re.lastIndex = offset
  const m = re.exec(text)
  return m ? m.index + m[0].length : offset
}

const GENERIC_HINT =
  'check the indentation (spaces, the same for keys of one map) and that every quote and bracket is closed'

/** yaml's first line, without its own ` at line N, column M` (we show the place ourselves). */
function plain(message: string): string {
  return (message.split(/ at line \d+, column \d+/)[0] ?? message).split('\n')[0] ?? message
}

/** Where a syntax error really is, what to say and what to do. */
export function syntaxPlace(text: string, e: YAMLError): SyntaxPlace {
  const at = e.pos[0]
  const message = plain(e.message)
  if (e.code === 'MISSING_CHAR' && /quote/i.test(message)) {
    const q = /'/.test(message.replace(/"quote/, '')) && !/"/.test(message) ? "'" : '"'
    const open = unclosedQuote(text, at, q)
    if (open >= 0)
      return {
        offset: open,
        message: `this ${q === '"' ? 'double' : 'single'} quote is never closed`,
        hint: `end the value with ${q} on the same line, e.g. key: ${q}value${q}`,
      }
  }
  const flow =
    /^Flow (map|sequence)/.exec(message) ?? (e.code === 'MISSING_CHAR' ? /[}\]]/.exec(message) : null)
  if (flow) {
    const isMap = flow[1] === 'map' || flow[0] === '}'
    const open = unclosedBracket(text, at, isMap ? '{' : '[')
    if (open >= 0) {
      const [o, c] = isMap ? ['{', '}'] : ['[', ']']
      return {
        offset: open,
        message: `this "${o}" is never closed`,
        hint: `close it with "${c}" (on the same line, or on a later line indented more than its key)`,
      }
    }
  }
  if (e.code === 'BLOCK_AS_IMPLICIT_KEY' || e.code === 'MULTILINE_IMPLICIT_KEY') {
    return {
      offset: nextLineStart(text, at),
      message: 'this line is indented more than the key above it, which already has a value',
      hint: 'indent it like the keys beside it, or move it under a key that has no value on its line',
    }
  }
  if (e.code === 'TAB_AS_INDENT') return { offset: at, message, hint: 'indent with spaces, not tabs' }
  if (e.code === 'BAD_INDENT') {
    return {
      offset: at,
      message,
      hint: 'keys of one map start in the same column; a nested map is indented more than its key',
    }
  }
  return { offset: at, message, hint: GENERIC_HINT }
}

/** The text of line `line` (1-based), without its newline. */
export function sourceLine(text: string, lines: LineCounter, line: number): string {
  const start = lines.lineStarts[line - 1] ?? 0
  const end = text.indexOf('\n', start)
  return text.slice(start, end === -1 ? undefined : end).replace(/\r$/, '')
}
