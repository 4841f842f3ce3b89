// Realtime hints: Socialboards webhooks parsed into typed events, and the bus that fans them out to browsers' streams.

/** The chat webhook events the reference lists. */
export type ChatWebhookEventType =
  | 'conversation_created'
  | 'conversation_message_added'
  | 'conversation_takeover_state_changed'
  | 'conversation_closed'

/** One webhook event, camelCase. Unsigned, so a hint to refetch, never content to show. */
export interface ChatWebhookEvent {
  type: ChatWebhookEventType
  /** The inbox the event belongs to (`CommunityName`). */
  communityName: string
  conversationId: number
  /** When Socialboards says it happened (`EventTime`), as sent; `null` when absent. */
  eventTime: string | null
}

const TYPES = new Set<string>([
  'conversation_created',
  'conversation_message_added',
  'conversation_takeover_state_changed',
  'conversation_closed',
])

/** A webhook body that is not a Socialboards payload. */
export class WebhookParseError extends Error {
  override readonly name = 'WebhookParseError'
}

/**
 * Parses a Socialboards chat webhook body (PascalCase: `CommunityName`, `EventType`, `Events[]`,
 * `TicketId`) into typed events. Unknown event types give no events; a body that is not a webhook
 * payload throws {@link WebhookParseError}. Only `conversation_created`'s payload is documented,
 * so each event's conversation is its `ConversationId`, else the payload's `TicketId` (equal in
 * the documented example).
 *
 * @example
 * ```ts
 * for (const event of parseWebhook(await request.json())) console.log(event.type, event.conversationId)
 * ```
 */
export function parseWebhook(body: unknown): ChatWebhookEvent[] {
  const payload = body as Record<string, unknown> | null
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new WebhookParseError('a webhook body is a JSON object')
  const { CommunityName, EventType, Events, TicketId } = payload
  if (typeof EventType !== 'string' || !Array.isArray(Events))
    throw new WebhookParseError('a webhook body has an EventType string and an Events array')
  if (!TYPES.has(EventType)) return []
  return Events.flatMap((item) => {
    const event = item as Record<string, unknown> | null
    const id = typeof event === 'object' && event !== null ? event.ConversationId : undefined
    const conversationId = Number.isSafeInteger(id) ? (id as number) : TicketId
    if (!Number.isSafeInteger(conversationId) || (conversationId as number) <= 0) return []
    return [
      {
        type: EventType as ChatWebhookEventType,
        communityName: typeof CommunityName === 'string' ? CommunityName : '',
        conversationId: conversationId as number,
        eventTime: typeof event?.EventTime === 'string' ? event.EventTime : null,
      },
    ]
  })
}

/** What a browser's stream is told: which conversation changed and how. Never the content. */
export type HintKind = 'message' | 'takeover' | 'closed'

/** One hint as the bus carries it. `id` orders hints of a conversation, for `Last-Event-ID`. */
export interface ChatHint {
  id: string
  conversationId: number
  kind: HintKind
}

/** Fans hints out to every stream open on a conversation, across instances when the bus is shared. */
export interface EventBus {
  /** Sends a hint to every subscriber of its conversation (on every instance sharing the bus). */
  publish(hint: Omit<ChatHint, 'id'>): Promise<void>
  /**
   * Listens to a conversation's hints. With `after` (a `Last-Event-ID`), hints since then that
   * the bus still remembers are delivered first. Resolves with the function that stops listening.
   */
  subscribe(conversationId: number, listener: (hint: ChatHint) => void, after?: string): Promise<() => void>
  /** Lets go of connections and timers. */
  close(): Promise<void>
}

/**
 * The hint a webhook event gives, if any (a created conversation changes nothing a visitor watches).
 * Takes anything with a chat event's `type` and `conversationId`: the mock's `onEvent` events too.
 *
 * @example
 * ```ts
 * const hint = hintOf({ type: 'conversation_closed', conversationId: 42 }) // { conversationId: 42, kind: 'closed' }
 * ```
 */
export function hintOf(event: Pick<ChatWebhookEvent, 'type' | 'conversationId'>): Omit<ChatHint, 'id'> | null {
  const kind: HintKind | null =
    event.type === 'conversation_message_added'
      ? 'message'
      : event.type === 'conversation_takeover_state_changed'
        ? 'takeover'
        : event.type === 'conversation_closed'
          ? 'closed'
          : null
  return kind ? { conversationId: event.conversationId, kind } : null
}

/** Hints remembered per conversation for replay after a reconnect. */
export const REPLAYED_HINTS = 50

/**
 * A hint id: the epoch (milliseconds when the counter started) and the count since, both
 * zero-padded to 16 digits, so comparing ids as strings orders them in time. A counter that
 * starts over (a restarted process, a Redis without persistence) starts with a later epoch, so
 * its ids still sort after every id handed out before.
 */
export const hintId = (epoch: number, sequence: number) =>
  `${epoch.toString().padStart(16, '0')}-${sequence.toString().padStart(16, '0')}`

/** Options of {@link createMemoryEventBus}. */
export interface MemoryEventBusOptions {
  /** How long a conversation's hints stay replayable after they were published. Default 10 minutes. */
  historyMs?: number
  /** Conversations whose replay history is kept; past it, the least recently published-to go first. Default 10,000. */
  maxConversations?: number
  /** The clock, in milliseconds (for tests). Default `Date.now`. */
  now?: () => number
}

/**
 * The default bus: this process only. Right for one instance; behind several, a webhook reaches one
 * of them, so use a shared bus (`createRedisEventBus` from `socialboards-chat-react/server/redis`).
 *
 * Replay history is bounded in time (`historyMs`) and count (`maxConversations`, latest 50 hints
 * each) and dropped lazily as hints come, so webhooks naming many conversations leave nothing lasting.
 */
export function createMemoryEventBus(options: MemoryEventBusOptions = {}): EventBus {
  const now = options.now ?? Date.now
  const historyMs = options.historyMs ?? 10 * 60_000
  const maxConversations = options.maxConversations ?? 10_000
  // Ids of this bus start at its creation time, so a restarted process never hands out smaller ids.
  const epoch = now()
  let sequence = 0
  const listeners = new Map<number, Set<(hint: ChatHint) => void>>()
  // Map order is last-publish order (each publish re-inserts), so the stalest conversation is first.
  const history = new Map<number, { hint: ChatHint; at: number }[]>()
  /** Drops the conversations whose newest hint is older than `historyMs`, and any past the count cap. */
  const sweep = (time: number) => {
    for (const [conversationId, kept] of history) {
      const newest = kept[kept.length - 1]
      if (history.size <= maxConversations && newest && time - newest.at < historyMs) break
      history.delete(conversationId)
    }
  }
  return {
    async publish(partial) {
      const time = now()
      const hint = { ...partial, id: hintId(epoch, ++sequence) }
      const kept = history.get(hint.conversationId) ?? []
      history.delete(hint.conversationId)
      history.set(hint.conversationId, [...kept, { hint, at: time }].slice(-REPLAYED_HINTS))
      sweep(time)
      for (const listener of [...(listeners.get(hint.conversationId) ?? [])]) listener(hint)
    },
    async subscribe(conversationId, listener, after) {
      if (after !== undefined) {
        const time = now()
        for (const { hint, at } of history.get(conversationId) ?? [])
          if (time - at < historyMs && hint.id > after) listener(hint)
      }
      const set = listeners.get(conversationId) ?? new Set()
      set.add(listener)
      listeners.set(conversationId, set)
      return () => {
        set.delete(listener)
        if (!set.size) listeners.delete(conversationId)
      }
    },
    async close() {
      listeners.clear()
      history.clear()
    },
  }
}
