import { describe, expect, it } from 'vitest'
import { collect, FILE_HELP, fileOption, parseConcurrency } from './options.js'
import { requireYes } from './prompt.js'
import { formatTable } from './shared.js'

describe('formatTable', () => {
  it('aligns columns two spaces apart, without trailing blanks', () => {
    expect(
      formatTable([
        ['NAME', 'STATE', 'IP'],
        ['pro-dev', 'Running', '10.0.0.1'],
        ['x', 'Stopped', ''],
      ]),
    ).toEqual(['NAME     STATE    IP', 'pro-dev  Running  10.0.0.1', 'x        Stopped'])
    expect(formatTable([])).toEqual([])
  })

  it('escapes control characters in every cell, so a value adds no line and no terminal escape', () => {
    const lines = formatTable([
      ['NAME', 'DESCRIPTION'],
      ['a\u001b[2Jb', 'one\ntwo\r\u202e'],
    ])
    expect(lines).toEqual(['NAME         DESCRIPTION', 'a\\u001b[2Jb  one\\ntwo\\r\\u202e'])
    expect(lines.join('\n')).not.toMatch(/[\u001b\r\u202e]/)
  })
})

describe('shared options', () => {
  it('parses --concurrency as a positive integer, else invalid input', () => {
    expect(parseConcurrency(undefined, 8)).toBe(8)
    expect(parseConcurrency('64', 8)).toBe(64)
    expect(parseConcurrency('3', 8)).toBe(3)
    for (const bad of ['0', '-1', 'x', '2.5', '65'])
      expect(() => parseConcurrency(bad, 8)).toThrow(
        expect.objectContaining({ code: 'ANKLUME_USAGE', message: expect.stringContaining(`"${bad}"`) }),
      )
  })

  it('defines -f/--file once, with the usual or a specific help', () => {
    expect([fileOption().flags, fileOption().description]).toEqual(['-f, --file <path>', FILE_HELP])
    expect(fileOption('infra file: limits it').description).toBe('infra file: limits it')
    expect(collect('a,b', ['x'])).toEqual(['x', 'a', 'b'])
  })
})

describe('requireYes', () => {
  it('refuses without --yes off a terminal or with --json, says what is at stake', () => {
    expect(() => requireYes({}, 'apply changes Incus')).toThrow(
      'apply changes Incus: pass --yes when not on a terminal (or with --json)',
    )
    expect(() => requireYes({ yes: true, json: true }, 'x')).not.toThrow()
  })
})
