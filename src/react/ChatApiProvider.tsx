'use client'
import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query'
import { type ReactNode, useContext, useMemo, useRef, useState } from 'react'
import { buildClient, type ChatClient } from '../core/client'
import type { AccessToken, ChatClientOptions } from '../core/http'
import { ChatClientContext } from './context'

/** Props of {@link ChatApiProvider}: a ready client, or the options to build one. */
export type ChatApiProviderProps = {
  children?: ReactNode
  /**
   * The QueryClient to use. Default: the one of a `QueryClientProvider` above, or else one the
   * provider creates for itself.
   */
  queryClient?: QueryClient
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
  const accessToken = useRef<AccessToken | undefined>(undefined)
  accessToken.current = props.accessToken
  const options = useRef(props)
  options.current = props

  const client = useMemo(() => {
    if (given) return given
    // Every client option is passed on (none can be dropped): only the provider's own props are not.
    const { children: _children, client: _client, queryClient: _queryClient, ...clientOptions } = options.current
    return buildClient({ ...clientOptions, baseURL } as ChatClientOptions, () => accessToken.current)
  }, [given, baseURL])

  const parent = useContext(QueryClientContext)
  // Created once and used only when the app has no QueryClient of its own.
  const [own] = useState(() => new QueryClient())
  const queryClient = props.queryClient ?? parent ?? own

  const tree = <ChatClientContext.Provider value={client}>{children}</ChatClientContext.Provider>
  return queryClient === parent ? tree : <QueryClientProvider client={queryClient}>{tree}</QueryClientProvider>
}
