'use client'
// useMyConversations: the visitor's own conversations (history), from the server half.
import {
  type QueryClient,
  type QueryKey,
  queryOptions,
  type UseQueryOptions,
  type UseQueryResult,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query'
import { useEffect } from 'react'
import type { ChatConnection } from '../../core/connection'
import type { ChatApiError } from '../../core/errors'
import type { Conversation } from '../../core/types'
import { listMyConversations, type MyConversation } from '../../core/visitor'
import { useChatConnection } from '../provider/context'
import { type ChatQueryOptions, queryExtras, retryRead, retryReadDelay } from '../provider/options'

/**
 * The query key of {@link useMyConversations}: under `chatKeys.all`, so invalidating or removing
 * everything the library cached (after a sign-out, say) includes the history.
 */
export const myConversationsKey = () => ['socialboards-chat', 'myConversations'] as const

/** Options of {@link useMyConversations}: the query options every hook takes, without polling. */
export type UseMyConversationsOptions<TData = MyConversation[]> = Omit<
  ChatQueryOptions<MyConversation[], TData>,
  'pollInterval'
>

/** The history's own query options: read again when the window regains focus, transient failures retried. */
const myConversationsQueryOptions = (connection: ChatConnection) =>
  queryOptions<MyConversation[], ChatApiError>({
    queryKey: myConversationsKey(),
    queryFn: ({ signal }) => listMyConversations(connection, { signal }),
    refetchOnWindowFocus: true,
    retry: retryRead,
    retryDelay: retryReadDelay,
  })

/** Per QueryClient, one watcher however many hooks are mounted (each would refetch otherwise). */
const watchers = /* @__PURE__ */ new WeakMap<QueryClient, { count: number; stop: () => void }>()

/**
 * Refetches the history when the cache learns of a conversation it does not list (one was just
 * created: `useCreateConversation` and `useChatSession` both cache it under
 * `chatKeys.conversation(id)`), or of one whose open/closed state it shows wrong.
 */
function watch(queryClient: QueryClient): () => void {
  let watcher = watchers.get(queryClient)
  if (!watcher) {
    const key = myConversationsKey()
    const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== 'added' && event.type !== 'updated') return
      const [scope, kind, id, more] = event.query.queryKey as unknown[]
      if (scope !== key[0] || kind !== 'conversation' || typeof id !== 'number' || more !== undefined) return
      const list = queryClient.getQueryData<MyConversation[]>(key)
      const known = list?.find((item) => item.id === id)
      const conversation = event.query.state.data as Conversation | undefined
      // A new entry the list lacks (or a list still on its way, which may have left before it);
      // not every update of one it lacks: a list cut at 20 would be read again on every poll.
      const stale = known
        ? conversation !== undefined && conversation.isClosed !== known.isClosed
        : event.type === 'added' && (list !== undefined || queryClient.isFetching({ queryKey: key }) > 0)
      if (stale) void queryClient.invalidateQueries({ queryKey: key, exact: true })
    })
    const created = {
      count: 0,
      stop: () => {
        unsubscribe()
        watchers.delete(queryClient)
      },
    }
    watchers.set(queryClient, created)
    watcher = created
  }
  const current = watcher
  current.count++
  return () => {
    if (--current.count === 0) current.stop()
  }
}

/**
 * The visitor's own conversations, newest first (at most 20), for a "your conversations" list:
 * `GET {basePath}/visitor/conversations` of the server half (`createChatHandler`), which knows what
 * this browser, or the signed-in user on any browser, started. Read again when the window regains
 * focus and when a conversation is created here (by `useCreateConversation` or `useChatSession`).
 *
 * The Chat API itself has no such list: behind a provider with an `accessToken` the query fails
 * with a `validation` error and sends nothing. The mock API (`/mock`) does not serve it either;
 * put the handler in front of the mock, as the Storybook demos do.
 *
 * After `client.signOutVisitor()`, reset the history with everything else the library cached
 * (`queryClient.resetQueries({ queryKey: chatKeys.all })`): it was the previous visitor's, and a
 * mounted list shows the new visitor's at once (`removeQueries` would leave it on screen).
 *
 * @example
 * ```tsx
 * const { data: conversations = [] } = useMyConversations()
 * return conversations.map((item) => <li key={item.id}>{item.title ?? `Chat ${item.id}`}</li>)
 * ```
 */
export function useMyConversations<TData = MyConversation[]>(
  options: UseMyConversationsOptions<TData> = {},
): UseQueryResult<TData, ChatApiError> {
  const queryClient = useQueryClient()
  useEffect(() => watch(queryClient), [queryClient])
  const base = myConversationsQueryOptions(useChatConnection()) as UseQueryOptions<
    MyConversation[],
    ChatApiError,
    TData,
    QueryKey
  >
  return useQuery({ ...base, ...queryExtras(options) })
}
