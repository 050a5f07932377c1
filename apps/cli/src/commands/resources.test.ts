import { describe, expect, it } from 'vitest'
import { parseCpus, parseMemory } from './resources.js'

describe('resources --cpus / --memory', () => {
  it('takes whole CPUs and positive sizes', () => {
    expect(parseCpus('8')).toBe(8)
    expect(parseMemory('32GiB')).toBe(32 * 2 ** 30)
    expect(parseMemory('1.5 GiB')).toBe(1.5 * 2 ** 30)
  })
  it('refuses negative, zero, fractional or unparsable values as usage errors', () => {
    for (const bad of ['-1', '0', '2.5', 'eight', '', '8x']) {
      expect(() => parseCpus(bad), bad).toThrow(expect.objectContaining({ code: 'ANKLUME_USAGE' }))
    }
    for (const bad of ['-1GiB', '0', '0GiB', 'lots']) {
      expect(() => parseMemory(bad), bad).toThrow(expect.objectContaining({ code: 'ANKLUME_USAGE' }))
    }
  })
})
