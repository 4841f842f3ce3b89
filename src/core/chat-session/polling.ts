// THE polling rule (pollDelay), shared with the hooks, and the session's poll/stream loop on injected timers.
import type { Timers } from '../outbox'
import type { RealtimeConnector, VisibilitySignal } from './types'

/** How often an open conversation is polled by default, in milliseconds. */
export const DEFAULT_POLL_INTERVAL = 4000
/** While a realtime stream is healthy, polling is only a safety net: this often, in milliseconds. */
export const SAFETY_NET_INTERVAL = 30_000
/** Polling slows to this when nothing has happened for a minute, or the visitor waits far back in the queue. */
export const IDLE_POLL_INTERVAL = 15_000
/** After this long with nothing new, polling counts as quiet and slows down. */
export const QUIET_AFTER_MS = 60_000

/** What {@link pollDelay} decides from. */
export interface PollFacts {
  /** The pace while something happens, in milliseconds; `false`: no polling. */
  interval: number | false
  /** The conversation is closed: nothing more to poll. */
  isClosed?: boolean
  /** A realtime stream follows the conversation and is healthy. */
  streamHealthy?: boolean
  /** Milliseconds since something last happened (a message sent or arrived, a change seen). */
  quietFor: number
  /** The visitor's place in the queue, if the conversation reports one. */
  queuePosition?: number
  /** #24 attention: the page is hidden. Polling goes on at the idle pace, so unread messages still arrive. */
  hidden?: boolean
}

/**
 * How long until the next poll, or `false` for none: none when polling is off or the conversation
 * closed; a 30 s safety net behind a healthy realtime stream; 15 s once quiet for a minute or waiting
 * far back in the queue (past third) or while the page is hidden; otherwise `interval`. The one rule
 * the session and the hooks use.
 */
export function pollDelay(facts: PollFacts): number | false {
  const { interval } = facts
  if (interval === false || facts.isClosed) return false
  if (facts.streamHealthy) return Math.max(interval, SAFETY_NET_INTERVAL)
  const farBack = (facts.queuePosition ?? 0) > 3
  const slow = farBack || facts.quietFor > QUIET_AFTER_MS || facts.hidden === true
  return slow ? Math.max(interval, IDLE_POLL_INTERVAL) : interval
}

/** The conversation a poller follows, as it stands now; `undefined` when there is none to follow. */
export interface PollTarget {
  conversationId: number
  isClosed: boolean
  queuePosition?: number
}

/** Options of {@link createPoller}. */
export interface PollerOptions {
  /** The pace while something happens; `false`: polls only when hinted or asked. */
  interval: number | false
  timers: Timers
  now: () => number
  visibility?: VisibilitySignal
  connector?: RealtimeConnector
  /** What to follow now (read at each step). */
  target: () => PollTarget | undefined
  /** One read of the conversation; never two at once. */
  refresh: (conversationId: number) => Promise<void>
}

/** The poll/stream loop of one session. */
export interface Poller {
  /** Polls after `ms` (0: now), replacing what was due. */
  schedule(ms: number): void
  stop(): void
  /** Opens (or keeps) the stream of the target; closes it when there is none. */
  follow(): void
  /** Something happened: the pace is the fast one for a while. */
  activity(): void
  /** The visitor is active: the next poll comes at the fast pace, never later than already due. */
  hurry(): void
  destroy(): void
}

interface Loop {
  timer: unknown
  dueAt: number
  polling: boolean
  again: boolean
  lastActivity: number
  healthy: boolean
  streamId: number | undefined
  disconnect: (() => void) | undefined
}

/**
 * Polls the target one read at a time, at the idle pace while the page is hidden, stopped once closed; a
 * refresh asked for while one runs (a hint, say) runs right after it, never dropped. With a
 * connector, each hint refreshes at once and a healthy stream slows polling to a safety net.
 */
export function createPoller(options: PollerOptions): Poller {
  const { timers, now, interval } = options
  const loop: Loop = {
    timer: undefined,
    dueAt: 0,
    polling: false,
    again: false,
    lastActivity: now(),
    healthy: false,
    streamId: undefined,
    disconnect: undefined,
  }
  const stop = () => {
    if (loop.timer !== undefined) timers.clearTimeout(loop.timer)
    loop.timer = undefined
  }
  const schedule = (ms: number) => {
    stop()
    const target = options.target()
    if (!target || target.isClosed || (ms > 0 && interval === false)) return
    loop.dueAt = now() + ms
    loop.timer = timers.setTimeout(poll, ms)
  }
  const activity = () => {
    loop.lastActivity = now()
  }
  const follow = () => followStream(options, loop, schedule, activity)

  async function poll() {
    loop.timer = undefined
    if (loop.polling) {
      loop.again = true
      return
    }
    const target = options.target()
    // #24 attention: no pause while hidden (a hidden tab must still hear of replies); pollDelay slows it.
    if (!target) return
    loop.polling = true
    try {
      await options.refresh(target.conversationId)
    } finally {
      loop.polling = false
      follow()
      const next = options.target()
      const delay = loop.again
        ? 0
        : pollDelay({
            interval,
            streamHealthy: loop.healthy,
            quietFor: now() - loop.lastActivity,
            queuePosition: next?.queuePosition,
            hidden: options.visibility ? !options.visibility.isVisible() : false,
          })
      loop.again = false
      if (delay !== false) schedule(delay)
    }
  }

  const unsubscribeVisibility = options.visibility?.subscribe(() => {
    // Shown again: catch up now rather than at the hidden pace.
    if (options.visibility?.isVisible() && !loop.polling) schedule(0)
  })
  return {
    schedule,
    stop,
    follow,
    activity,
    hurry() {
      activity()
      if (typeof interval === 'number' && loop.timer !== undefined && !loop.healthy && loop.dueAt - now() > interval)
        schedule(interval)
    },
    destroy() {
      stop()
      loop.streamId = undefined
      loop.disconnect?.()
      loop.disconnect = undefined
      unsubscribeVisibility?.()
    },
  }
}

/** Opens (or keeps) the realtime stream of the open target; closes it otherwise. */
function followStream(options: PollerOptions, loop: Loop, schedule: (ms: number) => void, activity: () => void) {
  const { connector, interval } = options
  const target = options.target()
  const wanted = connector && target && !target.isClosed ? target.conversationId : undefined
  if (wanted === loop.streamId) return
  loop.disconnect?.()
  loop.disconnect = undefined
  loop.healthy = false
  loop.streamId = wanted
  if (wanted === undefined || !connector) return
  loop.disconnect = connector.connect(wanted, {
    onHint: () => {
      if (loop.streamId !== wanted) return
      activity()
      schedule(0)
    },
    onOpen: () => {
      if (loop.streamId !== wanted) return
      const was = loop.healthy
      loop.healthy = true
      // Healthy again after a gap: catch up on what the stream may have missed.
      if (!was) schedule(0)
    },
    onError: () => {
      if (loop.streamId !== wanted || !loop.healthy) return
      loop.healthy = false
      schedule(interval === false ? 0 : interval)
    },
  })
}
