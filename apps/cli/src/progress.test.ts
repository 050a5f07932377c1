import type { Action } from '@anklume/planner'
import { describe, expect, it } from 'vitest'
import { actionLabel, createProgress, messageOf } from './progress.js'

/** A stream that keeps what is written (not a terminal: plain lines). */
function sink(): NodeJS.WriteStream & { text: string } {
  const s = {
    text: '',
    isTTY: false,
    write(chunk: string) {
      s.text += chunk
      return true
    },
  }
  return s as unknown as NodeJS.WriteStream & { text: string }
}

const evil = 'web\u001b[2J\n✓ create instance fake'
const action = { kind: 'instance', op: 'create', project: 'pro', name: evil } as unknown as Action

describe('apply progress lines', () => {
  it('escape names and Incus error messages: one line per action, no terminal escape', () => {
    const out = sink()
    const p = createProgress(3, out)
    p.onEvent({ type: 'start', action })
    p.onEvent({
      type: 'finish',
      action,
      result: { status: 'failed', error: new Error('Failed: \u001b]0;owned\u0007\r\nmore'), durationMs: 5 },
    })
    p.onEvent({
      type: 'finish',
      action,
      result: { status: 'blocked', blockedBy: 'create bridge net\u001b[31m', durationMs: 0 },
    })
    p.onEvent({ type: 'finish', action, result: { status: 'done', durationMs: 1200 } })
    p.stop()
    const lines = out.text.split('\n').filter(Boolean)
    expect(lines).toEqual([
      '✗ create instance pro/web\\u001b[2J\\n✓ create instance fake: Failed: \\u001b]0;owned\\u0007\\r\\nmore',
      '- create instance pro/web\\u001b[2J\\n✓ create instance fake: not run, create bridge net\\u001b[31m failed',
      '✓ create instance pro/web\\u001b[2J\\n✓ create instance fake (1.2s)',
    ])
    expect(out.text).not.toMatch(/[\u001b\u0007\r]/)
  })

  it('labels and messages of any shape are escaped strings', () => {
    expect(actionLabel({ kind: 'nft-table', op: 'create', name: 'anklume_x\n' } as unknown as Action)).toBe(
      'load nftables table inet anklume_x\\n',
    )
    expect(messageOf('plain \u009b string')).toBe('plain \\u009b string')
    expect(messageOf(undefined)).toBe('undefined')
  })
})
