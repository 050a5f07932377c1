import { describe, expect, it } from 'vitest'
import { CUSTOM_VARS_NOTICE, MANAGED_BEGIN, MANAGED_END, managedBlock, mergeManaged } from './managed.js'

const body = 'instance_name: web\ninstance_ip: 10.100.1.10\n'

describe('mergeManaged', () => {
  it('creates a new file with the block and a pointer for custom variables', () => {
    const out = mergeManaged(undefined, body)
    expect(out).toBe(`---\n${managedBlock(body)}\n\n${CUSTOM_VARS_NOTICE}\n`)
    expect(out.startsWith(`---\n${MANAGED_BEGIN}\n`)).toBe(true)
    expect(out).toContain(`instance_ip: 10.100.1.10\n${MANAGED_END}\n`)
  })

  it('keeps user content above and below byte for byte (CRLF, tabs, no final newline)', () => {
    const above = '---\r\n# my header\t\r\nfoo: 1\r\n'
    const below = '\r\n\r\n# custom\r\nmy_var:   "x"  # trailing\r\n  - odd: [1,2]'
    const existing = `${above}${MANAGED_BEGIN}\nold: value\nmore: stuff\n${MANAGED_END}${below}`
    const out = mergeManaged(existing, body)
    expect(out.startsWith(above)).toBe(true)
    expect(out.endsWith(below)).toBe(true)
    expect(out).toBe(`${above}${managedBlock(body)}${below}`)
    expect(out).not.toContain('old: value')
  })

  it('is idempotent: merging the same body twice changes nothing', () => {
    const once = mergeManaged('---\nkeep: me\n', body)
    expect(mergeManaged(once, body)).toBe(once)
    const fresh = mergeManaged(undefined, body)
    expect(mergeManaged(fresh, body)).toBe(fresh)
  })

  it('adds the block after a leading --- of a file without markers, keeping the rest', () => {
    expect(mergeManaged('---\nmine: 1\n', body)).toBe(`---\n${managedBlock(body)}\n\nmine: 1\n`)
    expect(mergeManaged('mine: 1\n', body)).toBe(`---\n${managedBlock(body)}\n\nmine: 1\n`)
  })

  it('replaces only the first managed block', () => {
    const existing = `${MANAGED_BEGIN}\na: 1\n${MANAGED_END}\nx: 1\n${MANAGED_BEGIN}\nb: 2\n${MANAGED_END}\n`
    const out = mergeManaged(existing, 'c: 3\n')
    expect(out).toBe(`${managedBlock('c: 3\n')}\nx: 1\n${MANAGED_BEGIN}\nb: 2\n${MANAGED_END}\n`)
  })

  it('refuses a begin marker without an end marker (and the reverse)', () => {
    expect(() => mergeManaged(`${MANAGED_BEGIN}\na: 1\n`, body, 'host_vars/a.yml')).toThrow(
      expect.objectContaining({
        code: 'ANKLUME_INVENTORY_MARKERS',
        message: expect.stringContaining('host_vars/a.yml'),
      }),
    )
    expect(() => mergeManaged(`a: 1\n${MANAGED_END}\n`, body)).toThrow(
      expect.objectContaining({ code: 'ANKLUME_INVENTORY_MARKERS' }),
    )
  })
})
