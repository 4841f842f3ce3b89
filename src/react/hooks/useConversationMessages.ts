'use client'
// useConversationMessages: a conversation's latest messages, older ones on request, live ones as they come, and the sends on their way.
import {
  type InfiniteData,
  type QueryClient,
  type UseInfiniteQueryResult,
  useInfiniteQuery,
  useQueryClient,
} from '@tanstack/react-query'
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, version } from 'react'
import { entryViews, messageView } from '../../core/chat-session/history'
import type { ChatConnection } from '../../core/connection'
import { listMessages, messagesKey } from '../../core/endpoints/messages'
import type { ChatApiError } from '../../core/errors'
import { type ChatMessage, listNewest, messageRole, outgoingMessage, storedMessage } from '../../core/messages'
import type { Conversation, ConversationMessage, User } from '../../core/types'
import { useChatConnection } from '../provider/context'
import { type ConversationPollOptions, messagesInfiniteQueryOptions } from '../provider/options'
import { useMessageOutbox } from '../provider/outboxes'
import { useConversation } from './useConversation'

export type { ChatMessage, MessageRole } from '../../core/messages'

/** Options of {@link useConversationMessages}. */
export interface UseConversationMessagesOptions extends ConversationPollOptions {
  /** `false` keeps the messages (and the count it polls) from loading. Default `true`. */
  enabled?: boolean
  /** Messages per request, 1..100: the first page, and each `loadOlder`. Default 100. */
  pageSize?: number
}

type Pages = InfiniteData<ConversationMessage[], number>

/** The result of {@link useConversationMessages}. */
export type UseConversationMessagesResult = UseInfiniteQueryResult<Pages, ChatApiError> & {
  /**
   * Oldest to newest: the history loaded so far, then the visitor's sends the history does not list
   * yet. A message's object stays the same while it is unchanged, so memoised rows do not re-render.
   */
  messages: ChatMessage[]
  /** `true` while the server holds older messages than those loaded: show a "load older" control. */
  hasOlder: boolean
  /**
   * Loads the `pageSize` messages before the oldest loaded. Resolves when they are shown (rendered,
   * before paint), so a scroll position can be restored right after; inside React 18's `act`, which
   * renders nothing until its callback settles, when they are fetched.
   */
  loadOlder: () => Promise<void>
  /** `true` while older messages load. */
  isLoadingOlder: boolean
  /** @deprecated The same as `hasOlder`. */
  hasMore: boolean
}

// Runs after React has put the rendered list in the DOM, before paint (a plain effect on the server, where it never runs).
const useCommitEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect

// React 18's `act` renders nothing until its callback settles: a `loadOlder` awaited inside it must not wait for the page.
const actHoldsRenders = () =>
  version.startsWith('18.') && (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT === true

/** What the list needs of the polled conversation: its count, its author (for roles), whether it is still polled. */
const listFacts = (conversation: Conversation) => ({
  total: conversation.totalMessagesCount,
  author: conversation.author,
  isClosed: conversation.isClosed,
})

/** Per messages query: the count its pages are known to be in step with, and a catch-up in flight. */
const progress = /* @__PURE__ */ new WeakMap<
  object,
  { total: number; running?: Promise<void>; again?: boolean; recheckAfter?: number }
>()

/**
 * Brings the newest page up to `total`: fetches the latest messages page by page until it reaches
 * one already loaded (O(new), not O(history)) and puts them in front of the first page.
 */
async function catchUp(queryClient: QueryClient, client: ChatConnection, id: number, total: number, pageSize: number) {
  const query = queryClient.getQueryCache().find({ queryKey: messagesKey(id), exact: true })
  if (!query) return
  const state = progress.get(query) ?? { total: -1 }
  progress.set(query, state)
  if (state.total === total) return
  if (state.running) {
    state.again = true
    return state.running
  }
  const run = async () => {
    const first = queryClient.getQueryData<Pages>(messagesKey(id))?.pages[0]
    if (!first) return
    const known = new Set(first.map((message) => message.id))
    const listed = await listNewest(
      (page) => listMessages(client, id, page),
      (seen) => known.has(seen),
      pageSize,
    )
    const arrived = listed.filter((message) => !known.has(message.id))
    state.total = total
    if (!arrived.length) return
    queryClient.setQueryData<Pages>(messagesKey(id), (data) => {
      if (!data?.pages.length) return data
      const [newest = [], ...older] = data.pages
      const ids = new Set(newest.map((message) => message.id))
      const added = arrived.filter((message) => !ids.has(message.id))
      return added.length ? { ...data, pages: [[...added, ...newest], ...older] } : data
    })
  }
  state.running = run()
    .catch(() => {}) // the next count change, or poll, tries again
    .finally(() => {
      state.running = undefined
      if (state.again) {
        state.again = false
        void catchUp(queryClient, client, id, total, pageSize)
      }
    })
  return state.running
}

/**
 * A conversation's messages for display, oldest to newest. The latest page loads first (one
 * request, however long the history); `loadOlder()` fetches the page before, for scrollback. When
 * the polled conversation reports more messages, only what is new is fetched and added at the end.
 * The visitor's sends through `useAddMessages` appear at once, as `pending`, then `sent` or `failed`.
 * Each message says who wrote it (`role`).
 *
 * @example
 * ```tsx
 * const { messages, hasOlder, loadOlder } = useConversationMessages(conversationId)
 * return (
 *   <ol>
 *     {hasOlder && <button onClick={loadOlder}>Older messages</button>}
 *     {messages.map((m) => <li key={m.key} className={m.role}>{m.message} {m.status !== 'sent' && m.status}</li>)}
 *   </ol>
 * )
 * ```
 */
export function useConversationMessages(
  id: number | undefined,
  { pageSize = 100, pollInterval, enabled }: UseConversationMessagesOptions = {},
): UseConversationMessagesResult {
  const client = useChatConnection()
  const queryClient = useQueryClient()
  const facts = useConversation(id, { pollInterval, enabled, select: listFacts })
  const total = facts.data?.total
  const author = facts.data?.author
  const query = useInfiniteQuery({ ...messagesInfiniteQueryOptions(client, id, { pageSize }), enabled })
  const { snapshot } = useMessageOutbox(id)
  const pages = query.data?.pages

  // The count grew (a poll, a hint, a send): fetch what is new. A first page read after the count
  // is in step with it. One read at the same time as the count (both on mount) most likely is too:
  // the next read of the conversation checks once, so mounting stays one request, and a message
  // that arrived between the two reads shows within one poll. With polling off, or a closed
  // conversation (no longer polled), no next read comes, so such a page is checked at once.
  const conversationAt = facts.dataUpdatedAt
  const pagesAt = query.dataUpdatedAt
  const polls = pollInterval !== false && facts.data?.isClosed !== true
  useEffect(() => {
    if (id === undefined || total === undefined || !query.isSuccess || query.isFetching) return
    const cached = queryClient.getQueryCache().find({ queryKey: messagesKey(id), exact: true })
    if (!cached) return
    const state = progress.get(cached)
    if (!state) {
      const inStep = pagesAt >= conversationAt
      progress.set(
        cached,
        inStep || polls ? { total, recheckAfter: inStep ? undefined : conversationAt } : { total: -1 },
      )
      if (inStep || polls) return
    }
    if (state?.recheckAfter !== undefined && conversationAt > state.recheckAfter) {
      state.recheckAfter = undefined
      if (!state.running) state.total = -1
    }
    void catchUp(queryClient, client, id, total, pageSize)
  }, [id, total, query.isSuccess, query.isFetching, pagesAt, conversationAt, queryClient, client, pageSize, polls])

  // One view per message per visitor, kept while the message is: a new message costs one view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: another visitor gives each message another role.
  const views = useMemo(
    () => ({
      messages: new WeakMap<ConversationMessage, ChatMessage>(),
      pages: new WeakMap<ConversationMessage[], ChatMessage[]>(),
    }),
    [author],
  )
  // The visitor's sends: one view per entry (its role from its own author, against the conversation's).
  const outgoing = useMemo(
    () =>
      entryViews((entry) =>
        outgoingMessage(
          entry,
          {},
          entry.author ? messageRole(entry.author, [author as User | undefined, entry.author]) : 'visitor',
        ),
      ),
    [author],
  )
  const history = useMemo(() => {
    if (!pages) return []
    const role = (source: ConversationMessage) => messageRole(source.author, [author as User | undefined])
    const lists: ChatMessage[][] = []
    for (let index = pages.length - 1; index >= 0; index--) {
      const page = pages[index] as ConversationMessage[]
      let list = views.pages.get(page)
      if (!list) {
        // A page fetched after messages arrived unseen repeats the newer page's last ones: skip those.
        const newer = index > 0 ? new Set((pages[index - 1] as ConversationMessage[]).map((m) => m.id)) : undefined
        list = []
        for (let at = page.length - 1; at >= 0; at--) {
          const source = page[at] as ConversationMessage
          if (newer?.has(source.id)) continue
          let view = views.messages.get(source)
          if (!view) {
            view = storedMessage(source, role(source))
            views.messages.set(source, view)
          }
          list.push(view)
        }
        views.pages.set(page, list)
      }
      lists.push(list)
    }
    return lists.length === 1 ? (lists[0] as ChatMessage[]) : ([] as ChatMessage[]).concat(...lists)
  }, [pages, views, author])

  // THE message view the session shows too: the history, then the sends it does not list yet.
  const messages = useMemo(() => {
    const listed = new Set(history.map((message) => message.id))
    return messageView(history, snapshot.entries, (serverId) => listed.has(serverId), outgoing) as ChatMessage[]
  }, [history, snapshot, outgoing])

  const { fetchNextPage, hasNextPage, isFetchingNextPage } = query
  const loaded = pages?.reduce((count, page) => count + page.length, 0) ?? 0
  const hasOlder = query.isSuccess && hasNextPage && (total === undefined || loaded < total)
  // `loadOlder` settles once its page is in the DOM (TanStack Query tells React of a fetched page in
  // a task of its own, after the fetch's promise): an app can keep its scroll position right after.
  const shown = useRef<{ pages?: Pages['pages']; wake: (() => void)[] }>({ wake: [] })
  useCommitEffect(() => {
    shown.current.pages = pages
    for (const wake of shown.current.wake.splice(0)) wake()
  }, [pages])
  // Unmounted: nothing will be shown, no one waits.
  useEffect(() => {
    const current = shown.current
    return () => {
      current.pages = undefined
      for (const wake of current.wake.splice(0)) wake()
    }
  }, [])
  const loadOlder = useCallback(async () => {
    if (!hasOlder || isFetchingNextPage) return
    const fetched = (await fetchNextPage()).data?.pages
    const page = fetched?.[fetched.length - 1]
    // Until the list shows its page, or is another list altogether (refetched, reset, unmounted).
    const waits = (list = shown.current.pages) =>
      page && list && !list.includes(page) && list.some((known) => fetched?.includes(known))
    while (waits() && !actHoldsRenders()) await new Promise<void>((wake) => shown.current.wake.push(wake))
  }, [hasOlder, isFetchingNextPage, fetchNextPage])

  return { ...query, messages, hasOlder, hasMore: hasOlder, loadOlder, isLoadingOlder: isFetchingNextPage }
}
