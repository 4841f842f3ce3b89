'use client'
// The React context that carries the client, and useChatClient to read it.
import { createContext, useContext } from 'react'
import { type ChatClient, clientOf } from '../../core/client'
import type { ChatConnection } from '../../core/connection'
import type { RealtimeConnector } from '../../core/session'
import type { ConversationStreams } from './streams'

/** The connection of the nearest provider (a `ChatClient` when one was given). */
export const ChatClientContext = /* @__PURE__ */ createContext<ChatConnection | null>(null)

/** The provider's realtime streams for the lifecycle hooks, when `realtime` is on. */
export const ChatStreamsContext = /* @__PURE__ */ createContext<ConversationStreams | null>(null)

/** The provider's `realtime` setting: the default of `useChatSession`'s. */
export const ChatRealtimeContext = /* @__PURE__ */ createContext<boolean | RealtimeConnector>(false)

/**
 * The {@link ChatClient} of the nearest {@link ChatApiProvider}.
 *
 * @throws Error when there is no `ChatApiProvider` above the component.
 */
export function useChatClient(): ChatClient {
  return clientOf(useChatConnection())
}

/**
 * The connection of the nearest {@link ChatApiProvider}, for the endpoint functions: what the
 * library's hooks use, so a bundle carries only the endpoints it calls.
 *
 * @throws Error when there is no `ChatApiProvider` above the component.
 */
export function useChatConnection(): ChatConnection {
  const client = useContext(ChatClientContext)
  if (!client)
    throw new Error(
      'useChatClient: no <ChatApiProvider> above this component. Wrap your app in ' +
        '<ChatApiProvider baseURL="https://…" accessToken={getToken}> (or pass client={createChatClient(…)}).',
    )
  return client
}
