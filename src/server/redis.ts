// The event bus on Redis pub/sub: a webhook received by one instance reaches streams held by any other.
import { type ChatHint, type EventBus, hintId, REPLAYED_HINTS } from './events'

/** Options of {@link createRedisEventBus}. */
export interface RedisEventBusOptions {
  /** e.g. `redis://localhost:6379`. */
  url: string
  /** Prefix of the keys and the channel. Default `"socialboards-chat"`. */
  prefix?: string
  /** Seconds a conversation's replay history is kept after its last hint. Default one day. */
  historySeconds?: number
}

/**
 * An {@link EventBus} shared by every instance on one Redis, on the `redis` package (node-redis,
 * Redis's own maintained client: typed, promise-based, pub/sub on a dedicated connection). Install
 * it beside this library (`npm install redis`): it is an optional peer, loaded only here.
 *
 * Hint ids come from one Redis counter, so they order hints across instances, and the latest 50
 * hints of each conversation are kept for `Last-Event-ID` replay.
 *
 * @example
 * ```ts
 * const events = await createRedisEventBus({ url: process.env.REDIS_URL! })
 * const handler = createChatHandler({ ...options, events, webhook: { verifyToken } })
 * ```
 */
export async function createRedisEventBus(options: RedisEventBusOptions): Promise<EventBus> {
  const { createClient } = await import('redis')
  const prefix = options.prefix ?? 'socialboards-chat'
  const historySeconds = options.historySeconds ?? 24 * 60 * 60
  const channel = `${prefix}:hints`
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
      const hint: ChatHint = { ...partial, id: hintId(await publisher.incr(`${prefix}:sequence`)) }
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
      await Promise.allSettled([subscriber.quit(), publisher.quit()])
    },
  }
}
