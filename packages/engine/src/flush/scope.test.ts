import { emptyObserved } from '@anklume/planner'
import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { planFlush } from './plan.js'
import { checkDomainFound, flushLabel, flushTarget } from './scope.js'

const infra = makeInfra(
  [makeDomain('pro', 1, { 'pro-dev': {}, 'pro-web': {} }), makeDomain('perso', 2)],
  { isolation: { table: 'lab_iso', egress: true, networkAcls: false } },
  'lab',
)

describe('flushTarget', () => {
  it('without an infra file: every anklume object, the default table', () => {
    expect(flushTarget(undefined)).toEqual({
      scope: {},
      nftTable: undefined,
      machines: undefined,
      declared: false,
    })
    expect(flushTarget(undefined, 'pro')).toEqual({
      scope: { domain: 'pro' },
      nftTable: undefined,
      machines: [],
      declared: false,
    })
  })

  it("with an infra file: its project_name, its table, and a declared domain's machines", () => {
    expect(flushTarget(infra)).toEqual({
      scope: { projectName: 'lab' },
      nftTable: 'lab_iso',
      machines: undefined,
      declared: false,
    })
    expect(flushTarget(infra, 'pro')).toEqual({
      scope: { projectName: 'lab', domain: 'pro' },
      nftTable: 'lab_iso',
      machines: ['pro-dev', 'pro-web'],
      declared: true,
    })
    expect(flushTarget(infra, 'gone')).toMatchObject({ machines: [], declared: false })
  })

  it('names the operation', () => {
    expect(flushLabel({})).toBe('flush')
    expect(flushLabel({ projectName: 'lab', domain: 'pro' })).toBe('destroy domain pro')
  })

  it('refuses a domain neither declared nor labelled on anything', () => {
    const empty = planFlush(emptyObserved(), { domain: 'gone' })
    expect(() => checkDomainFound(flushTarget(infra, 'gone'), empty)).toThrow(
      expect.objectContaining({
        code: 'ANKLUME_TARGET_NOT_FOUND',
        message: 'no anklume object is labelled with domain "gone" (project_name lab)',
      }),
    )
    expect(() => checkDomainFound(flushTarget(undefined, 'gone'), empty)).toThrow(
      'no anklume object is labelled with domain "gone"',
    )
    expect(() => checkDomainFound(flushTarget(infra, 'pro'), empty)).not.toThrow()
    expect(() => checkDomainFound(flushTarget(infra), empty)).not.toThrow()
  })
})
