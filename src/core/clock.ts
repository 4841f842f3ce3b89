// The server's clock, estimated from timestamps in its answers, so messages are stamped in its time.

/**
 * The server's clock as the client estimates it. A visitor's computer clock can be minutes off;
 * the server refuses a message stamped more than 30 s in its future and files a back-dated one
 * into history already shown. So the client stamps and checks in server time: `now()` is the local
 * clock plus the offset learned from the server's own timestamps (a created conversation's
 * `creationTime`, and, as lower bounds, staff and bot messages it lists).
 */
export interface ServerClock {
  /** The estimated server time, epoch milliseconds. The local clock until an answer says otherwise. */
  now(): number
  /** Server minus local clock in milliseconds; `undefined` until something has been learned or seeded. */
  readonly offset: number | undefined
  /** Starts from an offset learned earlier (kept across reloads); later observations refine it. */
  seed(offset: number): void
}

/** @internal The clock plus what the client feeds it. */
export interface ServerClockFeed extends ServerClock {
  /** The server wrote `serverTime` while a request that left at `sentAt` and returned at `receivedAt` was open. */
  observe(serverTime: number, sentAt: number, receivedAt: number): void
  /** The server wrote `serverTime` no later than `receivedAt` (local): its clock is at least that far along. */
  observeAtLeast(serverTime: number, receivedAt: number): void
}

/** @internal */
export function createServerClock(localNow: () => number = Date.now): ServerClockFeed {
  let estimate: number | undefined
  let atLeast = Number.NEGATIVE_INFINITY
  const offset = () =>
    estimate === undefined && atLeast === Number.NEGATIVE_INFINITY ? undefined : Math.max(estimate ?? 0, atLeast)
  return {
    now: () => localNow() + (offset() ?? 0),
    get offset() {
      return offset()
    },
    seed(value) {
      if (estimate === undefined && Number.isFinite(value)) estimate = value
    },
    observe(serverTime, sentAt, receivedAt) {
      if (Number.isFinite(serverTime)) estimate = serverTime - (sentAt + receivedAt) / 2
    },
    observeAtLeast(serverTime, receivedAt) {
      if (Number.isFinite(serverTime)) atLeast = Math.max(atLeast, serverTime - receivedAt)
    },
  }
}
