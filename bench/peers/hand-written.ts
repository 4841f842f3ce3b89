// Peer: hand-written fetch + context + a plain useMutation, with an envelope check and the same cache write.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { createContext, createElement, type ReactNode, useContext, useMemo } from 'react'
import type { Conversation, CreateInput, Envelope } from './api-types'

type Post = <T>(path: string, body: unknown) => Promise<T>
const ApiContext = createContext<Post | null>(null)

export function ApiProvider({ baseURL, token, children }: { baseURL: string; token: string; children?: ReactNode }) {
  const post = useMemo<Post>(
    () => async (path, body) => {
      const response = await fetch(`${baseURL}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      })
      const envelope = (await response.json()) as Envelope<never>
      if (!response.ok || envelope.errorCode !== -1) throw new Error(envelope.errorText ?? `HTTP ${response.status}`)
      return envelope.data as never
    },
    [baseURL, token],
  )
  return createElement(ApiContext.Provider, { value: post }, children)
}

export function useCreate() {
  const post = useContext(ApiContext) as Post
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: CreateInput) => post<Conversation>('chat/conversations', input),
    onSuccess: (conversation) =>
      queryClient.setQueryData(['socialboards-chat', 'conversation', conversation.id], conversation),
  })
}
