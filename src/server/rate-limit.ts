// Request budgets per visitor: an interface, and the in-memory default for a single process.

/** Counts requests per key. Replace the in-memory default with a shared store when the app runs on several instances. */
export interface RateLimiter {
  /** Counts one request for `key`; allowed while at most `limit` fell in the current `windowMs`. */
  hit(
    key: string,
    limit: number,
    windowMs: number,
  ): { allowed: boolean; retryAfter: number } | Promise<{ allowed: boolean; retryAfter: number }>
}

/**
 * A fixed-window counter in this process's memory. Bounded: windows that have ended are dropped
 * as new requests come, so memory follows the number of recently active visitors.
 */
export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>()
  let lastSweep = 0
  return {
    hit(key, limit, windowMs) {
      const time = now()
      if (time - lastSweep > windowMs) {
        for (const [name, window] of windows) if (time - window.start >= windowMs) windows.delete(name)
        lastSweep = time
      }
      let window = windows.get(key)
      if (!window || time - window.start >= windowMs) {
        window = { start: time, count: 0 }
        windows.set(key, window)
      }
      window.count++
      return { allowed: window.count <= limit, retryAfter: (window.start + windowMs - time) / 1000 }
    },
  }
}
