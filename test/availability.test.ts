import fc from 'fast-check'
import {
  type Availability,
  isAvailable,
  nextClosing,
  nextOpening,
  type WeeklySchedule,
} from 'socialboards-chat-react/core'
import { describe, expect, it } from 'vitest'

const at = (iso: string) => new Date(iso)
const weekdays = (from: string, to: string): WeeklySchedule['hours'] => ({
  monday: [{ from, to }],
  tuesday: [{ from, to }],
  wednesday: [{ from, to }],
  thursday: [{ from, to }],
  friday: [{ from, to }],
})
const iso = (date: Date | null) => date?.toISOString() ?? null

describe('Europe/Oslo (CET/CEST)', () => {
  const office: WeeklySchedule = { timeZone: 'Europe/Oslo', hours: weekdays('09:00', '17:00') }

  it('opens at 09:00 local in winter and in summer', () => {
    expect(isAvailable(office, at('2026-01-05T07:59:00Z'))).toBe(false) // Monday 08:59 CET
    expect(isAvailable(office, at('2026-01-05T08:00:00Z'))).toBe(true) // 09:00 CET
    expect(isAvailable(office, at('2026-07-06T06:59:00Z'))).toBe(false) // 08:59 CEST
    expect(isAvailable(office, at('2026-07-06T07:00:00Z'))).toBe(true) // 09:00 CEST
    expect(isAvailable(office, at('2026-07-06T15:00:00Z'))).toBe(false) // 17:00 CEST, closed
    expect(isAvailable(office, at('2026-07-04T10:00:00Z'))).toBe(false) // Saturday
  })

  it('finds Monday 09:00 across the spring-forward and fall-back weekends', () => {
    // Clocks go forward on Sunday 29 March 2026 at 01:00 UTC.
    expect(iso(nextOpening(office, at('2026-03-27T18:00:00Z')))).toBe('2026-03-30T07:00:00.000Z')
    // Clocks go back on Sunday 25 October 2026 at 01:00 UTC.
    expect(iso(nextOpening(office, at('2026-10-23T18:00:00Z')))).toBe('2026-10-26T08:00:00.000Z')
    expect(iso(nextClosing(office, at('2026-10-26T08:00:00Z')))).toBe('2026-10-26T16:00:00.000Z')
  })

  it('is `now` itself while open', () => {
    const now = at('2026-01-05T10:00:00Z')
    expect(nextOpening(office, now)?.getTime()).toBe(now.getTime())
    expect(nextClosing(office, at('2026-01-04T10:00:00Z'))?.toISOString()).toBe('2026-01-04T10:00:00.000Z')
  })

  it('opens at the change when the opening time is skipped by spring-forward', () => {
    const night: WeeklySchedule = { timeZone: 'Europe/Oslo', hours: { sunday: [{ from: '02:30', to: '04:00' }] } }
    // 02:30 does not exist on 29 March 2026: the wall clock jumps from 02:00 CET to 03:00 CEST.
    expect(iso(nextOpening(night, at('2026-03-28T23:00:00Z')))).toBe('2026-03-29T01:00:00.000Z')
    expect(isAvailable(night, at('2026-03-29T00:59:00Z'))).toBe(false)
    expect(isAvailable(night, at('2026-03-29T01:30:00Z'))).toBe(true) // 03:30 CEST
    expect(iso(nextClosing(night, at('2026-03-29T01:00:00Z')))).toBe('2026-03-29T02:00:00.000Z') // 04:00 CEST
  })

  it('opens twice when fall-back repeats the hour', () => {
    const night: WeeklySchedule = { timeZone: 'Europe/Oslo', hours: { sunday: [{ from: '02:15', to: '02:45' }] } }
    // On 25 October 2026, 02:00–03:00 comes first in CEST (+2), then again in CET (+1).
    expect(iso(nextOpening(night, at('2026-10-24T12:00:00Z')))).toBe('2026-10-25T00:15:00.000Z')
    expect(iso(nextOpening(night, at('2026-10-25T00:50:00Z')))).toBe('2026-10-25T01:15:00.000Z')
  })

  it('keeps holidays closed and finds the next working day', () => {
    const christmas = { ...office, holidays: ['2026-12-24', '2026-12-25'] }
    expect(isAvailable(christmas, at('2026-12-24T10:00:00Z'))).toBe(false)
    expect(isAvailable(office, at('2026-12-24T10:00:00Z'))).toBe(true)
    // Wednesday 23rd after hours → Monday 28th 09:00 CET.
    expect(iso(nextOpening(christmas, at('2026-12-23T17:00:00Z')))).toBe('2026-12-28T08:00:00.000Z')
  })
})

describe('a schedule that runs past midnight', () => {
  const late: WeeklySchedule = {
    timeZone: 'Europe/Oslo',
    hours: { friday: [{ from: '22:00', to: '02:00' }] },
  }

  it('is open after midnight on the next day, until its end', () => {
    expect(isAvailable(late, at('2026-01-09T20:59:00Z'))).toBe(false) // Friday 21:59
    expect(isAvailable(late, at('2026-01-09T21:00:00Z'))).toBe(true) // Friday 22:00
    expect(isAvailable(late, at('2026-01-10T00:30:00Z'))).toBe(true) // Saturday 01:30
    expect(isAvailable(late, at('2026-01-10T01:00:00Z'))).toBe(false) // Saturday 02:00
    expect(iso(nextClosing(late, at('2026-01-09T22:00:00Z')))).toBe('2026-01-10T01:00:00.000Z')
  })

  it('belongs to the day it began on: a holiday that day cancels it, one the next day does not', () => {
    expect(isAvailable({ ...late, holidays: ['2026-01-09'] }, at('2026-01-10T00:30:00Z'))).toBe(false)
    expect(isAvailable({ ...late, holidays: ['2026-01-10'] }, at('2026-01-10T00:30:00Z'))).toBe(true)
  })

  it('runs round the clock with 00:00–24:00', () => {
    const always: WeeklySchedule = { timeZone: 'UTC', hours: { monday: [{ from: '00:00', to: '24:00' }] } }
    expect(isAvailable(always, at('2026-01-05T23:59:59Z'))).toBe(true)
    expect(isAvailable(always, at('2026-01-06T00:00:00Z'))).toBe(false)
  })
})

describe('America/New_York (EST/EDT)', () => {
  const office: WeeklySchedule = { timeZone: 'America/New_York', hours: weekdays('09:00', '17:00') }

  it('opens at 09:00 local across both changes', () => {
    // Clocks go forward on Sunday 8 March 2026; back on Sunday 1 November 2026.
    expect(iso(nextOpening(office, at('2026-03-06T23:00:00Z')))).toBe('2026-03-09T13:00:00.000Z')
    expect(iso(nextOpening(office, at('2026-10-30T23:00:00Z')))).toBe('2026-11-02T14:00:00.000Z')
    expect(isAvailable(office, at('2026-03-09T12:59:00Z'))).toBe(false)
    expect(isAvailable(office, at('2026-03-06T14:30:00Z'))).toBe(true) // 09:30 EST
  })

  it('reads the same instant differently from Oslo', () => {
    const now = at('2026-06-01T14:00:00Z') // 10:00 in New York, 16:00 in Oslo
    const oslo: WeeklySchedule = { timeZone: 'Europe/Oslo', hours: weekdays('08:00', '15:00') }
    expect(isAvailable(office, now)).toBe(true)
    expect(isAvailable(oslo, now)).toBe(false)
  })
})

describe('a zone without daylight saving (Asia/Kolkata, UTC+05:30)', () => {
  const desk: WeeklySchedule = {
    timeZone: 'Asia/Kolkata',
    hours: {
      ...weekdays('10:00', '13:00'),
      monday: [
        { from: '10:00', to: '13:00' },
        { from: '14:00', to: '18:00' },
      ],
    },
  }

  it('keeps the half-hour offset all year, and a lunch break', () => {
    expect(isAvailable(desk, at('2026-01-05T04:30:00Z'))).toBe(true) // Monday 10:00
    expect(isAvailable(desk, at('2026-07-06T04:29:00Z'))).toBe(false) // Monday 09:59
    expect(isAvailable(desk, at('2026-07-06T07:45:00Z'))).toBe(false) // Monday 13:15, lunch
    expect(iso(nextOpening(desk, at('2026-07-06T07:45:00Z')))).toBe('2026-07-06T08:30:00.000Z') // 14:00
    expect(iso(nextOpening(desk, at('2026-07-10T08:00:00Z')))).toBe('2026-07-13T04:30:00.000Z') // Fri → Mon
  })
})

describe('nextOpening, checked against isAvailable at random times', () => {
  const schedules: WeeklySchedule[] = [
    { timeZone: 'Europe/Oslo', hours: { ...weekdays('09:00', '17:00'), friday: [{ from: '22:00', to: '02:30' }] } },
    {
      timeZone: 'America/New_York',
      hours: { sunday: [{ from: '01:30', to: '02:30' }], wednesday: [{ from: '12:00', to: '13:00' }] },
    },
  ]
  it('returns an open instant with nothing open before it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.constantFrom(...schedules),
        (time, schedule) => {
          const now = new Date(time)
          const opening = nextOpening(schedule, now)
          expect(opening).not.toBeNull()
          const when = (opening as Date).getTime()
          expect(isAvailable(schedule, opening as Date)).toBe(true)
          for (let probe = when - 60_000; probe >= time; probe -= 10 * 60_000)
            expect(isAvailable(schedule, new Date(probe))).toBe(false)
          const closing = nextClosing(schedule, opening as Date) as Date
          expect(closing.getTime()).toBeGreaterThan(when)
          expect(isAvailable(schedule, closing)).toBe(false)
          expect(isAvailable(schedule, new Date(closing.getTime() - 1000))).toBe(true)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('a function', () => {
  it('is asked, and cannot be looked ahead', () => {
    const open: Availability = (now) => now.getUTCHours() < 12
    expect(isAvailable(open, at('2026-01-05T11:00:00Z'))).toBe(true)
    expect(isAvailable(open, at('2026-01-05T13:00:00Z'))).toBe(false)
    expect(nextOpening(open, at('2026-01-05T13:00:00Z'))).toBeNull()
    expect(nextClosing(open, at('2026-01-05T11:00:00Z'))).toBeNull()
  })
})

describe('a schedule that is not well-formed', () => {
  const now = at('2026-01-05T10:00:00Z')
  it.each([
    [{ timeZone: 'Mars/Olympus', hours: {} }, /unknown time zone "Mars\/Olympus"/],
    [{ timeZone: 'UTC', hours: { monday: [{ from: '9:00', to: '17:00' }] } }, /hours.monday: "9:00"/],
    [{ timeZone: 'UTC', hours: { monday: [{ from: '24:00', to: '17:00' }] } }, /hours.monday/],
    [{ timeZone: 'UTC', hours: { mon: [{ from: '09:00', to: '17:00' }] } }, /"mon" is not a weekday/],
    [{ timeZone: 'UTC', hours: {}, holidays: ['24.12.2026'] }, /holiday "24.12.2026"/],
  ])('is refused with a TypeError that says what to fix (%#)', (schedule, message) => {
    expect(() => isAvailable(schedule as WeeklySchedule, now)).toThrow(TypeError)
    expect(() => nextOpening(schedule as WeeklySchedule, now)).toThrow(message)
  })
})
