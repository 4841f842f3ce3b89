// TanStack query and mutation options for every endpoint: keys, retries, polling and cache updates.
import {
  focusManager,
  type InfiniteData,
  infiniteQueryOptions,
  type QueryClient,
  queryOptions,
  skipToken,
  type UseMutationOptions,
} from '@tanstack/react-query'
import {
  addMessageContext,
  addMessages,
  changeTakeover,
  closeConversation,
  createConversation,
  getConversation,
  getTakeover,
  listMessages,
  updateFeedback,
  updateLatestUrl,
} from '../../core/calls'
import { DEFAULT_POLL_INTERVAL, pollDelay } from '../../core/chat-session/polling'
import type { ChatConnection } from '../../core/connection'
import { ChatApiError, isTransient } from '../../core/errors'
import type {
  AddMessageInput,
  ChangeTakeoverInput,
  Conversation,
  ConversationFeedback,
  ConversationMessage,
  ConversationTakeover,
  CreateConversationInput,
  FeedbackInput,
} from '../../core/types'
import {
  addMessageContextKey,
  addMessagesKey,
  changeTakeoverKey,
  type chatKeys,
  closeConversationKey,
  conversationKey,
  createConversationKey,
  messagesKey,
  takeoverKey,
  updateFeedbackKey,
  updateLatestUrlKey,
} from './keys'

export { DEFAULT_POLL_INTERVAL }

/** Reads are retried (twice) only when trying again can help: see {@link isTransient}. */
export function retryRead(failureCount: number, error: ChatApiError) {
  return isTransient(error) && failureCount < 2
}

/** TanStack's back-off (1 s, 2 s, 4 s … up to 30 s), but never sooner than the server's `Retry-After`. */
export function retryReadDelay(failureCount: number, error: ChatApiError) {
  return Math.max(Math.min(1000 * 2 ** failureCount, 30_000), (error?.retryAfter ?? 0) * 1000)
}

const readRetry = { retry: retryRead, retryDelay: retryReadDelay }

/** Calls `call` with the conversation id, or rejects (nothing sent) when there is none yet. */
function withId<T>(id: number | undefined, action: string, call: (id: number) => Promise<T>): Promise<T> {
  return id === undefined
    ? Promise.reject(
        new ChatApiError('validation', `${action}: no conversation id yet (the hook was given undefined)`, {
          code: 'no-conversation',
          issues: [{ path: 'id', code: 'required', message: 'is required' }],
        }),
      )
    : call(id)
}

const updateConversation = (queryClient: QueryClient, id: number, change: Partial<Conversation>) =>
  queryClient.setQueryData<Conversation>(conversationKey(id), (conversation) =>
    conversation ? { ...conversation, ...change } : conversation,
  )

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
 * Mutation options for creating a conversation, for `useMutation` or `queryClient` users who compose
 * TanStack Query themselves. No retry (a create is not idempotent); on success the conversation is
 * written to the cache under `chatKeys.conversation(id)`.
 */
export function createConversationMutationOptions(client: ChatConnection) {
  return {
    mutationKey: createConversationKey(),
    mutationFn: (input: CreateConversationInput) => createConversation(client, input),
    retry: false,
    onSuccess: (conversation, _input, _result, context) => {
      context.client.setQueryData(conversationKey(conversation.id), conversation)
    },
  } satisfies UseMutationOptions<Conversation, ChatApiError, CreateConversationInput>
}

/** What `useAddMessages` sends in one request. */
export interface AddMessagesVariables {
  messages: AddMessageInput[]
}

/** What `useAddMessageContext` sends: `{ messages }` like `useAddMessages` (a bare array is still accepted). */
export type AddMessageContextVariables = AddMessagesVariables | AddMessageInput[]

/**
 * Mutation options for sending messages. Sends of one conversation run one after another, in order
 * (a shared mutation `scope`); nothing is retried by itself. On success the cached conversation's
 * `totalMessagesCount` grows, so the messages query fetches what is new, in the server's order.
 */
export function addMessagesMutationOptions(client: ChatConnection, id: number | undefined) {
  return {
    mutationKey: addMessagesKey(id),
    mutationFn: ({ messages }: AddMessagesVariables) =>
      withId(id, 'addMessages', (known) => addMessages(client, known, messages)),
    // One queue per conversation; sends without an id fail at once and share nothing.
    ...(id === undefined ? {} : { scope: { id: `socialboards-chat:send:${id}` } }),
    retry: false,
    // Kept until the visitor retries or discards a failure; sent ones until the list has them.
    gcTime: Number.POSITIVE_INFINITY,
    // What was sent, not what was listed back: an answer may list fewer than it stored.
    onSuccess: (_sent, { messages }, _result, context) => {
      const conversation = context.client.getQueryData<Conversation>(conversationKey(id))
      if (conversation && id !== undefined)
        updateConversation(context.client, id, {
          totalMessagesCount: conversation.totalMessagesCount + messages.length,
        })
    },
  } satisfies UseMutationOptions<ConversationMessage[], ChatApiError, AddMessagesVariables>
}

/**
 * Mutation options for attaching earlier messages (imported history). Their times may fall anywhere
 * in the history, so the messages query starts over and the conversation is refetched.
 */
export function addMessageContextMutationOptions(client: ChatConnection, id: number | undefined) {
  return {
    mutationKey: addMessageContextKey(id),
    mutationFn: (input: AddMessageContextVariables) =>
      withId(id, 'addMessageContext', (known) =>
        addMessageContext(client, known, Array.isArray(input) ? input : input.messages),
      ),
    retry: false,
    onSuccess: async (_added, _messages, _result, context) => {
      await context.client.resetQueries({ queryKey: messagesKey(id) })
      await context.client.invalidateQueries({ queryKey: conversationKey(id), exact: true })
    },
  } satisfies UseMutationOptions<ConversationMessage[], ChatApiError, AddMessageContextVariables>
}

/** Mutation options for changing the takeover state; the cached takeover and conversation follow. */
export function changeTakeoverMutationOptions(client: ChatConnection, id: number | undefined) {
  return {
    mutationKey: changeTakeoverKey(id),
    mutationFn: (input: ChangeTakeoverInput) =>
      withId(id, 'changeTakeover', (known) => changeTakeover(client, known, input)),
    retry: false,
    onSuccess: async (takeover, _input, _result, context) => {
      context.client.setQueryData(takeoverKey(id), takeover)
      await context.client.invalidateQueries({ queryKey: conversationKey(id), exact: true })
    },
  } satisfies UseMutationOptions<ConversationTakeover, ChatApiError, ChangeTakeoverInput>
}

/** Mutation options for the client's feedback; the cached conversation shows it at once. */
export function updateFeedbackMutationOptions(client: ChatConnection, id: number | undefined) {
  return {
    mutationKey: updateFeedbackKey(id),
    mutationFn: (input: FeedbackInput) => withId(id, 'updateFeedback', (known) => updateFeedback(client, known, input)),
    retry: false,
    onSuccess: (feedback, _input, _result, context) => {
      if (id !== undefined) updateConversation(context.client, id, { feedback })
    },
  } satisfies UseMutationOptions<ConversationFeedback, ChatApiError, FeedbackInput>
}

/** Mutation options for the visitor's current page (path unconfirmed, see `ChatClient.updateLatestUrl`). */
export function updateLatestUrlMutationOptions(client: ChatConnection, id: number | undefined) {
  return {
    mutationKey: updateLatestUrlKey(id),
    mutationFn: (url: string) => withId(id, 'updateLatestUrl', (known) => updateLatestUrl(client, known, url)),
    retry: false,
    onSuccess: (_nothing, url, _result, context) => {
      if (id !== undefined) updateConversation(context.client, id, { latestPageUrl: url })
    },
  } satisfies UseMutationOptions<void, ChatApiError, string>
}

/**
 * Mutation options for closing (path unconfirmed, see `ChatClient.closeConversation`). The cached
 * conversation is marked closed, which stops its polling.
 */
export function closeConversationMutationOptions(client: ChatConnection, id: number | undefined) {
  return {
    mutationKey: closeConversationKey(id),
    mutationFn: () => withId(id, 'closeConversation', (known) => closeConversation(client, known)),
    retry: false,
    onSuccess: async (_nothing, _input, _result, context) => {
      await context.client.cancelQueries({ queryKey: conversationKey(id), exact: true })
      if (id !== undefined) updateConversation(context.client, id, { isClosed: true })
    },
  } satisfies UseMutationOptions<void, ChatApiError, void>
}
