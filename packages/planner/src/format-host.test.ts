/** Plan text: host access shown on instance creates and updates; control characters never printed raw. */
import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { observedFrom } from './converged.js'
import { desired } from './desired.js'
import { diff } from './diff.js'
import { formatPlan } from './format.js'
import { emptyObserved } from './observed.js'

const opts = { projectName: 'lab' }
const lab = (rawLxc = 'lxc.apparmor.profile=unconfined') =>
  makeInfra([
    makeDomain('pro', 2, {
      'pro-dev': {
        ip: '10.100.2.10',
        config: { 'raw.lxc': rawLxc },
        devices: { etc: { type: 'disk', source: '/etc', path: '/mnt/etc' } },
        hostAccess: ['raw.lxc', 'disk:/etc'],
      },
      'pro-web': { ip: '10.100.2.11' },
    }),
  ])

describe('host access in the plan text', () => {
  it('is printed under the create of the instance, and only there', () => {
    const text = formatPlan(diff(desired(lab(), { level: 1 }), emptyObserved(), opts))
    const lines = text.split('\n')
    const at = lines.indexOf('+ create instance pro/pro-dev')
    expect(lines[at + 1]).toBe('      !! host access: raw.lxc, disk:/etc')
    expect(lines.filter((l) => l.includes('host access'))).toHaveLength(1)
  })

  it('is bold red when colour is on', () => {
    const text = formatPlan(diff(desired(lab(), { level: 1 }), emptyObserved(), opts), { color: true })
    expect(text).toContain('\u001b[1;31m      !! host access: raw.lxc, disk:/etc\u001b[0m')
  })

  it('is printed under an update of the instance too', () => {
    const o = observedFrom(desired(lab(), { level: 1 }))
    const text = formatPlan(diff(desired(lab('lxc.mount.auto=sys:rw'), { level: 1 }), o, opts))
    expect(text.split('\n')).toEqual([
      '~ update instance pro/pro-dev  config raw.lxc: "lxc.apparmor.profile=unconfined" -> "lxc.mount.auto=sys:rw"',
      '      !! host access: raw.lxc, disk:/etc',
      '',
      'Plan: 0 to create, 1 to update, 0 to replace, 0 to delete, 0 to start, 0 to restart, 0 to rebuild.',
    ])
  })
})

describe('host access of a profile', () => {
  it('is printed under its create (the machines using it grant it)', () => {
    const infra = makeInfra([
      makeDomain(
        'pro',
        2,
        { 'pro-dev': { ip: '10.100.2.10', profiles: ['default', 'low'], hostAccess: ['raw.lxc'] } },
        { profiles: [{ name: 'low', description: '', config: { 'raw.lxc': 'x' }, devices: {} }] },
      ),
    ])
    const lines = formatPlan(diff(desired(infra, { level: 1 }), emptyObserved(), opts)).split('\n')
    const at = lines.indexOf('+ create profile pro/low')
    expect(lines[at + 1]).toBe('      !! host access: raw.lxc')
  })
})

describe('control characters in the plan text', () => {
  it('newlines, ESC and bidi overrides in values are escaped', () => {
    const infra = makeInfra([
      makeDomain('pro', 2, {
        'pro-dev': {
          ip: '10.100.2.10',
          description: 'ok\ninfra.yml:1:1  forged\u001b[2J',
          devices: { d: { type: 'disk', source: '/srv/a\u001b]0;x\u0007', path: '/x\u202e' } },
        },
      }),
    ])
    const o = observedFrom(
      desired(makeInfra([makeDomain('pro', 2, { 'pro-dev': { ip: '10.100.2.10' } })]), { level: 1 }),
    )
    const text = formatPlan(diff(desired(infra, { level: 1 }), o, opts))
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/)
    // A multi-line value is shown as a line diff: each line indented and escaped, none can pass for an issue.
    expect(text).toContain('        + infra.yml:1:1  forged\\u001b[2J')
    expect(text).toContain('source: /srv/a\\u001b]0;x\\u0007, path: /x\\u202e')
    expect(text.split('\n').some((l) => l.startsWith('infra.yml:'))).toBe(false)
  })
})
