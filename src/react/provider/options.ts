// TanStack query options shared by the hooks: retries, polling, and the conversation and message queries.
// Each mutation's options live in its endpoint's module (src/core/endpoints) and its hook's file.
import { focusManager, type InfiniteData, infiniteQueryOptions, queryOptions, skipToken } from '@tanstack/react-query'
import { DEFAULT_POLL_INTERVAL, pollDelay } from '../../core/chat-session/polling'
import type { ChatConnection } from '../../core/connection'
import { conversationKey } from '../../core/endpoints/endpoint'
import { getConversation } from '../../core/endpoints/getConversation'
import { listMessages, messagesKey } from '../../core/endpoints/messages'
import { type ChatApiError, isTransient } from '../../core/errors'
import type { Conversation, ConversationMessage } from '../../core/types'
import type { chatKeys } from './keys'

export { DEFAULT_POLL_INTERVAL }

/** Reads are retried (twice) only when trying again can help: see {@link isTransient}. */
export function retryRead(failureCount: number, error: ChatApiError) {
  return isTransient(error) && failureCount < 2
}

/** TanStack's back-off (1 s, 2 s, 4 s … up to 30 s), but never sooner than the server's `Retry-After`. */
export function retryReadDelay(failureCount: number, error: ChatApiError) {
  return Math.max(Math.min(1000 * 2 ** failureCount, 30_000), (error?.retryAfter ?? 0) * 1000)
}

/** @internal The retry policy of every read. */
export const readRetry = { retry: retryRead, retryDelay: retryReadDelay }

/**
 * The options every query hook takes: `enabled`, `select`, `pollInterval`, and the TanStack query
 * options that make sense for this API (the query key, function and retry policy stay the library's).
 */
export interface ChatQueryOptions<TQueryData, TData = TQueryData> extends ConversationPollOptions {
  /** `false` keeps the query from running. Default `true` (once the conversation id is known). */
  enabled?: boolean
  /** Derives what the component needs; it re-renders only when that changes. */
  select?: (data: TQueryData) => TData
  /** Milliseconds the data counts as fresh. TanStack's default. */
  staleTime?: number
  /** Milliseconds unused data stays cached. TanStack's default. */
  gcTime?: number
  /** Refetch when the window regains focus. TanStack's default (`true`). */
  refetchOnWindowFocus?: boolean
  /** Throw errors to the nearest error boundary. Default `false`. */
  throwOnError?: boolean
  /** Stored on the query, for the app's own QueryCache callbacks. */
  meta?: Record<string, unknown>
}

/** The TanStack options of a {@link ChatQueryOptions}, ready to spread into `useQuery`. */
export function queryExtras<TQueryData, TData>({
  enabled,
  select,
  staleTime,
  gcTime,
  refetchOnWindowFocus,
  throwOnError,
  meta,
}: ChatQueryOptions<TQueryData, TData>) {
  const picked = { enabled, select, staleTime, gcTime, refetchOnWindowFocus, throwOnError, meta }
  return Object.fromEntries(Object.entries(picked).filter(([, value]) => value !== undefined)) as Partial<typeof picked>
}

/** When each conversation query last saw its data change (the data keeps its object while equal). */
const lastChange = /* @__PURE__ */ new WeakMap<object, { data: unknown; at: number }>()

/** Options of {@link conversationQueryOptions} and `useConversation`. */
export interface ConversationPollOptions {
  /**
   * Milliseconds between refetches while the conversation is open and changing; `false` turns
   * polling off. It slows to 15 s once nothing has changed for a minute or the visitor waits far
   * back in the queue, to 30 s behind a healthy realtime stream; it stops once the conversation is
   * closed; in a hidden tab it goes on at the 15 s idle pace (so unread replies still arrive). Default {@link DEFAULT_POLL_INTERVAL}.
   */
  pollInterval?: number | false
}

/**
 * Query options for one conversation (without messages), polled while it is open. `id` may be
 * `undefined` (not created yet): the query then waits.
 */
export function conversationQueryOptions(
  client: ChatConnection,
  id: number | undefined,
  {
    pollInterval = DEFAULT_POLL_INTERVAL,
    streamHealthy,
  }: ConversationPollOptions & {
    /** `true` while a realtime stream follows the conversation: polling is then a 30 s safety net. */
    streamHealthy?: () => boolean
  } = {},
) {
  return queryOptions<Conversation, ChatApiError>({
    queryKey: conversationKey(id),
    queryFn: id === undefined ? skipToken : ({ signal }) => getConversation(client, id, { signal }),
    refetchInterval: (query) => {
      const data = query.state.data
      // Quiet once the data has stayed the same for a while (it keeps its object while equal).
      const now = Date.now()
      const seen = lastChange.get(query)
      if (!seen || seen.data !== data) lastChange.set(query, { data, at: now })
      return pollDelay({
        interval: pollInterval,
        isClosed: data?.isClosed,
        streamHealthy: streamHealthy?.(),
        quietFor: seen && seen.data === data ? now - seen.at : 0,
        queuePosition: data?.queuePositionInfo?.position,
        hidden: !focusManager.isFocused(), // #24 attention: a hidden tab still hears of replies, at the idle pace
      })
    },
    // #24 attention: TanStack pauses intervals in hidden tabs by default; unread replies must still arrive.
    refetchIntervalInBackground: true,
    ...readRetry,
  })
}

/**
 * Infinite query options for a conversation's messages, newest first: the first page is the latest
 * `pageSize` (at most 100) messages, and each next page the `pageSize` before everything loaded
 * (`orderBy=creation_time_desc`, `skip`, `take`). Each page lists newest to oldest, as the API does.
 * `useConversationMessages` adds live messages to the first page; pages are never refetched on their own.
 */
export function messagesInfiniteQueryOptions(
  client: ChatConnection,
  id: number | undefined,
  { pageSize = 100 }: { pageSize?: number } = {},
) {
  return infiniteQueryOptions<
    ConversationMessage[],
    ChatApiError,
    InfiniteData<ConversationMessage[], number>,
    ReturnType<typeof chatKeys.messages>,
    number
  >({
    queryKey: messagesKey(id),
    queryFn:
      id === undefined
        ? skipToken
        : ({ pageParam, signal }) =>
            listMessages(client, id, { orderBy: 'creation_time_desc', skip: pageParam, take: pageSize, signal }),
    initialPageParam: 0,
    // Older messages start after everything loaded (the first page grows with live messages).
    getNextPageParam: (lastPage, pages) =>
      lastPage.length < pageSize ? undefined : pages.reduce((count, page) => count + page.length, 0),
    structuralSharing: keepMessages as (
      previous: unknown,
      next: unknown,
    ) => InfiniteData<ConversationMessage[], number>,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    ...readRetry,
  })
}

/**
 * Structural sharing by message id, not by array index: a page that grew at its front (live
 * messages) or a refetch whose offsets moved keeps every unchanged message's object, so views and
 * memoised rows built on them stay too. Pages kept as they were cost nothing.
 */
function keepMessages(
  previous: InfiniteData<ConversationMessage[], number> | undefined,
  next: InfiniteData<ConversationMessage[], number>,
): InfiniteData<ConversationMessage[], number> {
  if (!previous?.pages || !next?.pages) return next
  const kept = new Set(next.pages)
  let known: Map<number, ConversationMessage> | undefined
  const pages = next.pages.map((page) => {
    if (kept.has(page) && previous.pages.includes(page)) return page
    if (!known) {
      known = new Map()
      for (const old of previous.pages) if (!kept.has(old)) for (const message of old) known.set(message.id, message)
    }
    let changed = false
    const shared = page.map((message) => {
      const old = known?.get(message.id)
      const same =
        old !== undefined &&
        old.message === message.message &&
        old.creationTime === message.creationTime &&
        old.lastModifiedTime === message.lastModifiedTime &&
        old.author?.id === message.author?.id
      if (!same || old === message) return message
      changed = true
      return old
    })
    return changed ? shared : page
  })
  return { ...next, pages }
}
