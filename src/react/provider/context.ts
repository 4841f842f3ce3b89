'use client'
// The React context that carries the client, and useChatClient to read it.
import { createContext, useContext } from 'react'
import type { ChatClient } from '../../core/client'
import type { RealtimeConnector } from '../../core/session'
import type { ConversationStreams } from './streams'

export const ChatClientContext = createContext<ChatClient | null>(null)

/** The provider's realtime streams for the lifecycle hooks, when `realtime` is on. */
export const ChatStreamsContext = createContext<ConversationStreams | null>(null)

/** The provider's `realtime` setting: the default of `useChatSession`'s. */
export const ChatRealtimeContext = createContext<boolean | RealtimeConnector>(false)

/**
 * The {@link ChatClient} of the nearest {@link ChatApiProvider}.
 *
 * @throws Error when there is no `ChatApiProvider` above the component.
 */
export function useChatClient(): ChatClient {
  const client = useContext(ChatClientContext)
  if (!client)
    throw new Error(
      'useChatClient: no <ChatApiProvider> above this component. Wrap your app in ' +
        '<ChatApiProvider baseURL="https://…" accessToken={getToken}> (or pass client={createChatClient(…)}).',
    )
  return client
}
