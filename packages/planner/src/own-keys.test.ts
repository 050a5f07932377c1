/** Names that are also Object.prototype members (constructor, toString…) are plain data. */
import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { observedFrom } from './converged.js'
import { desired } from './desired.js'
import { diff } from './diff.js'
import { parseImage } from './image-source.js'

const NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf']

const infra = () =>
  makeInfra([
    makeDomain('pro', 2, {
      'pro-dev': {
        ip: '10.100.2.10',
        storageVolumes: NAMES.map((name, i) => ({ name, pool: 'default', size: '1GiB', path: `/v${i}` })),
        config: { constructor: 'c', toString: 't' },
      },
    }),
  ])

const opts = { projectName: 'lab' }

describe('prototype names', () => {
  it('volumes named constructor, toString… are created and attached', () => {
    const d = desired(infra(), { level: 1 })
    const inst = d.instances[0]
    expect(d.volumes.map((v) => v.name)).toEqual(NAMES)
    for (const [i, name] of NAMES.entries())
      expect(inst?.devices[name]).toEqual({ type: 'disk', pool: 'default', source: name, path: `/v${i}` })
    expect(inst?.config.constructor).toBe('c')
  })

  it('an image remote named toString or constructor is an unknown remote, not Object.prototype', () => {
    for (const remote of ['toString', 'constructor'])
      expect(parseImage(`${remote}:debian/13`)).toEqual({
        source: { type: 'image', alias: `${remote}:debian/13` },
        warning: `image "${remote}:debian/13": unknown remote "${remote}" (known: images); used as a local alias`,
      })
  })

  it('a converged host plans nothing; an extra observed key of that name is removed', () => {
    const d = desired(infra(), { level: 1 })
    const o = observedFrom(d)
    expect(diff(d, o, opts).actions).toEqual([])
    const inst = o.instances[0]
    if (!inst) throw new Error('no instance')
    Object.assign(inst.config, { valueOf: 'x' })
    Object.assign(inst.devices, { hasOwnProperty: { type: 'none' } })
    Reflect.deleteProperty(d.instances[0]?.devices ?? {}, 'constructor')
    const plan = diff(d, o, opts)
    const changes = plan.actions.flatMap((a) => ('changes' in a ? (a.changes ?? []) : []))
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'config', key: 'valueOf', from: 'x', to: undefined }),
        expect.objectContaining({ field: 'devices', key: 'constructor', to: undefined }),
      ]),
    )
  })
})
