'use client'
// useConversationMessages: a conversation's history in pages, plus the visitor's sends on their way.
import { type InfiniteData, type UseInfiniteQueryResult, useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef } from 'react'
import type { ChatApiError } from '../../core/errors'
import type { ChatMessage } from '../../core/session'
import type { ConversationMessage } from '../../core/types'
import { useChatClient } from '../provider/context'
import { chatKeys } from '../provider/keys'
import { type ConversationPollOptions, messagesInfiniteQueryOptions } from '../provider/options'
import { useOutgoingMessages } from './useAddMessages'
import { useConversation } from './useConversation'

export type { ChatMessage } from '../../core/session'

/** Options of {@link useConversationMessages}. */
export interface UseConversationMessagesOptions extends ConversationPollOptions {
  /** `false` keeps the messages (and the count it polls) from loading. Default `true`. */
  enabled?: boolean
  /** Messages per request, 1..100. Default 100. */
  pageSize?: number
}

/** The result of {@link useConversationMessages}. */
export type UseConversationMessagesResult = UseInfiniteQueryResult<
  InfiniteData<ConversationMessage[], number>,
  ChatApiError
> & {
  /** Oldest to newest: the stored history, then the visitor's sends that are not listed yet. */
  messages: ChatMessage[]
  /** `true` while the server holds messages not loaded yet. */
  hasMore: boolean
}

/**
 * A conversation's messages, oldest to newest, for display. The history loads in pages of
 * `pageSize`; after that, when the polled conversation reports more messages, only what is new is
 * fetched (pages already loaded are never refetched). The visitor's own sends appear at once, as
 * `pending`, then `sent` or `failed`.
 *
 * @example
 * ```tsx
 * const { messages } = useConversationMessages(conversationId)
 * return <ol>{messages.map((m) => <li key={m.key}>{m.message} {m.status !== 'sent' && m.status}</li>)}</ol>
 * ```
 */
export function useConversationMessages(
  id: number | undefined,
  { pageSize = 100, pollInterval, enabled }: UseConversationMessagesOptions = {},
): UseConversationMessagesResult {
  const queryClient = useQueryClient()
  const total = useConversation(id, {
    pollInterval,
    enabled,
    select: (conversation) => conversation.totalMessagesCount,
  }).data
  const query = useInfiniteQuery({ ...messagesInfiniteQueryOptions(useChatClient(), id, { pageSize }), enabled })
  const outbox = useOutgoingMessages(id)

  const pages = query.data?.pages
  const listed = useMemo(() => {
    const seen = new Set<number>()
    return (pages ?? []).flat().filter((message) => !seen.has(message.id) && Boolean(seen.add(message.id)))
  }, [pages])
  const loaded = pages?.reduce((count, page) => count + page.length, 0) ?? 0
  const lastPage = pages?.[pages.length - 1]

  // An empty page while the count says more: wait for the count to change, rather than loop.
  const stalledAt = useRef<number | undefined>(undefined)
  if (lastPage?.length === 0 && (pages?.length ?? 0) > 1) stalledAt.current ??= total
  else stalledAt.current = undefined
  const hasMore =
    query.status === 'success' &&
    (total === undefined ? lastPage?.length === pageSize : total > loaded) &&
    (stalledAt.current === undefined || stalledAt.current !== total)

  const { fetchNextPage, isFetching } = query
  const pageCount = pages?.length ?? 0
  // `pageCount` is a dependency too: a page can arrive without an `isFetching` render in between.
  // biome-ignore lint/correctness/useExhaustiveDependencies: pageCount re-runs the effect on purpose.
  useEffect(() => {
    if (hasMore && !isFetching) fetchNextPage().catch(() => {})
  }, [hasMore, isFetching, pageCount, fetchNextPage])

  // Sends that the history now lists are no longer needed in the mutation cache.
  useEffect(() => {
    const ids = new Set(listed.map((message) => message.id))
    for (const mutation of queryClient.getMutationCache().findAll({ mutationKey: chatKeys.addMessages(id) })) {
      const sent = mutation.state.data as ConversationMessage[] | undefined
      if (mutation.state.status === 'success' && sent?.every((message) => ids.has(message.id)))
        queryClient.getMutationCache().remove(mutation)
    }
  }, [listed, id, queryClient])

  const messages = useMemo(() => {
    const ids = new Set(listed.map((message) => message.id))
    const stored: ChatMessage[] = listed.map((message) => ({
      key: `message-${message.id}`,
      status: 'sent',
      id: message.id,
      message: message.message,
      author: message.author,
      creationTime: message.creationTime,
    }))
    const local: ChatMessage[] = outbox
      .filter((item) => !(item.sent && ids.has(item.sent.id)))
      .map((item) => ({
        key: item.key,
        status: item.status,
        id: item.sent?.id,
        message: item.message,
        author: item.sent?.author ?? item.author,
        creationTime: item.sent?.creationTime ?? item.creationTime,
        error: item.error,
        localId: item.localId,
      }))
    return [...stored, ...local]
  }, [listed, outbox])

  return { ...query, messages, hasMore }
}
