'use client'
import { type UseQueryResult, useQuery } from '@tanstack/react-query'
import type { ChatApiError } from '../core/errors'
import type { Conversation } from '../core/types'
import { useChatClient } from './context'
import { type ConversationPollOptions, conversationQueryOptions } from './options'

/** Options of {@link useConversation}. */
export interface UseConversationOptions<TData = Conversation> extends ConversationPollOptions {
  /** `false` keeps the query from running. Default `true` (once `id` is known). */
  enabled?: boolean
  /** Derives what the component needs; it re-renders only when that changes. */
  select?: (conversation: Conversation) => TData
}

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
  { pollInterval, enabled, select }: UseConversationOptions<TData> = {},
): UseQueryResult<TData, ChatApiError> {
  return useQuery({ ...conversationQueryOptions(useChatClient(), id, { pollInterval }), enabled, select })
}
