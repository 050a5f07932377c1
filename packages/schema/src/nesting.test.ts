import { describe, expect, it } from 'vitest'
import { childContext, loadContextOf, namingLevel } from './nesting.js'

const host = { absoluteLevel: 0, relativeLevel: 0, vmNested: false, yolo: false }

describe('nesting context', () => {
  it('gives the loader level 1 on the host itself and the absolute level inside instances', () => {
    expect(loadContextOf(host)).toEqual({ absoluteLevel: 1, vmNested: false, yolo: false })
    expect(loadContextOf({ ...host, absoluteLevel: 2, vmNested: true })).toMatchObject({
      absoluteLevel: 2,
      vmNested: true,
    })
  })

  it('turns yolo on from the file or the command line', () => {
    expect(loadContextOf(host, { yolo: true }).yolo).toBe(true)
    expect(loadContextOf({ ...host, yolo: true }).yolo).toBe(true)
    expect(loadContextOf(host, { yolo: undefined }).yolo).toBe(false)
  })

  it('builds names for level 1 when the context does not say', () => {
    expect(namingLevel({})).toBe(1)
    expect(namingLevel({ absoluteLevel: 3 })).toBe(3)
  })

  it('writes the child one level deeper, resetting the relative level at a VM', () => {
    expect(childContext({ ...host, absoluteLevel: 1, relativeLevel: 1 }, true)).toEqual({
      absolute_level: '2',
      relative_level: '0',
      vm_nested: 'true',
      yolo: 'false',
    })
  })
})
