// Peer: ofetch + a plain useMutation creating a conversation, with an envelope check and the same cache write.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type $Fetch, ofetch } from 'ofetch'
import { createContext, createElement, type ReactNode, useContext, useMemo } from 'react'
import type { Conversation, CreateInput, Envelope } from './api-types'

const ApiContext = createContext<$Fetch | null>(null)

export function ApiProvider({ baseURL, token, children }: { baseURL: string; token: string; children?: ReactNode }) {
  const api = useMemo(() => ofetch.create({ baseURL, headers: { Authorization: `Bearer ${token}` } }), [baseURL, token])
  return createElement(ApiContext.Provider, { value: api }, children)
}

export function useCreate() {
  const api = useContext(ApiContext) as $Fetch
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (input: CreateInput) => {
      const envelope = await api<Envelope<Conversation>>('chat/conversations', { method: 'POST', body: input })
      if (envelope.errorCode !== -1 || !envelope.data) throw new Error(envelope.errorText ?? 'API error')
      return envelope.data
    },
    onSuccess: (conversation) =>
      queryClient.setQueryData(['socialboards-chat', 'conversation', conversation.id], conversation),
  })
}
