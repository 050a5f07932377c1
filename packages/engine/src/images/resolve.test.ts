import type { Image } from '@anklume/incus-client'
import { describe, expect, it } from 'vitest'
import { mapBounded } from './events.js'
import { findCached, imageRef } from './resolve.js'

const img = (fingerprint: string, aliases: string[], update_source?: Image['update_source']) =>
  ({ fingerprint, aliases: aliases.map((name) => ({ name, description: '' })), update_source }) as Image

describe('imageRef / findCached', () => {
  const cache = [
    img('a'.repeat(64), ['local/one']),
    img('b'.repeat(64), [], {
      alias: 'debian/13',
      server: 'https://images.linuxcontainers.org/',
      protocol: 'simplestreams',
    }),
    img('c'.repeat(64), ['alpine/3.20']),
  ]

  it('parses remote, alias and fingerprint images', () => {
    expect(imageRef('images:debian/13')).toEqual({
      image: 'images:debian/13',
      kind: 'remote',
      alias: 'debian/13',
      server: 'https://images.linuxcontainers.org',
    })
    expect(imageRef('local/one')).toMatchObject({ kind: 'alias', alias: 'local/one' })
    expect(imageRef('abcdef012345')).toMatchObject({ kind: 'fingerprint', fingerprint: 'abcdef012345' })
    expect(imageRef('mine:x', { mine: 'https://127.0.0.1:1' })).toMatchObject({
      kind: 'remote',
      server: 'https://127.0.0.1:1',
    })
    // An unknown remote is a local alias, as the planner uses it.
    expect(imageRef('other:x')).toMatchObject({ kind: 'alias', alias: 'other:x' })
  })

  it('finds cached images by alias, fingerprint prefix, update source or pulled alias', () => {
    expect(findCached(imageRef('local/one'), cache)?.fingerprint).toBe('a'.repeat(64))
    expect(findCached(imageRef('bbbbbbbbbbbb'), cache)?.fingerprint).toBe('b'.repeat(64))
    expect(findCached(imageRef('images:debian/13'), cache)?.fingerprint).toBe('b'.repeat(64))
    expect(findCached(imageRef('images:alpine/3.20'), cache)?.fingerprint).toBe('c'.repeat(64))
    expect(findCached(imageRef('images:debian/12'), cache)).toBeUndefined()
    expect(findCached(imageRef('local/two'), cache)).toBeUndefined()
  })
})

describe('mapBounded', () => {
  it('never runs more than the limit at once and keeps the order', async () => {
    let running = 0
    let peak = 0
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, n * 3))
      running--
      return n * 10
    })
    expect(out).toEqual([50, 10, 40, 20, 30])
    expect(peak).toBe(2)
  })
})
