// The server's clock, estimated from timestamps in its answers, so messages are stamped in its time.

/**
 * The server's clock as the client estimates it. A visitor's computer clock can be minutes off;
 * the server refuses a message stamped more than 30 s in its future and files a back-dated one
 * into history already shown. So the client stamps and checks in server time: `now()` is the local
 * clock plus the offset learned from the server's own timestamps (a created conversation's
 * `creationTime`, staff and bot messages it lists). Each reading says the least the server's clock
 * can be (it wrote the stamp before its answer arrived), never a midpoint: a stamp is never in the
 * server's future, so an answer the server writes after receiving a message always sorts after it.
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
  /**
   * The server wrote `serverTime` while a request was open that returned at `receivedAt` (local):
   * the newest such reading replaces the estimate, taken as its least possible offset.
   */
  observe(serverTime: number, receivedAt: number): void
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
    // Not the midpoint of the request: that can put a stamp up to half a slow round trip in the
    // server's future, where a bot's instant answer would sort before the message it answers.
    observe(serverTime, receivedAt) {
      if (Number.isFinite(serverTime)) estimate = serverTime - receivedAt
    },
    observeAtLeast(serverTime, receivedAt) {
      if (Number.isFinite(serverTime)) atLeast = Math.max(atLeast, serverTime - receivedAt)
    },
  }
}
