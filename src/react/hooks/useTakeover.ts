'use client'
// useTakeover: whether a bot or a human has the conversation, and its query options.
import {
  type QueryKey,
  queryOptions,
  skipToken,
  type UseQueryOptions,
  type UseQueryResult,
  useQuery,
} from '@tanstack/react-query'
import type { ChatConnection } from '../../core/connection'
import { type ConversationTakeover, getTakeover, takeoverKey } from '../../core/endpoints/takeover'
import type { ChatApiError } from '../../core/errors'
import { useChatConnection } from '../provider/context'
import { type ChatQueryOptions, type ConversationPollOptions, queryExtras, readRetry } from '../provider/options'

/** Query options for a conversation's takeover state; polled only when `pollInterval` is given. */
export function takeoverQueryOptions(
  client: ChatConnection,
  id: number | undefined,
  { pollInterval = false }: ConversationPollOptions = {},
) {
  return queryOptions<ConversationTakeover, ChatApiError>({
    queryKey: takeoverKey(id),
    queryFn: id === undefined ? skipToken : ({ signal }) => getTakeover(client, id, { signal }),
    refetchInterval: pollInterval,
    ...readRetry,
  })
}

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
