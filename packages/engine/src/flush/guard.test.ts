import { describe, expect, it } from 'vitest'
import { isProductionHost, productionGuard } from './guard.js'

describe('production guard', () => {
  const ctx = (absoluteLevel: number, yolo = false) => ({
    absoluteLevel,
    relativeLevel: 0,
    vmNested: false,
    yolo,
  })
  it('level 0 without yolo is production: refused unless forced', () => {
    expect(isProductionHost(ctx(0))).toBe(true)
    expect(isProductionHost(ctx(0, true))).toBe(false)
    expect(isProductionHost(ctx(1))).toBe(false)
    expect(() => productionGuard(ctx(0), false)).toThrow(
      expect.objectContaining({ code: 'ANKLUME_PRODUCTION_HOST' }),
    )
    expect(() => productionGuard(ctx(0), true)).not.toThrow()
    expect(() => productionGuard(ctx(2), false)).not.toThrow()
  })
})
