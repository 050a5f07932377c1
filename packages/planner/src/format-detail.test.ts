/** The attributes under `+ create`, and changed long or multi-line values as a line diff. */
import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { observedFrom } from './converged.js'
import { desired } from './desired.js'
import { diff } from './diff.js'
import { formatPlan } from './format.js'
import { lineDiff, wantsLineDiff } from './format-detail.js'

const cloud = (userData: string) => ({ userData, vendorData: undefined, networkConfig: undefined })

describe('+ create lists what matters', () => {
  it('instance: image, type, IP, profiles, limits, volumes; volume: pool and size; bridge: address, nat', () => {
    const infra = makeInfra([
      makeDomain('work', 1, {
        'work-dev': {
          ip: '10.100.1.10',
          osImage: 'images:debian/13',
          config: { 'limits.cpu': '2', 'limits.memory': '2GiB' },
          storageVolumes: [{ name: 'data', pool: 'default', size: '1GiB', path: '/data' }],
        },
      }),
    ])
    const text = formatPlan(
      diff(desired(infra, { level: 1 }), observedFrom(desired(makeInfra([]), { level: 1 })), {
        projectName: 'lab',
      }),
    )
    const lines = text.split('\n')
    const at = lines.indexOf('+ create instance work/work-dev')
    expect(lines.slice(at, at + 7)).toEqual([
      '+ create instance work/work-dev',
      '      image:    images:debian/13',
      '      type:     container',
      '      ip:       10.100.1.10',
      '      profiles: default',
      '      limits:   cpu=2, memory=2GiB',
      '      volumes:  data at /data (pool default)',
    ])
    const vol = lines.indexOf('+ create volume work/data')
    expect(lines.slice(vol, vol + 3)).toEqual([
      '+ create volume work/data',
      '      pool: default',
      '      size: 1GiB',
    ])
    const net = lines.indexOf('+ create network net-work')
    expect(lines[net + 1]).toMatch(/^ {6}address: 10\.100\.1\.254\/24$/)
  })
})

describe('a changed long or multi-line value', () => {
  it('is a line diff with context, not two values cut at the same point', () => {
    const head = '#cloud-config\npackages:\n'
    const body = Array.from({ length: 12 }, (_, i) => `  - pkg${i}\n`).join('')
    const before = makeInfra([
      makeDomain('pro', 2, { 'pro-dev': { cloudInit: cloud(`${head}${body}runcmd: [a]\n`) } }),
    ])
    const after = makeInfra([
      makeDomain('pro', 2, { 'pro-dev': { cloudInit: cloud(`${head}${body}runcmd: [b]\n`) } }),
    ])
    const plan = diff(desired(after, { level: 1 }), observedFrom(desired(before, { level: 1 })), {
      projectName: 'lab',
    })
    const text = formatPlan(plan)
    expect(text).toContain(
      [
        '~ update instance pro/pro-dev',
        '      config cloud-init.user-data: (changed)',
        '          … 12 unchanged lines',
        '            - pkg10',
        '            - pkg11',
        '        - runcmd: [a]',
        '        + runcmd: [b]',
      ].join('\n'),
    )
    const red = formatPlan(plan, { color: true })
    expect(red).toContain('\u001b[31m- runcmd: [a]\u001b[0m')
    expect(red).toContain('\u001b[32m+ runcmd: [b]\u001b[0m')
  })

  it('short one-line values stay inline; long one-line values are shown whole', () => {
    expect(wantsLineDiff('2', '4')).toBe(false)
    expect(wantsLineDiff({ a: 1 }, 'x'.repeat(200))).toBe(false)
    expect(wantsLineDiff('a\nb', undefined)).toBe(true)
    const long = 'y'.repeat(120)
    expect(lineDiff(long, `${long}z`)).toEqual([`- ${long}`, `+ ${long}z`])
    expect(lineDiff(undefined, 'a\nb\n')).toEqual(['+ a', '+ b'])
    expect(lineDiff('a\nb\nc\n', 'a\nB\nc\n')).toEqual(['  a', '- b', '+ B', '  c'])
  })
})
