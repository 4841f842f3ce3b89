'use client'
// useConversation: one conversation, polled while it is open.
import { type QueryKey, type UseQueryOptions, type UseQueryResult, useQuery } from '@tanstack/react-query'
import { useContext } from 'react'
import type { ChatApiError } from '../../core/errors'
import type { Conversation } from '../../core/types'
import { ChatStreamsContext, useChatConnection } from '../provider/context'
import { type ChatQueryOptions, conversationQueryOptions, queryExtras } from '../provider/options'

/** Options of {@link useConversation}: the shape every query hook takes. */
export type UseConversationOptions<TData = Conversation> = ChatQueryOptions<Conversation, TData>

/**
 * A conversation (without its messages), polled while it is open: every 4 s by default, paused in
 * hidden tabs, stopped once it is closed. `id` may be `undefined` until the conversation exists.
 *
 * @example
 * ```tsx
 * const { data: conversation } = useConversation(conversationId)
 * if (conversation?.isClosed) return <p>This chat has ended.</p>
 * ```
 */
export function useConversation<TData = Conversation>(
  id: number | undefined,
  options: UseConversationOptions<TData> = {},
): UseQueryResult<TData, ChatApiError> {
  const { pollInterval } = options
  const streams = useContext(ChatStreamsContext)
  const streamHealthy = streams ? () => streams.isHealthy(id) : undefined
  // The library's key, function and polling, typed for the caller's `select`.
  const base = conversationQueryOptions(useChatConnection(), id, { pollInterval, streamHealthy }) as UseQueryOptions<
    Conversation,
    ChatApiError,
    TData,
    QueryKey
  >
  return useQuery({ ...base, ...queryExtras(options) })
}
