// The Redis-backed shared state (socialboards-chat-react/server/redis): the event bus on pub/sub, request budgets
// and idempotency records. Its own entry, so `socialboards-chat-react/server` never imports the optional `redis` peer.

// The deep path: the package's index also loads `cluster` and other stores that edge bundles lack.
import RateLimiterRedis from 'rate-limiter-flexible/lib/RateLimiterRedis.js'
import { createClient, type RedisClientType } from 'redis'
import { type ChatHint, type EventBus, hintId, REPLAYED_HINTS } from './events'
import {
  type ConversationIndex,
  createMemoryRateLimiter,
  type IdempotencyRecord,
  type IdempotencyStore,
  type RateLimiter,
  type RateVerdict,
} from './stores'

/** A connected node-redis client, whatever modules, scripts or RESP version it was created with. */
// biome-ignore lint/suspicious/noExplicitAny: the client's generics vary with the app's createClient options.
export type RedisClient = RedisClientType<any, any, any, any, any>

/**
 * Where a Redis store connects: a `url` (the store creates its own client, and `close()` quits it),
 * or a `client` the app already connected (shared; `close()` leaves it open for the app to quit).
 */
export type RedisConnection = { url: string; client?: never } | { client: RedisClient; url?: never }

/** Options of {@link createRedisEventBus}. */
export interface RedisEventBusOptions {
  /** e.g. `redis://localhost:6379`. */
  url: string
  /** Prefix of the keys and the channel. Default `"socialboards-chat"`. */
  prefix?: string
  /** Seconds a conversation's replay history is kept after its last hint. Default 600 (10 minutes). */
  historySeconds?: number
}

/**
 * An {@link EventBus} shared by every instance on one Redis, on the `redis` package (node-redis,
 * Redis's own maintained client: typed, promise-based, pub/sub on a dedicated connection). Install
 * it beside this library (`npm install redis`): it is an optional peer, imported only by this entry.
 *
 * Hint ids are an epoch and a counter kept in Redis, so they order hints across instances; after a
 * Redis restart without persistence the epoch is the restart's time, so new ids still sort after
 * the ones streams saw before. The latest 50 hints of each conversation are kept for
 * `Last-Event-ID` replay, for `historySeconds`.
 *
 * @example
 * ```ts
 * import { createRedisEventBus } from 'socialboards-chat-react/server/redis'
 * const events = await createRedisEventBus({ url: process.env.REDIS_URL! })
 * const handler = createChatHandler({ ...options, events, webhook: { verifyToken } })
 * ```
 */
export async function createRedisEventBus(options: RedisEventBusOptions): Promise<EventBus> {
  const prefix = options.prefix ?? 'socialboards-chat'
  const historySeconds = options.historySeconds ?? 600
  const channel = `${prefix}:hints`
  // One hash holds both the epoch and the counter, so an eviction can only drop them together.
  const idsKey = `${prefix}:hint-ids`
  const publisher = createClient({ url: options.url })
  const subscriber = publisher.duplicate()
  // Errors surface on the calls that fail; unhandled 'error' events must not crash the process.
  publisher.on('error', () => {})
  subscriber.on('error', () => {})
  await Promise.all([publisher.connect(), subscriber.connect()])

  const listeners = new Map<number, Set<(hint: ChatHint) => void>>()
  await subscriber.subscribe(channel, (message) => {
    let hint: ChatHint
    try {
      hint = JSON.parse(message)
    } catch {
      return
    }
    for (const listener of [...(listeners.get(hint.conversationId) ?? [])]) listener(hint)
  })

  const historyKey = (conversationId: number) => `${prefix}:history:${conversationId}`

  return {
    async publish(partial) {
      // One transaction: the epoch is set only by the first publish after the hash is gone.
      const [, sequence, epoch] = await publisher
        .multi()
        .hSetNX(idsKey, 'epoch', String(Date.now()))
        .hIncrBy(idsKey, 'sequence', 1)
        .hGet(idsKey, 'epoch')
        .exec()
      const hint: ChatHint = { ...partial, id: hintId(Number(epoch), Number(sequence)) }
      const text = JSON.stringify(hint)
      await publisher
        .multi()
        .rPush(historyKey(hint.conversationId), text)
        .lTrim(historyKey(hint.conversationId), -REPLAYED_HINTS, -1)
        .expire(historyKey(hint.conversationId), historySeconds)
        .publish(channel, text)
        .exec()
    },
    async subscribe(conversationId, listener, after) {
      // Listen first, hold live hints while the history is read, then replay and release them in
      // order: nothing published in between is lost, nothing is delivered twice.
      let last = after ?? ''
      const deliver = (hint: ChatHint) => {
        if (hint.id <= last) return
        last = hint.id
        listener(hint)
      }
      let held: ChatHint[] | undefined = after === undefined ? undefined : []
      const onHint = (hint: ChatHint) => (held ? held.push(hint) : deliver(hint))
      const set = listeners.get(conversationId) ?? new Set()
      set.add(onHint)
      listeners.set(conversationId, set)
      if (held) {
        const kept = await publisher.lRange(historyKey(conversationId), 0, -1)
        for (const text of kept) deliver(JSON.parse(text) as ChatHint)
        const live = held.sort((a, b) => (a.id < b.id ? -1 : 1))
        held = undefined
        for (const hint of live) deliver(hint)
      }
      return () => {
        set.delete(onHint)
        if (!set.size) listeners.delete(conversationId)
      }
    },
    async close() {
      listeners.clear()
      await Promise.allSettled([shut(subscriber), shut(publisher)])
    },
  }
}

/** A client for `connection`, and how to let go of it: quit only the one created here. */
/** Quits politely, or, when Redis does not answer within a second (it is down, or reconnecting), drops the connection. */
async function shut(client: {
  quit(): Promise<unknown>
  destroy?(): void
  disconnect?(): Promise<unknown>
  isOpen: boolean
}) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, 1000)
  })
  await Promise.race([client.quit().catch(() => {}), late])
  clearTimeout(timer)
  if (client.isOpen) {
    if (client.destroy) client.destroy()
    else await client.disconnect?.().catch(() => {})
  }
}

async function connect(connection: RedisConnection, fromUrl: Parameters<typeof createClient>[0] = {}) {
  if (connection.client) return { client: connection.client, close: async () => {} }
  const client = createClient({ ...fromUrl, url: connection.url })
  // Errors surface on the calls that fail; unhandled 'error' events must not crash the process.
  client.on('error', () => {})
  await client.connect()
  return {
    client: client as RedisClient,
    close: () => shut(client),
  }
}

/** Options of {@link createRedisRateLimiter}: a connection, and a key prefix. */
export type RedisRateLimiterOptions = RedisConnection & {
  /** Prefix of the counters' keys. Default `"socialboards-chat"`. */
  prefix?: string
}

/**
 * A {@link RateLimiter} shared by every instance on one Redis, on `rate-limiter-flexible`'s
 * `RateLimiterRedis` (an atomic counter per key and window, expiring with the window). A window is
 * counted in whole seconds (at least one).
 *
 * While Redis cannot be reached, `hit` never throws nor waits: it counts in this process's memory
 * instead (the same budgets, per instance), so visitors are still limited and requests still served.
 *
 * @example
 * ```ts
 * import { createRedisRateLimiter } from 'socialboards-chat-react/server/redis'
 * const rateLimiter = await createRedisRateLimiter({ url: process.env.REDIS_URL! })
 * const handler = createChatHandler({ ...options, rateLimiter })
 * ```
 */
export async function createRedisRateLimiter(
  options: RedisRateLimiterOptions,
): Promise<RateLimiter & { close(): Promise<void> }> {
  const prefix = options.prefix ?? 'socialboards-chat'
  const { client, close } = await connect(options)
  const fallback = createMemoryRateLimiter()
  // One limiter per budget the handler uses (a handful), made on first use.
  const limiters = new Map<string, RateLimiterRedis>()
  const limiterFor = (limit: number, windowMs: number) => {
    const name = `${limit}:${windowMs}`
    let limiter = limiters.get(name)
    if (!limiter) {
      // Under a second it would count with no expiry at all (rate-limiter-flexible counts in whole seconds).
      const duration = Math.max(1, Math.ceil(windowMs / 1000))
      limiter = new RateLimiterRedis({
        storeClient: client,
        useRedisPackage: true,
        // Refuse at once while disconnected, rather than queue the command until Redis is back.
        rejectIfRedisNotReady: true,
        points: limit,
        duration,
        keyPrefix: `${prefix}:rate:${duration}`,
      })
      limiters.set(name, limiter)
    }
    return limiter
  }
  return {
    async hit(key, limit, windowMs): Promise<RateVerdict> {
      try {
        const result = await limiterFor(limit, windowMs).consume(key)
        return { allowed: true, retryAfter: result.msBeforeNext / 1000 }
      } catch (refusal) {
        // An Error is Redis failing; anything else is the library's refusal with its RateLimiterRes.
        if (refusal instanceof Error || typeof (refusal as { msBeforeNext?: unknown })?.msBeforeNext !== 'number')
          return fallback.hit(key, limit, windowMs)
        return { allowed: false, retryAfter: (refusal as { msBeforeNext: number }).msBeforeNext / 1000 }
      }
    },
    close,
  }
}

/** Options of {@link createRedisIdempotencyStore}: a connection, and a key prefix. */
export type RedisIdempotencyStoreOptions = RedisConnection & {
  /** Prefix of the records' keys. Default `"socialboards-chat"`. */
  prefix?: string
}

/** The record a stored value holds, or `undefined` when it is not one of ours. */
function parseRecord(text: unknown): IdempotencyRecord | undefined {
  if (text === null || text === undefined) return undefined
  let value: Record<string, unknown>
  try {
    value = JSON.parse(String(text))
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || typeof value.fingerprint !== 'string') return undefined
  if (value.state === 'pending') return { state: 'pending', fingerprint: value.fingerprint }
  const response = value.response as Record<string, unknown> | null | undefined
  if (
    value.state !== 'done' ||
    typeof response !== 'object' ||
    response === null ||
    typeof response.status !== 'number' ||
    typeof response.body !== 'string' ||
    typeof response.headers !== 'object' ||
    response.headers === null
  )
    return undefined
  return {
    state: 'done',
    fingerprint: value.fingerprint,
    response: {
      status: response.status,
      headers: response.headers as Record<string, string>,
      body: response.body,
    },
  }
}

/**
 * An {@link IdempotencyStore} shared by every instance on one Redis. `claim` is `SET key NX PX`, so
 * exactly one of several racing requests holds a key; every record expires with its ttl.
 * Calls reject while Redis cannot be reached (a client made from `url` fails them at once rather
 * than queueing them until Redis is back).
 *
 * @example
 * ```ts
 * import { createRedisIdempotencyStore } from 'socialboards-chat-react/server/redis'
 * const idempotency = await createRedisIdempotencyStore({ url: process.env.REDIS_URL! })
 * ```
 */
export async function createRedisIdempotencyStore(
  options: RedisIdempotencyStoreOptions,
): Promise<IdempotencyStore & { close(): Promise<void> }> {
  const prefix = options.prefix ?? 'socialboards-chat'
  const { client, close } = await connect(options, { disableOfflineQueue: true })
  const keyOf = (key: string) => `${prefix}:idempotency:${key}`
  return {
    async claim(key, fingerprint, ttlMs) {
      const name = keyOf(key)
      const pending = JSON.stringify({ state: 'pending', fingerprint })
      // A few rounds at most: the key may expire, or hold something unreadable, between SET and GET.
      for (let round = 0; round < 3; round++) {
        const set = await client.set(name, pending, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })
        if (set !== null) return undefined
        const text = await client.get(name)
        if (text === null) continue
        const record = parseRecord(text)
        if (record) return record
        // Not a record of ours (no expiry of ours either): clear it rather than block the key forever.
        await client.del(name)
      }
      // Still contended after clearing: someone else claimed it meanwhile.
      return parseRecord(await client.get(name)) ?? { state: 'pending', fingerprint: '' }
    },
    async get(key) {
      return parseRecord(await client.get(keyOf(key)))
    },
    async finish(key, fingerprint, response, ttlMs) {
      const record: IdempotencyRecord = { state: 'done', fingerprint, response }
      await client.set(keyOf(key), JSON.stringify(record), { expiration: { type: 'PX', value: ttlMs } })
    },
    async release(key) {
      await client.del(keyOf(key))
    },
    close,
  }
}

/** Options of {@link createRedisConversationIndex}: a connection, a key prefix, and how long an identity's list lives. */
export type RedisConversationIndexOptions = RedisConnection & {
  /** Prefix of the lists' keys. Default `"socialboards-chat"`. */
  prefix?: string
  /** Seconds an identity's list is kept after its last conversation began. Default 30 days (the cookie's default life). */
  ttlSeconds?: number
  /** Conversations kept per identity (newest). Default 50. */
  perIdentity?: number
}

/**
 * A {@link ConversationIndex} shared by every instance on one Redis: a sorted set per identity
 * digest, scored by conversation id (ids grow), trimmed to the newest `perIdentity`, expiring
 * `ttlSeconds` after the last conversation began.
 *
 * @example
 * ```ts
 * import { createRedisConversationIndex } from 'socialboards-chat-react/server/redis'
 * const conversations = await createRedisConversationIndex({ url: process.env.REDIS_URL! })
 * ```
 */
export async function createRedisConversationIndex(
  options: RedisConversationIndexOptions,
): Promise<ConversationIndex & { close(): Promise<void> }> {
  const prefix = options.prefix ?? 'socialboards-chat'
  const ttlSeconds = options.ttlSeconds ?? 30 * 24 * 60 * 60
  const perIdentity = options.perIdentity ?? 50
  const { client, close } = await connect(options, { disableOfflineQueue: true })
  const keyOf = (identity: string) => `${prefix}:conversations:${identity}`
  return {
    async add(identity, conversationId) {
      const key = keyOf(identity)
      await client
        .multi()
        .zAdd(key, { score: conversationId, value: String(conversationId) })
        .zRemRangeByRank(key, 0, -(perIdentity + 1))
        .expire(key, ttlSeconds)
        .exec()
    },
    async list(identity, limit) {
      const ids = await client.zRange(keyOf(identity), 0, limit - 1, { REV: true })
      return ids.map(Number).filter((id) => Number.isSafeInteger(id))
    },
    close,
  }
}
