import { describe, expect, test } from 'vitest'
import { cronError } from './cron.js'

describe('cron schedules', () => {
  test.each([
    '0 3 * * *',
    '*/15 * * * *',
    '0 0-23/2 * * mon-fri',
    '30 4 1,15 jan,jul *',
    '0 0 ? * 7',
    '5 4 * * sun',
    '0 12 31 12 *',
    '@daily',
    '@hourly, @weekly',
  ])('valid: %s', (expr) => {
    expect(cronError(expr)).toBeUndefined()
  })

  test.each([
    ['0 3 * *', 'a cron schedule has 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['60 * * * *', 'minute field: 60 is out of range 0–59'],
    ['0 24 * * *', 'hour field: 24 is out of range 0–23'],
    ['0 0 0 * *', 'day-of-month field: 0 is out of range 1–31'],
    ['0 0 * 13 *', 'month field: 13 is out of range 1–12'],
    ['0 0 * * 8', 'day-of-week field: 8 is out of range 0–7'],
    ['0 0 * * funday', 'day-of-week field: "funday" is not a number or a name'],
    ['*/0 * * * *', 'minute field: step "0" must be between 1 and 60'],
    ['0 5-2 * * *', 'hour field: range "5-2" is reversed'],
    ['0 1,,2 * * *', 'hour field: empty list item in "1,,2"'],
    [
      '@sometimes',
      'unknown schedule alias "@sometimes" (known: @hourly, @daily, @midnight, @weekly, @monthly, @annually, @yearly)',
    ],
    ['', 'empty schedule'],
    ['? * * * *', 'minute field: "?" is not a number'],
  ])('invalid: %s', (expr, message) => {
    expect(cronError(expr)).toBe(message)
  })
})
