'use client'
// useChatSession: the core chat session store (createChatSession) adapted to React.
import { QueryClientContext } from '@tanstack/react-query'
import { useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import type { CreateConversationInput } from '../../core/endpoints'
import { conversationKey, A as ROOT_KEY } from '../../core/endpoints/endpoint'
import {
  type ChatSessionActions,
  type ChatSessionEvents,
  type ChatSessionOptions,
  type ChatSessionState,
  type ChatSessionStore,
  createChatSession,
} from '../../core/session'
import type { ChatSessionStorage } from '../../core/storage'
import type { Conversation, UserValue } from '../../core/types'
import { ChatRealtimeContext, useSessionClient } from '../provider/context'

export type { ChatSessionEndReason, ChatSessionStatus } from '../../core/session'

/** Options of {@link useChatSession}. */
export interface UseChatSessionOptions
  extends Pick<
      ChatSessionOptions,
      | 'pollInterval'
      | 'retryDelay'
      | 'recheckDelay'
      | 'landingWindow'
      | 'realtime'
      | 'trackPages'
      | 'page'
      | 'availability' // #24
      | 'afterClose'
      | 'online'
      | 'visibility'
    >,
    ChatSessionEvents {
  /**
   * The visitor: author of the conversation and of every message sent with `send`. Without any
   * identifier (`id`, `email`, `customIdentifier`), or without `author` at all, the visitor is
   * anonymous: a generated `customIdentifier` (a random UUID) is kept in `storage` and reused.
   */
  author?: UserValue
  /** The rest of the new conversation (title, url, sentiment, `isBotEnabled`, …). */
  conversation?: Omit<CreateConversationInput, 'author'>
  /**
   * Where the conversation id and unsent messages are kept across reloads. Default: `localStorage`
   * when the browser allows it, else memory. Read only after mount, never during a server render.
   * Read when the session starts: a new `storageKey` (or timing option) starts a new session, a new
   * storage object alone does not.
   */
  storage?: ChatSessionStorage
  /** The key in `storage`. Default `"socialboards-chat-react:session"`. */
  storageKey?: string
}

/** What {@link useChatSession} returns: the session's state and its actions. */
export interface ChatSession extends ChatSessionState, ChatSessionActions {}

/** What a session shows before it exists (the server render, the first client render). */
const IDLE: ChatSessionState = {
  status: 'idle',
  conversationId: undefined,
  conversation: undefined,
  messages: [],
  hasOlder: false,
  isLoadingOlder: false,
  unreadCount: 0,
  queue: null,
  error: null,
  endReason: null,
  previousConversationId: undefined,
  persistError: null,
  availability: { open: true, nextOpening: null, repliesByEmail: false }, // #24 availability
}
const none = () => () => {}
const idle = () => IDLE

/**
 * A whole support chat for one visitor in one hook: it starts (or resumes after a reload) the
 * visitor's conversation, derives a status, lists the messages and sends new ones, each stored
 * once, in order. Two tabs sharing the storage share the conversation. The protocol lives in the
 * framework-free `createChatSession` (`socialboards-chat-react/core`); this hook adapts it.
 *
 * @example
 * ```tsx
 * const chat = useChatSession({ author: { name: 'Ada', email: 'ada@example.com' } })
 * if (chat.status === 'queued') return <p>You are number {chat.queue?.position} in the queue.</p>
 * chat.send('Hello!') // starts the conversation first when there is none
 * ```
 */
export function useChatSession(options: UseChatSessionOptions): ChatSession {
  const {
    author,
    conversation: details,
    storageKey,
    pollInterval,
    retryDelay,
    recheckDelay,
    landingWindow,
    trackPages,
    afterClose,
    onMessage,
    onStatusChange,
    onAgentJoined,
    onClosed,
    onError,
  } = options
  const client = useSessionClient()
  const providerRealtime = useContext(ChatRealtimeContext)
  const realtime = options.realtime ?? providerRealtime
  // The app's QueryClient, if it has one: a widget on this hook alone needs none.
  const queryClient = useContext(QueryClientContext)
  const [session, setSession] = useState<ChatSessionStore | null>(null)

  // Created after mount (storage is never touched during a server render), destroyed on unmount.
  // The storage is read when the session starts (a new storageKey starts a new one): an inline
  // `storage: createMemoryStorage()` must not start a new session on every render.
  // biome-ignore lint/correctness/useExhaustiveDependencies: author, details and callbacks are passed on by the next effects; storage, page, online and visibility are read at start.
  useEffect(() => {
    const created = createChatSession({ ...options, client, realtime })
    setSession(created)
    return () => created.destroy()
  }, [client, storageKey, pollInterval, retryDelay, recheckDelay, landingWindow, realtime, trackPages, afterClose])
  useEffect(() => session?.update({ author, conversation: details }), [session, author, details])
  // The latest callbacks, without restarting anything: inline functions are fine.
  useEffect(() => session?.update({ onMessage, onStatusChange, onAgentJoined, onClosed, onError }))

  const state = useSyncExternalStore(session?.subscribe ?? none, session?.getSnapshot ?? idle, idle)

  // The lifecycle hooks mounted beside the session read the same conversation from the cache.
  useEffect(() => {
    if (state.conversation) queryClient?.setQueryData(conversationKey(state.conversation.id), state.conversation)
  }, [queryClient, state.conversation])

  // Before the session exists (the first render), what the visitor does waits for it: nothing is dropped.
  const [early, setEarly] = useState<((session: ChatSessionStore) => void)[]>([])
  useEffect(() => {
    if (!session || !early.length) return
    for (const action of early) action(session)
    setEarly([])
  }, [session, early])
  const later = useCallback(
    (action: (session: ChatSessionStore) => void) => {
      if (session) action(session)
      else setEarly((waiting) => [...waiting, action])
    },
    [session],
  )

  const actions = useMemo<ChatSessionActions>(
    () => ({
      start: (input) =>
        session
          ? session.start(input)
          : new Promise<Conversation>((resolve, reject) => later((ready) => ready.start(input).then(resolve, reject))),
      send: (text) => later((ready) => ready.send(text)),
      retry: (localId) => later((ready) => ready.retry(localId)),
      discard: (localId) => later((ready) => ready.discard(localId)),
      leaveFeedback: (input) =>
        session ? session.leaveFeedback(input) : Promise.reject(new Error('useChatSession: not started yet')),
      close: () => (session ? session.close() : Promise.reject(new Error('useChatSession: not started yet'))),
      reset: () => later((ready) => ready.reset()),
      signOut: () => {
        // What the app's queries cached of the visitor who leaves goes too (their history, their conversations).
        const forgetCache = () => {
          void queryClient?.resetQueries({ queryKey: [ROOT_KEY] }) // chatKeys.all, without the key table
        }
        const done = session
          ? session.signOut()
          : new Promise<void>((resolve, reject) => later((ready) => ready.signOut().then(resolve, reject)))
        return done.finally(forgetCache)
      },
      loadOlder: () => (session ? session.loadOlder() : Promise.resolve()),
      markSeen: () => later((ready) => ready.markSeen()),
      requestHuman: () =>
        session ? session.requestHuman() : Promise.reject(new Error('useChatSession: not started yet')),
      open: (conversationId) =>
        session
          ? session.open(conversationId)
          : new Promise<void>((resolve, reject) => later((ready) => ready.open(conversationId).then(resolve, reject))),
      trackPage: (url) =>
        session
          ? session.trackPage(url)
          : new Promise<void>((resolve, reject) => later((ready) => ready.trackPage(url).then(resolve, reject))),
    }),
    [session, later, queryClient],
  )
  return useMemo(() => ({ ...state, ...actions }), [state, actions])
}
