'use client'
// The React contexts that carry the client, and the hooks that read it. No TanStack Query here: the
// query layer (query-layer.tsx) is reached only through the hooks that need it, so a bundle without
// them (a widget on useChatSession alone) carries no QueryClient.
import { type ComponentType, createContext, useContext } from 'react'
import { type ChatClient, clientOf, type SessionClient, sessionClientOf } from '../../core/client'
import type { ChatConnection } from '../../core/connection'
import type { RealtimeConnector } from '../../core/session'
import { ChatQueryLayer, type QueryLayerProps } from './query-layer'

export { ChatStreamsContext } from './query-layer'

/** The connection of the nearest provider (a `ChatClient` when one was given). */
export const ChatClientContext = /* @__PURE__ */ createContext<ChatConnection | null>(null)

/** The provider's `realtime` setting: the default of `useChatSession`'s. */
export const ChatRealtimeContext = /* @__PURE__ */ createContext<boolean | RealtimeConnector>(false)

let queryLayer: ComponentType<QueryLayerProps> | undefined

/** The query layer ChatApiProvider renders around its children, if a hook that needs one is in the bundle. */
export const currentQueryLayer = () => queryLayer

/**
 * Marks `hook` as needing a QueryClient: the query layer is registered when the module is loaded
 * (before any render). The call is pure to a bundler, so an app that never references `hook` drops
 * it, and with it the query layer and TanStack's QueryClient.
 */
function needsQueryLayer<T>(layer: ComponentType<QueryLayerProps>, hook: T): T {
  queryLayer = layer
  return hook
}

/**
 * The connection of the nearest provider, for useChatSession: it needs no QueryClient, so reading
 * it registers none.
 *
 * @throws Error when there is no `ChatApiProvider` above the component.
 */
export function useProvidedConnection(): ChatConnection {
  const client = useContext(ChatClientContext)
  if (!client)
    throw new Error(
      'useChatClient: no <ChatApiProvider> above this component. Wrap your app in ' +
        '<ChatApiProvider baseURL="https://…" accessToken={getToken}> (or pass client={createChatClient(…)}).',
    )
  return client
}

/** The client of the nearest provider, for useChatSession (no query layer, see useProvidedConnection). */
export function useSessionClient(): SessionClient {
  return sessionClientOf(useProvidedConnection())
}

/**
 * The {@link ChatClient} of the nearest {@link ChatApiProvider}.
 *
 * @throws Error when there is no `ChatApiProvider` above the component.
 */
export const useChatClient: () => ChatClient = /* @__PURE__ */ needsQueryLayer(
  ChatQueryLayer,
  function useChatClient() {
    return clientOf(useProvidedConnection())
  },
)

/**
 * The connection of the nearest {@link ChatApiProvider}, for the endpoint functions: what the
 * library's hooks use, so a bundle carries only the endpoints it calls.
 *
 * @throws Error when there is no `ChatApiProvider` above the component.
 */
export const useChatConnection: () => ChatConnection = /* @__PURE__ */ needsQueryLayer(
  ChatQueryLayer,
  useProvidedConnection,
)
