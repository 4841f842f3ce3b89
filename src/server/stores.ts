// The server half's shared state behind interfaces: request budgets and idempotency records.
// The in-memory defaults live here; Redis ones live in the `socialboards-chat-react/server/redis` entry.

/** What a {@link RateLimiter} says of one request. */
export interface RateVerdict {
  /** `false` once more than `limit` requests fell in the window. */
  allowed: boolean
  /** Seconds until the budget has room again (for `Retry-After`). */
  retryAfter: number
}

/** Counts requests per key. Replace the in-memory default with a shared store when the app runs on several instances. */
export interface RateLimiter {
  /** Counts one request for `key`; allowed while at most `limit` fell in the current `windowMs`. */
  hit(key: string, limit: number, windowMs: number): RateVerdict | Promise<RateVerdict>
}

/** An answer the handler gave, kept to replay for a repeated `Idempotency-Key`. */
export interface StoredResponse {
  status: number
  /** Lower-case names; no `set-cookie` (a replay sets none). */
  headers: Record<string, string>
  body: string
}

/** What the store holds for one key. */
export type IdempotencyRecord =
  /** Claimed by a request whose answer is not known yet. */
  | { state: 'pending'; fingerprint: string }
  /** Answered: later requests with the same key and fingerprint get `response` again. */
  | { state: 'done'; fingerprint: string; response: StoredResponse }

/**
 * Where `Idempotency-Key` outcomes live. Keys are already scoped to one visitor by the handler.
 * The in-memory default serves one process; use `createRedisIdempotencyStore` behind several.
 */
export interface IdempotencyStore {
  /**
   * Claims `key` for a request whose body hashes to `fingerprint`, atomically: `undefined` when
   * this caller now holds it (pending, for `ttlMs`), else the record someone else made.
   */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyRecord | undefined>
  /** The record of `key`, if any. */
  get(key: string): Promise<IdempotencyRecord | undefined>
  /** Records the answer of a claimed key, kept for `ttlMs`. */
  finish(key: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void>
  /** Forgets a claimed key whose request is known not to have reached the Chat API, so a retry may go through. */
  release(key: string): Promise<void>
}

/** How often, at most, a store walks all its entries to drop the expired ones. */
const SWEEP_EVERY_MS = 1000

/**
 * A map whose entries end at a time of the injected clock. Expired entries are invisible at once and
 * dropped by a walk at most once a second, so memory follows recent activity with no timer per key.
 */
class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; end: number }>()
  private lastSweep = Number.NEGATIVE_INFINITY

  constructor(private readonly now: () => number) {}

  /** The clock's time, after dropping what has expired if a walk is due. */
  time(): number {
    const time = this.now()
    if (time - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = time
      for (const [key, entry] of this.entries) if (entry.end <= time) this.entries.delete(key)
    }
    return time
  }

  get(key: string, time: number): V | undefined {
    const entry = this.entries.get(key)
    return entry && entry.end > time ? entry.value : undefined
  }

  set(key: string, value: V, end: number): void {
    this.entries.set(key, { value, end })
  }

  delete(key: string): void {
    this.entries.delete(key)
  }
}

/**
 * A fixed-window counter in this process's memory: at most `limit` hits per key in each `windowMs`
 * that starts at the key's first hit. No timers; ended windows are dropped as later requests come,
 * so memory follows the number of recently active visitors. `now` is the clock (for tests).
 */
export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new ExpiringMap<{ start: number; count: number }>(now)
  return {
    hit(key, limit, windowMs) {
      const time = windows.time()
      let window = windows.get(key, time)
      if (!window) {
        window = { start: time, count: 0 }
        windows.set(key, window, time + windowMs)
      }
      window.count++
      return { allowed: window.count <= limit, retryAfter: (window.start + windowMs - time) / 1000 }
    },
  }
}

/**
 * Idempotency records in this process's memory, for one instance. `claim` checks and sets in one
 * synchronous step, so two requests racing for a key cannot both hold it; records vanish after
 * their ttl (dropped lazily, no timers). `now` is the clock (for tests).
 */
export function createMemoryIdempotencyStore(now: () => number = Date.now): IdempotencyStore {
  const records = new ExpiringMap<IdempotencyRecord>(now)
  return {
    async claim(key, fingerprint, ttlMs) {
      const time = records.time()
      const existing = records.get(key, time)
      if (existing) return existing
      records.set(key, { state: 'pending', fingerprint }, time + ttlMs)
      return undefined
    },
    async get(key) {
      return records.get(key, records.time())
    },
    async finish(key, fingerprint, response, ttlMs) {
      records.set(key, { state: 'done', fingerprint, response }, records.time() + ttlMs)
    },
    async release(key) {
      records.delete(key)
    },
  }
}

/**
 * Which conversations each signed-in identity started through the handler, so its history (and
 * access to it) follows the person to any browser they sign in on. Identities are digests, never
 * names or emails. The in-memory default serves one process; use `createRedisConversationIndex`
 * behind several.
 */
export interface ConversationIndex {
  /** Records that `identity` started `conversationId`. */
  add(identity: string, conversationId: number): Promise<void>
  /** The conversations `identity` started, newest first, at most `limit`. */
  list(identity: string, limit: number): Promise<number[]>
}

/** Options of {@link createMemoryConversationIndex}. */
export interface MemoryConversationIndexOptions {
  /** Conversations kept per identity (newest). Default 50. */
  perIdentity?: number
  /** Identities kept (the least recently active go first). Default 100,000. */
  maxIdentities?: number
}

/** A {@link ConversationIndex} in this process's memory, bounded in identities and conversations each. */
export function createMemoryConversationIndex(options: MemoryConversationIndexOptions = {}): ConversationIndex {
  const perIdentity = options.perIdentity ?? 50
  const maxIdentities = options.maxIdentities ?? 100_000
  // A Map keeps insertion order: re-inserting on each add makes the first key the least recently active.
  const index = new Map<string, number[]>()
  return {
    async add(identity, conversationId) {
      const kept = (index.get(identity) ?? []).filter((id) => id !== conversationId)
      index.delete(identity)
      index.set(identity, [conversationId, ...kept].slice(0, perIdentity))
      if (index.size > maxIdentities) index.delete(index.keys().next().value as string)
    },
    async list(identity, limit) {
      return (index.get(identity) ?? []).slice(0, limit)
    },
  }
}
