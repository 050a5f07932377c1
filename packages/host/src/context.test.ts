import { describe, expect, it } from 'vitest'
import { contextDir } from './context.js'

describe('context directory', () => {
  it('the context directory: option, then ANKLUME_CONTEXT_DIR, then /etc/anklume', () => {
    const saved = process.env.ANKLUME_CONTEXT_DIR
    try {
      delete process.env.ANKLUME_CONTEXT_DIR
      expect(contextDir()).toBe('/etc/anklume')
      process.env.ANKLUME_CONTEXT_DIR = '/tmp/ctx'
      expect(contextDir()).toBe('/tmp/ctx')
      expect(contextDir('/x')).toBe('/x')
    } finally {
      if (saved === undefined) delete process.env.ANKLUME_CONTEXT_DIR
      else process.env.ANKLUME_CONTEXT_DIR = saved
    }
  })
})
