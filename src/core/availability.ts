// Business hours: a weekly schedule in an IANA time zone (plus holidays), read with Intl alone, correct across DST.

/** A day of the week, as a schedule names it. */
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday'

/**
 * One stretch of opening hours on a day, in the schedule's time zone, as `"HH:MM"` (24-hour clock).
 * `to` may be `"24:00"` (the end of the day); a `to` at or before `from` runs past midnight into the
 * next day (`{ from: '22:00', to: '02:00' }`).
 */
export interface OpeningHours {
  from: string
  to: string
}

/**
 * When the chat is staffed: opening hours per weekday, as wall-clock times in `timeZone`. Days not
 * listed are closed. Wall-clock times follow daylight saving: `09:00` is 09:00 local in summer
 * and in winter; a time skipped by a spring-forward change opens at the first moment after it.
 *
 * @example
 * ```ts
 * const schedule: WeeklySchedule = {
 *   timeZone: 'Europe/Oslo',
 *   hours: { monday: [{ from: '08:00', to: '16:00' }], friday: [{ from: '08:00', to: '14:00' }] },
 *   holidays: ['2026-12-24', '2026-12-25'],
 * }
 * ```
 */
export interface WeeklySchedule {
  /** An IANA time zone, e.g. `"Europe/Oslo"`, `"America/New_York"`, `"UTC"`. */
  timeZone: string
  /** Opening hours per weekday; several stretches a day are fine (a lunch break). */
  hours: Partial<Record<Weekday, readonly OpeningHours[]>>
  /**
   * Closed days, as `"YYYY-MM-DD"` dates in `timeZone`. A holiday cancels the opening hours that
   * begin on it (a night shift that began the evening before still runs past midnight).
   */
  holidays?: readonly string[]
}

/** When a chat is staffed: a weekly schedule, or a function of the time that says whether it is open. */
export type Availability = WeeklySchedule | ((now: Date) => boolean)

const WEEKDAYS: readonly Weekday[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/
const DATE = /^\d{4}-\d{2}-\d{2}$/
const MINUTE = 60_000
const DAY = 86_400_000

/** A schedule checked once and turned into minutes: per weekday (0 = Sunday) the stretches as [from, to) minutes. */
interface Compiled {
  timeZone: string
  days: [number, number][][]
  holidays: ReadonlySet<string>
}
const compiled = new WeakMap<WeeklySchedule, Compiled>()

const minutesOf = (time: string) => (time === '24:00' ? 1440 : Number(time.slice(0, 2)) * 60 + Number(time.slice(3)))

function compile(schedule: WeeklySchedule): Compiled {
  const known = compiled.get(schedule)
  if (known) return known
  const fail = (what: string) => {
    throw new TypeError(`availability: ${what}`)
  }
  if (typeof schedule?.timeZone !== 'string') fail('timeZone must be an IANA time zone name, e.g. "Europe/Oslo"')
  try {
    formatter(schedule.timeZone)
  } catch {
    fail(`unknown time zone "${schedule.timeZone}" (use an IANA name, e.g. "Europe/Oslo")`)
  }
  const days = WEEKDAYS.map(() => [] as [number, number][])
  for (const [day, stretches] of Object.entries(schedule.hours ?? {})) {
    const index = WEEKDAYS.indexOf(day as Weekday)
    if (index < 0) fail(`"${day}" is not a weekday (use monday … sunday)`)
    if (!Array.isArray(stretches)) fail(`hours.${day} must be a list of { from, to }`)
    for (const stretch of stretches as readonly OpeningHours[]) {
      if (!TIME.test(stretch?.from) || stretch.from === '24:00' || !TIME.test(stretch?.to))
        fail(`hours.${day}: "${stretch?.from}"–"${stretch?.to}" is not "HH:MM"–"HH:MM" (24-hour clock)`)
      const from = minutesOf(stretch.from)
      const to = minutesOf(stretch.to)
      ;(days[index] as [number, number][]).push([from, to <= from ? to + 1440 : to])
    }
  }
  for (const date of schedule.holidays ?? [])
    if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
      fail(`holiday "${date}" is not a "YYYY-MM-DD" date`)
  const result: Compiled = { timeZone: schedule.timeZone, days, holidays: new Set(schedule.holidays ?? []) }
  compiled.set(schedule, result)
  return result
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(timeZone: string) {
  let format = formatters.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, format)
  }
  return format
}

/** The wall clock in `timeZone` at `instant`, as if it were UTC (epoch ms). */
function wallClock(timeZone: string, instant: number): number {
  const parts: Record<string, number> = {}
  for (const part of formatter(timeZone).formatToParts(instant))
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  const wall = Date.UTC(
    parts.year as number,
    (parts.month as number) - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  )
  return wall + (((instant % 1000) + 1000) % 1000)
}

/** The zone's offset from UTC at `instant`, in ms. */
const offsetAt = (timeZone: string, instant: number) => wallClock(timeZone, instant) - instant

/** The instants at which the wall clock in `timeZone` reads `wall`: none (a DST gap), one, or two (a DST overlap). */
function instantsOf(timeZone: string, wall: number): number[] {
  const offsets = new Set([offsetAt(timeZone, wall - DAY), offsetAt(timeZone, wall), offsetAt(timeZone, wall + DAY)])
  const found = [...offsets].map((offset) => wall - offset).filter((instant) => wallClock(timeZone, instant) === wall)
  return [...new Set(found)].sort((a, b) => a - b)
}

const dateKey = (wall: number) => new Date(wall).toISOString().slice(0, 10)

/** Whether the compiled schedule is open at the wall-clock time `wall` (UTC-based ms). */
function openAt(schedule: Compiled, wall: number): boolean {
  const dayStart = Math.floor(wall / DAY) * DAY
  const minute = (wall - dayStart) / MINUTE
  const weekday = new Date(dayStart).getUTCDay()
  // Stretches that began today, and yesterday's that run past midnight.
  if (!schedule.holidays.has(dateKey(dayStart)))
    for (const [from, to] of schedule.days[weekday] as [number, number][])
      if (minute >= from && minute < to) return true
  const yesterday = dayStart - DAY
  if (!schedule.holidays.has(dateKey(yesterday)))
    for (const [from, to] of schedule.days[(weekday + 6) % 7] as [number, number][])
      if (to > 1440 && minute + 1440 >= from && minute + 1440 < to) return true
  return false
}

/**
 * Whether the chat is staffed at `now`: inside one of the schedule's opening hours (wall-clock time
 * in its time zone) on a day that is not a holiday, or what the function says.
 *
 * @throws TypeError for a schedule that is not well-formed (an unknown time zone, a time not
 * `"HH:MM"`, a holiday not `"YYYY-MM-DD"`), saying what to fix.
 *
 * @example
 * ```ts
 * isAvailable(schedule, new Date()) // true during opening hours
 * ```
 */
export function isAvailable(availability: Availability, now: Date): boolean {
  if (typeof availability === 'function') return availability(now)
  const schedule = compile(availability)
  return openAt(schedule, wallClock(schedule.timeZone, now.getTime()))
}

/** How far ahead {@link nextOpening} and {@link nextClosing} look, in days. */
const HORIZON_DAYS = 370

/**
 * The first instant from `now` on at which `isAvailable` is `open`: candidates are where a stretch
 * begins (or ends) on the wall clock and where the zone's offset changes, checked in order, a week at a time.
 */
function nextChange(schedule: Compiled, now: number, open: boolean): Date | null {
  const { timeZone } = schedule
  const isOpen = (instant: number) => openAt(schedule, wallClock(timeZone, instant))
  if (isOpen(now) === open) return new Date(now)
  if (schedule.days.every((stretches) => !stretches.length)) return null
  const WEEK = 7 * DAY
  for (let start = now; start < now + HORIZON_DAYS * DAY; start += WEEK) {
    const end = start + WEEK
    const candidates: number[] = []
    // Offset changes (DST), found by sampling every 6 hours and narrowing down to the second.
    for (let at = start; at < end; at += DAY / 4) {
      const later = Math.min(at + DAY / 4, end)
      if (offsetAt(timeZone, at) === offsetAt(timeZone, later)) continue
      let low = at
      let high = later
      while (high - low > 1000) {
        const middle = Math.floor((low + high) / 2 / 1000) * 1000
        if (middle <= low) break
        if (offsetAt(timeZone, middle) === offsetAt(timeZone, low)) low = middle
        else high = middle
      }
      candidates.push(high)
    }
    // Where stretches begin (to open) or end (to close), on each local day the week touches.
    const firstDay = Math.floor(wallClock(timeZone, start) / DAY) * DAY - DAY
    const lastDay = Math.floor(wallClock(timeZone, end) / DAY) * DAY
    for (let day = firstDay; day <= lastDay; day += DAY) {
      const weekday = new Date(day).getUTCDay()
      for (const [from, to] of schedule.days[weekday] as [number, number][])
        candidates.push(...instantsOf(timeZone, day + (open ? from : to) * MINUTE))
    }
    candidates.sort((a, b) => a - b)
    for (const candidate of candidates)
      if (candidate > now && candidate < end && isOpen(candidate) === open) return new Date(candidate)
  }
  return null
}

/**
 * When the chat opens next, for "We'll be back at …": `now` itself when it is open now, `null`
 * when the schedule does not open within a year, and `null` for a function (it cannot be looked
 * ahead; ask it again later). Correct across daylight-saving changes: an opening time skipped by
 * a spring-forward change opens at the change.
 *
 * @example
 * ```ts
 * const back = nextOpening(schedule, new Date())
 * back && new Intl.DateTimeFormat(locale, { weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(back)
 * ```
 */
export function nextOpening(availability: Availability, now: Date): Date | null {
  if (typeof availability === 'function') return availability(now) ? new Date(now.getTime()) : null
  return nextChange(compile(availability), now.getTime(), true)
}

/**
 * When the chat closes next: `now` itself when it is closed now, `null` when it stays open for a
 * year, and `null` for a function. With {@link nextOpening}, what a session needs to re-check its
 * availability exactly when it changes.
 */
export function nextClosing(availability: Availability, now: Date): Date | null {
  if (typeof availability === 'function') return availability(now) ? null : new Date(now.getTime())
  return nextChange(compile(availability), now.getTime(), false)
}
