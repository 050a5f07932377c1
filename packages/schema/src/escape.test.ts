import { describe, expect, test } from 'vitest'
import { check } from '../test/helpers.js'
import { escapeControl } from './escape.js'
import { formatIssue } from './format.js'

describe('control characters in human messages', () => {
  test('escaped JSON-style; printable text, accents and emoji untouched', () => {
    expect(escapeControl('a\nb\r\tc\u001b[31m\u0000\u007f\u0085\u2028\u202e')).toBe(
      'a\\nb\\r\\tc\\u001b[31m\\u0000\\u007f\\u0085\\u2028\\u202e',
    )
    expect(escapeControl('déjà vu ✓ 🚀 "q" \\ ok')).toBe('déjà vu ✓ 🚀 "q" \\ ok')
  })

  test('a value cannot forge a file:line line or send a terminal escape', () => {
    const r = check(`project_name: demo
global:
  base_subnet: "10.100"
domains:
  pro:
    subnet_id: 1
    machines:
      pro-dev:
        ip: "10.100.1.10\\ninfra.yml:1:1  all good\\e[2J"
`)
    const text = r.issues.map((i) => formatIssue(i)).join('\n')
    expect(text).toContain('"10.100.1.10\\ninfra.yml:1:1  all good\\u001b[2J" is not an IPv4 address')
    expect(text).not.toContain('\u001b')
    expect(text.split('\n').filter((l) => l.startsWith('infra.yml:1:1'))).toEqual([])
  })

  test('every part of an issue is escaped, and the hint stays on its own line', () => {
    const line = formatIssue({
      severity: 'warning',
      code: 'X',
      path: 'domains.a\nb',
      message: 'm\u001b]0;t\u0007',
      hint: 'h\rx',
      file: 'f\n.yml',
      line: 2,
      col: 3,
    })
    expect(line).toBe('warning: f\\n.yml:2:3  domains.a\\nb  m\\u001b]0;t\\u0007\n  hint: h\\rx')
  })
})
