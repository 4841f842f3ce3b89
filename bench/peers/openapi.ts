// Peer: openapi-fetch + openapi-react-query creating a conversation and writing the same cache entry.
import { useQueryClient } from '@tanstack/react-query'
import createFetchClient from 'openapi-fetch'
import createClient from 'openapi-react-query'
import { createContext, createElement, type ReactNode, useContext, useMemo } from 'react'
import type { paths } from './api-types'

type Api = ReturnType<typeof createClient<paths>>
const ApiContext = createContext<Api | null>(null)

export function ApiProvider({ baseUrl, token, children }: { baseUrl: string; token: string; children?: ReactNode }) {
  const api = useMemo(
    () => createClient(createFetchClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } })),
    [baseUrl, token],
  )
  return createElement(ApiContext.Provider, { value: api }, children)
}

export function useCreate() {
  const api = useContext(ApiContext) as Api
  const queryClient = useQueryClient()
  return api.useMutation('post', '/chat/conversations', {
    onSuccess: (envelope) => {
      if (envelope.errorCode !== -1 || !envelope.data) throw new Error(envelope.errorText ?? 'API error')
      queryClient.setQueryData(['socialboards-chat', 'conversation', envelope.data.id], envelope.data)
    },
  })
}
