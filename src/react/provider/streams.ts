// Realtime for the lifecycle hooks: one event stream per conversation the cache is watching, hints turned into invalidations.
import type { QueryClient } from '@tanstack/react-query'
import { conversationKey, conversationsKey } from '../../core/endpoints/endpoint'
import { eventSourceConnector, type RealtimeConnector, type RealtimeHint } from '../../core/session'
import type { Conversation } from '../../core/types'
import { chatKeys } from './keys'

/** The streams a provider keeps open, and whether each is healthy. */
export interface ConversationStreams {
  /** `true` while the conversation's stream is open and healthy: polling can be a safety net. */
  isHealthy(id: number | undefined): boolean
  /** Stops every stream. */
  close(): void
}

/**
 * Follows the event stream of every open conversation that a mounted query watches (a
 * `chatKeys.conversation(id)` query with observers, not closed), and closes the others. Each hint
 * invalidates exactly what it changed: a message → the conversation (its count brings the new
 * messages in `useConversationMessages`); takeover → the takeover state and the conversation;
 * closed → the conversation.
 */
export function followConversations(queryClient: QueryClient, connector: RealtimeConnector): ConversationStreams {
  const streams = new Map<number, { close: () => void; healthy: boolean }>()
  const invalidate = (id: number, kind: RealtimeHint) => {
    if (kind === 'takeover') void queryClient.invalidateQueries({ queryKey: chatKeys.takeover(id), exact: true })
    void queryClient.invalidateQueries({ queryKey: conversationKey(id), exact: true })
  }
  const watched = () => {
    const ids = new Set<number>()
    for (const query of queryClient.getQueryCache().findAll({ queryKey: conversationsKey() })) {
      const id = query.queryKey[2]
      const data = query.state.data as Conversation | undefined
      if (query.queryKey.length === 3 && typeof id === 'number' && query.getObserversCount() > 0 && !data?.isClosed)
        ids.add(id)
    }
    return ids
  }
  const sync = () => {
    const wanted = watched()
    for (const [id, stream] of streams)
      if (!wanted.has(id)) {
        stream.close()
        streams.delete(id)
      }
    for (const id of wanted) {
      if (streams.has(id)) continue
      const stream = { close: () => {}, healthy: false }
      streams.set(id, stream)
      stream.close = connector.connect(id, {
        onHint: (kind) => invalidate(id, kind),
        onOpen: () => {
          stream.healthy = true
        },
        onError: () => {
          stream.healthy = false
        },
      })
    }
  }
  const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
    if (event.type === 'observerAdded' || event.type === 'observerRemoved' || event.type === 'updated') sync()
  })
  sync()
  return {
    isHealthy: (id) => id !== undefined && streams.get(id)?.healthy === true,
    close() {
      unsubscribe()
      for (const stream of streams.values()) stream.close()
      streams.clear()
    },
  }
}

/** What `ChatApiProvider`'s `realtime` takes: made by {@link serverEvents}, so apps without realtime never carry it. */
export interface ChatRealtime {
  /** The stream to follow; the browser's `EventSource` on the provider's base URL when absent. */
  readonly connector?: RealtimeConnector
  /** Follows the conversations the cache watches (see {@link followConversations}). */
  follow(queryClient: QueryClient, baseURL: string): ConversationStreams
}

/**
 * Realtime for `ChatApiProvider`: replies in under a second. Sessions and lifecycle hooks below
 * follow the server half's event stream (`createChatHandler` with webhooks): one stream per open
 * conversation a hook watches, each hint invalidating exactly what it changed, and polling only as
 * a safety net (30 s) while the stream is healthy. Default: the browser's `EventSource` on the
 * provider's `baseURL`; or a connector of your own.
 *
 * @example
 * ```tsx
 * <ChatApiProvider baseURL="/api/chat/" realtime={serverEvents()}>
 *   <SupportWidget />
 * </ChatApiProvider>
 * ```
 */
export function serverEvents(connector?: RealtimeConnector): ChatRealtime {
  return {
    connector,
    follow: (queryClient, baseURL) => followConversations(queryClient, connector ?? eventSourceConnector(baseURL)),
  }
}
