/** YAML syntax errors: at the unclosed bracket or quote, with the source line, a caret and a plain hint. */
import { describe, expect, test } from 'vitest'
import { check, only } from '../test/helpers.js'
import { formatIssue } from './format.js'

describe('YAML syntax errors are placed where the mistake is', () => {
  test('an unclosed flow map: at its "{", not on the next line', () => {
    const text = 'project_name: x\ndomains:\n  a:\n    machines:\n      a-1: { ip: "10.1.1.2"\n  b: {}\n'
    const e = only(check(text), 'YAML_SYNTAX')
    expect(e).toMatchObject({ line: 5, col: 12, message: 'this "{" is never closed' })
    expect(e.source).toBe('      a-1: { ip: "10.1.1.2"')
    expect(e.hint).toContain('close it with "}"')
    expect(formatIssue(e)).toBe(
      [
        'infra.yml:5:12  this "{" is never closed',
        '  5 |       a-1: { ip: "10.1.1.2"',
        '    |            ^',
        `  hint: ${e.hint}`,
      ].join('\n'),
    )
  })

  test('an unclosed flow sequence at the end of the file: at its "["', () => {
    const e = only(check('project_name: x\ndomains:\n  a:\n    subnet_id: [1, 2\n'), 'YAML_SYNTAX')
    expect(e).toMatchObject({ line: 4, col: 16, source: '    subnet_id: [1, 2' })
  })

  test('brackets inside quotes and comments do not count', () => {
    const text = 'project_name: "a{"\n# { not this\ndomains: { a: "x}"\nglobal: {}\n'
    const e = only(check(text), 'YAML_SYNTAX')
    expect(e).toMatchObject({ line: 3, col: 10, message: 'this "{" is never closed' })
  })

  test('an unclosed quote: at the quote', () => {
    const e = only(check('project_name: x\nglobal:\n  base_subnet: "10.1\ndomains: {}\n'), 'YAML_SYNTAX')
    expect(e).toMatchObject({ line: 3, col: 16, message: 'this double quote is never closed' })
    expect(e.hint).toBe('end the value with " on the same line, e.g. key: "value"')
  })

  test('an over-indented key: at that line, said once', () => {
    const r = check('project_name: x\n  global: 1\ndomains: {}\n')
    const e = only(r, 'YAML_SYNTAX')
    expect(e).toMatchObject({ line: 2, col: 3, source: '  global: 1' })
    expect(e.message).toBe('this line is indented more than the key above it, which already has a value')
  })

  test('a tab as indentation: the caret stays under the column', () => {
    const e = only(check('project_name: x\ndomains:\n\ta: {}\n'), 'YAML_SYNTAX')
    expect(e).toMatchObject({ line: 3, col: 1, hint: 'indent with spaces, not tabs' })
    expect(formatIssue(e).split('\n').slice(1, 3)).toEqual(['  3 |  a: {}', '    | ^'])
  })

  test('in colour: the head in red, the caret bold red', () => {
    const e = only(check('project_name: "x\n'), 'YAML_SYNTAX')
    const text = formatIssue(e, { color: true })
    expect(text.startsWith('\u001b[31minfra.yml:1:15')).toBe(true)
    expect(text).toContain('\u001b[1;31m^\u001b[0m')
    expect(formatIssue(e)).not.toContain('\u001b')
  })
})
