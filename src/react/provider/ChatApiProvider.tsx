'use client'
// ChatApiProvider: puts a Chat API client (and, for the query hooks, a QueryClient if the app has none) in context.
import type { QueryClient } from '@tanstack/react-query'
import { type ReactNode, useInsertionEffect, useMemo, useRef } from 'react'
import type { ChatClient } from '../../core/client'
import { connect } from '../../core/connection'
import type { AccessToken, ChatClientOptions } from '../../core/http'
import { ChatClientContext, ChatRealtimeContext, currentQueryLayer } from './context'
import type { ChatRealtime } from './streams'

/** Props of {@link ChatApiProvider}: a ready client, or the options to build one. */
export type ChatApiProviderProps = {
  children?: ReactNode
  /**
   * The QueryClient to use. Default: the one of a `QueryClientProvider` above, or else one the
   * provider creates for itself.
   */
  queryClient?: QueryClient
  /**
   * Replies in under a second: `realtime={serverEvents()}` makes sessions and lifecycle hooks below
   * follow the server half's event stream (`createChatHandler` with webhooks), with polling only as
   * a safety net. Off by default; an app without it carries none of its code.
   */
  realtime?: ChatRealtime
} & (
  | ({ client: ChatClient } & { [K in keyof ChatClientOptions]?: never })
  | ({ client?: undefined } & ChatClientOptions)
)

/**
 * Makes a Chat API client available to the hooks below it.
 *
 * Pass a `client` from {@link createChatClient}, or its options. With options the client is built
 * once and rebuilt only when `baseURL` changes; `accessToken` is read on every request, so an inline
 * function or a new token string takes effect without a rebuild (every other option, `headers`,
 * `fetch`, `timeout`, `paths`, is read when the client is built).
 *
 * @example
 * ```tsx
 * <ChatApiProvider baseURL="https://api.example.com/" accessToken={getChatToken}>
 *   <SupportChat />
 * </ChatApiProvider>
 * ```
 */
export function ChatApiProvider(props: ChatApiProviderProps) {
  const { children, client: given, baseURL } = props
  // The token is read on every request. It is updated in an insertion effect (not during render),
  // which runs before any layout or passive effect of the tree, so no request sees an old token.
  const accessToken = useRef<AccessToken | undefined>(props.accessToken)
  useInsertionEffect(() => {
    accessToken.current = props.accessToken
  })

  // Built once per baseURL: every client option is passed on, only the provider's own props are not.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the other options are read when the client is built.
  const client = useMemo(() => {
    if (given) return given
    const {
      children: _children,
      client: _client,
      queryClient: _queryClient,
      realtime: _realtime,
      ...clientOptions
    } = props
    return connect({ ...clientOptions, baseURL } as ChatClientOptions, () => accessToken.current)
  }, [given, baseURL])

  const realtime = props.realtime
  if (realtime && typeof realtime.follow !== 'function')
    throw new Error(
      'ChatApiProvider: realtime takes serverEvents() (exported by socialboards-chat-react), ' +
        'so an app without realtime does not carry its code',
    )

  const tree = (
    <ChatClientContext.Provider value={client}>
      <ChatRealtimeContext.Provider value={realtime ? (realtime.connector ?? true) : false}>
        {children}
      </ChatRealtimeContext.Provider>
    </ChatClientContext.Provider>
  )
  // The QueryClient and the lifecycle hooks' streams, when a hook that needs them is in the bundle.
  const QueryLayer = currentQueryLayer()
  return QueryLayer ? (
    <QueryLayer client={client} queryClient={props.queryClient} realtime={realtime}>
      {tree}
    </QueryLayer>
  ) : (
    tree
  )
}
