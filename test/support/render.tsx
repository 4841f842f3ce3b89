import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { type AccessToken, ChatApiProvider } from 'socialboards-chat-react'
import { baseURL, token } from './mock-server'

/** A fresh QueryClient per test, with retries off for queries so failures show at once. */
export function freshQueryClient() {
  return new QueryClient({ defaultOptions: { queries: { retry: false } } })
}

/** A wrapper for renderHook/render: the app's QueryClient above a ChatApiProvider on the mock. */
export function providerWrapper(options: { queryClient?: QueryClient; accessToken?: AccessToken } = {}) {
  const queryClient = options.queryClient ?? freshQueryClient()
  const accessToken = 'accessToken' in options ? options.accessToken : token
  function Wrapper({ children }: { children: ReactNode }) {
    return (
      <QueryClientProvider client={queryClient}>
        <ChatApiProvider baseURL={baseURL} accessToken={accessToken}>
          {children}
        </ChatApiProvider>
      </QueryClientProvider>
    )
  }
  return { wrapper: Wrapper, queryClient }
}
