'use client'
// useTakeover: whether a bot or a human has the conversation.
import { type QueryKey, type UseQueryOptions, type UseQueryResult, useQuery } from '@tanstack/react-query'
import type { ChatApiError } from '../../core/errors'
import type { ConversationTakeover } from '../../core/types'
import { useChatConnection } from '../provider/context'
import { type ChatQueryOptions, queryExtras, takeoverQueryOptions } from '../provider/options'

/**
 * The conversation's takeover state: `isAssignedToBot: false` means a human agent has it. Read
 * once; pass `pollInterval` to follow it.
 *
 * @example
 * ```tsx
 * const { data: takeover } = useTakeover(conversationId)
 * if (takeover?.isAssignedToBot) return <p>You are chatting with our bot.</p>
 * ```
 */
export function useTakeover<TData = ConversationTakeover>(
  id: number | undefined,
  options: ChatQueryOptions<ConversationTakeover, TData> = {},
): UseQueryResult<TData, ChatApiError> {
  const { pollInterval } = options
  // The library's key, function and polling, typed for the caller's `select`.
  const base = takeoverQueryOptions(useChatConnection(), id, { pollInterval }) as UseQueryOptions<
    ConversationTakeover,
    ChatApiError,
    TData,
    QueryKey
  >
  return useQuery({ ...base, ...queryExtras(options) })
}
