// #24 item 4: opening hours in the session. The state is pure; the watch is the one timer.
import { type Availability, isAvailable, nextClosing, nextOpening } from '../availability'
import { ChatApiError } from '../errors'
import type { Timers } from '../outbox'
import type { UserValue } from '../types'
import type { ChatSessionState } from './types'

/** Whether the chat is open now, and what the visitor is told when it is not. */
export interface ChatAvailabilityState {
  /** `true` inside the schedule (always, without an `availability` option). */
  open: boolean
  /** When the schedule opens next while closed; `null` while open, without a schedule, or for a function. */
  nextOpening: Date | null
  /** `true` while the held conversation was started outside the schedule: replies come by email. */
  repliesByEmail: boolean
}

/** The availability of a session without the `availability` option: always open. */
export const ALWAYS_OPEN: ChatAvailabilityState = Object.freeze({
  open: true,
  nextOpening: null,
  repliesByEmail: false,
})

/** The title a conversation started outside opening hours gets, unless the app's `conversation.title` is set. */
export const OFFLINE_TITLE = 'Message left outside opening hours'

/** How often a function `availability` is asked again, in ms. */
export const AVAILABILITY_RECHECK = 60_000

/**
 * The availability part of the state at `now`, pure. `previous` is returned when nothing changed,
 * so the state object stays the same.
 *
 * @throws TypeError for a malformed schedule (from `isAvailable`).
 */
export function availabilityState(
  availability: Availability | undefined,
  now: Date,
  repliesByEmail: boolean,
  previous?: ChatAvailabilityState,
): ChatAvailabilityState {
  const open = availability === undefined || isAvailable(availability, now)
  const opening = open || availability === undefined ? null : nextOpening(availability, now)
  if (
    previous &&
    previous.open === open &&
    previous.repliesByEmail === repliesByEmail &&
    (previous.nextOpening?.getTime() ?? null) === (opening?.getTime() ?? null)
  )
    return previous
  return { open, nextOpening: opening, repliesByEmail }
}

/** The state with the availability applied: `'idle'` becomes `'offline'` while closed; a held conversation keeps its status. */
export function withAvailability(state: ChatSessionState, availability: ChatAvailabilityState): ChatSessionState {
  const status = state.status === 'idle' && !availability.open ? 'offline' : state.status
  return { ...state, status, availability }
}

/**
 * The check `send` makes while `'offline'`: the author needs an email (replies come by email).
 *
 * @throws ChatApiError of kind `'validation'` (code `'invalid-input'`) with the issue
 *   `{ path: 'author.email', code: 'required' }` when the author has none.
 */
export function requireOfflineEmail(author: UserValue): void {
  if (typeof author.email === 'string' && author.email.trim()) return
  const message = 'is required outside opening hours'
  throw new ChatApiError('validation', `send: author.email ${message}`, {
    issues: [{ path: 'author.email', code: 'required', message }],
  })
}

/**
 * Calls `onChange` at each change of the schedule (its next opening or closing), or every
 * {@link AVAILABILITY_RECHECK} ms for a function; returns the stop.
 */
export function watchAvailability(
  availability: Availability,
  timers: Timers,
  now: () => number,
  onChange: () => void,
): () => void {
  let handle: unknown
  let stopped = false
  const arm = () => {
    if (stopped) return
    const at = new Date(now())
    let wait = AVAILABILITY_RECHECK
    if (typeof availability !== 'function') {
      const next = isAvailable(availability, at) ? nextClosing(availability, at) : nextOpening(availability, at)
      if (next === null) return
      // Timers cap near 2^31 ms; a far change is reached in steps.
      wait = Math.min(Math.max(next.getTime() - at.getTime(), 0) + 1, 2 ** 31 - 1)
    }
    handle = timers.setTimeout(() => {
      onChange()
      arm()
    }, wait)
  }
  arm()
  return () => {
    stopped = true
    timers.clearTimeout(handle)
  }
}
