/**
 * Values written in an infra file or sent by Incus end up in human messages (issues, plan
 * text, status tables, apply progress). Control characters in them could forge a `file:line` line or send
 * terminal escapes, so they are shown escaped, JSON-style: a newline as `\n`,
 * ESC as `\u001b`. Also escaped: DEL, C1 controls, Unicode line separators
 * and bidirectional overrides (which reorder what a terminal shows).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

export function escapeControl(text: string): string {
  return text.replace(
    CONTROL,
    (c) => SHORT[c] ?? `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  )
}
