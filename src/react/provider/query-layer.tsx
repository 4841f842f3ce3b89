'use client'
// The TanStack Query half of ChatApiProvider: the QueryClient (the app's, or one of its own) and the
// lifecycle hooks' realtime streams. The provider renders it only when a module that needs a
// QueryClient is in the bundle (see context.ts), so a widget on useChatSession alone carries none of it.
import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query'
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react'
import type { ChatConnection } from '../../core/connection'
import type { ChatRealtime, ConversationStreams } from './streams'

/** The provider's realtime streams for the lifecycle hooks, when `realtime` is on. */
export const ChatStreamsContext = /* @__PURE__ */ createContext<ConversationStreams | null>(null)

/** What ChatApiProvider hands its query layer. */
export interface QueryLayerProps {
  children: ReactNode
  client: ChatConnection
  queryClient: QueryClient | undefined
  realtime: ChatRealtime | undefined
}

/**
 * Puts a QueryClient in TanStack's context (the `queryClient` prop, else the app's own from a
 * `QueryClientProvider` above, else one created once for this provider) and, while `realtime` is
 * on, follows the conversations the lifecycle hooks watch.
 */
export function ChatQueryLayer({ children, client, queryClient: given, realtime }: QueryLayerProps) {
  const parent = useContext(QueryClientContext)
  // Created once and used only when the app has no QueryClient of its own.
  const [own] = useState(() => new QueryClient())
  const queryClient = given ?? parent ?? own

  // The lifecycle hooks' streams: one per conversation a mounted query watches, while realtime is on.
  const [streams, setStreams] = useState<ConversationStreams | null>(null)
  // Keyed by the connector, not the setting object: an inline `serverEvents()` keeps its streams.
  const following = realtime ? (realtime.connector ?? 'event-source') : null
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new setting with the same connector is the same realtime.
  useEffect(() => {
    if (!realtime) return
    const followed = realtime.follow(queryClient, client.baseURL)
    setStreams(followed)
    return () => {
      followed.close()
      setStreams(null)
    }
  }, [following, queryClient, client])

  const tree = <ChatStreamsContext.Provider value={streams}>{children}</ChatStreamsContext.Provider>
  return queryClient === parent ? tree : <QueryClientProvider client={queryClient}>{tree}</QueryClientProvider>
}
