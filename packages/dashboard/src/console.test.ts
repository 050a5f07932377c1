import { describe, expect, it } from 'vitest'
import { type ConsoleDomain, consolePlan, paneCommand, renderTmux, shQuote } from './console.js'
import { trustColour } from './trust.js'

const domain = (
  name: string,
  trust: 'admin' | 'trusted' | 'untrusted',
  machines: Array<[string, string]>,
): ConsoleDomain => ({
  name,
  trustLevel: trust,
  colour: trustColour(trust),
  machines: machines.map(([machine, state]) => ({
    machine,
    instance: `001-${machine}`,
    project: name,
    state,
  })),
})

describe('consolePlan', () => {
  const plan = consolePlan(
    [
      domain('admin', 'admin', [['ctl', 'Running']]),
      domain('pro', 'trusted', [
        ['dev', 'Running'],
        ['db', 'Stopped'],
        ['web', 'Running'],
      ]),
      domain('lab', 'untrusted', [['box', 'Stopped']]),
    ],
    { session: 'anklume-demo' },
  )

  it('makes one session, a window per domain, a pane per running machine', () => {
    expect(plan[0]?.slice(0, 6)).toEqual(['new-session', '-d', '-s', 'anklume-demo', '-n', 'admin'])
    expect(plan.filter((c) => c[0] === 'new-window').map((c) => c[5])).toEqual(['pro', 'lab'])
    const splits = plan.filter((c) => c[0] === 'split-window')
    expect(splits).toHaveLength(1)
    expect(splits[0]?.[3]).toBe(paneCommand({ instance: '001-web', project: 'pro' }, { session: 'x' }))
    const titles = plan.filter((c) => c[0] === 'select-pane').map((c) => `${c[2]} ${c[4]}`)
    expect(titles).toEqual([
      'anklume-demo:=admin ctl',
      'anklume-demo:=pro dev',
      'anklume-demo:=pro web',
      'anklume-demo:=lab lab',
    ])
  })

  it('colours borders and status entries with the trust colour', () => {
    const opt = (w: string, name: string) =>
      plan.find((c) => c[0] === 'set-option' && c[3] === `anklume-demo:=${w}` && c[4] === name)?.[5]
    expect(opt('admin', 'pane-border-style')).toBe(`fg=${trustColour('admin')}`)
    expect(opt('pro', 'pane-active-border-style')).toBe(`fg=${trustColour('trusted')},bold`)
    expect(opt('lab', 'window-status-style')).toBe(`fg=#ffffff,bg=${trustColour('untrusted')}`)
    expect(opt('pro', '@anklume-trust')).toBe('trusted')
  })

  it('a domain with no running machine gets a pane that says so', () => {
    const lab = plan.find((c) => c[0] === 'new-window' && c[5] === 'lab')
    expect(lab?.[6]).toContain('no running machine')
  })

  it('refuses an infra without domains', () => {
    expect(() => consolePlan([], { session: 's' })).toThrow(/no domain/)
  })
})

describe('commands', () => {
  it('the pane runs incus exec in the project (with a remote when given)', () => {
    expect(paneCommand({ instance: 'pro-dev', project: 'pro' }, { session: 's', shell: 'sh' })).toBe(
      'incus exec --project pro pro-dev -- sh -c sh',
    )
    expect(
      paneCommand({ instance: 'dev', project: 'pro' }, { session: 's', remote: 'lab', shell: 'sh' }),
    ).toBe('incus exec --project pro lab:dev -- sh -c sh')
  })

  it('quotes for a POSIX shell', () => {
    expect(shQuote('plain-1.2')).toBe('plain-1.2')
    expect(shQuote("it's a b")).toBe(`'it'\\''s a b'`)
    expect(shQuote('')).toBe("''")
  })

  it('renders tmux lines with the socket', () => {
    expect(renderTmux([['kill-session', '-t', '=s x']], 'sock')).toEqual([
      "tmux -L sock kill-session -t '=s x'",
    ])
    expect(renderTmux([['list-sessions']])).toEqual(['tmux list-sessions'])
  })
})
