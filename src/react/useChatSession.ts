'use client'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ChatApiError } from '../core/errors'
import type {
  Conversation,
  ConversationFeedback,
  CreateConversationInput,
  FeedbackInput,
  UserValue,
} from '../core/types'
import { browserStorage, type ChatSessionStorage, createMemoryStorage, withStartLock } from './sessionStorage'
import { useCloseConversation } from './useCloseConversation'
import { useConversation } from './useConversation'
import { type ChatMessage, useConversationMessages } from './useConversationMessages'
import { useCreateConversation } from './useCreateConversation'
import { type QueuePosition, useQueuePosition } from './useQueuePosition'
import { isSameMessage, useSessionOutbox } from './useSessionOutbox'
import { useTakeover } from './useTakeover'
import { useUpdateFeedback } from './useUpdateFeedback'

/** Where the session stands. */
export type ChatSessionStatus = 'idle' | 'starting' | 'queued' | 'with-bot' | 'with-agent' | 'closed' | 'error'

/** Why a session went back to `idle` on its own. */
export interface ChatSessionEndReason {
  /** `closed`: the stored conversation had been closed; `missing`: the server no longer has it. */
  kind: 'closed' | 'missing'
  conversationId: number
  error?: ChatApiError
}

/** Options of {@link useChatSession}. */
export interface UseChatSessionOptions {
  /** The visitor: author of the conversation and of every message sent with `send`. */
  author: UserValue
  /** The rest of the new conversation (title, url, sentiment, `isBotEnabled`, …). */
  conversation?: Omit<CreateConversationInput, 'author'>
  /**
   * Where the conversation id is kept across reloads. Default: `localStorage` when the browser
   * allows it, else memory. Read only after mount, never during a server render.
   */
  storage?: ChatSessionStorage
  /** The key in `storage`. Default `"socialboards-chat-react:session"`. */
  storageKey?: string
  /** Milliseconds between polls of the open conversation. Default as `useConversation`. */
  pollInterval?: number
  /** Milliseconds before a message is tried again after a transient failure (doubling, up to 30 s). Default 1000. */
  retryDelay?: number
  /**
   * Milliseconds to wait after an attempt whose fate is unknown (no answer, a timeout, a 5xx) before
   * looking for the message on the server, so a request still in flight can land first. Default 3000.
   */
  recheckDelay?: number
}

/** What {@link useChatSession} returns. */
export interface ChatSession {
  status: ChatSessionStatus
  conversationId: number | undefined
  conversation: Conversation | undefined
  /** Oldest to newest, each `sent`, `pending` or `failed`. */
  messages: ChatMessage[]
  queue: QueuePosition | null
  /** The error behind `status: 'error'`. */
  error: ChatApiError | null
  /** Why the session went back to `idle` by itself (a stored conversation closed or gone). */
  endReason: ChatSessionEndReason | null
  /** Starts the conversation (or joins the one another tab just started). */
  start(input?: Omit<CreateConversationInput, 'author'>): Promise<Conversation>
  /** Sends text as the visitor; before the conversation exists it is started first, then sent. */
  send(text: string): void
  /** Sends a failed message again (`ChatMessage.localId`). */
  retry(localId: number): void
  /** Forgets a failed message. */
  discard(localId: number): void
  leaveFeedback(input: FeedbackInput): Promise<ConversationFeedback>
  /** Closes the conversation on the server. */
  close(): Promise<void>
  /** Forgets this conversation here (it stays on the server): back to `idle`. */
  reset(): void
}

interface Stored {
  conversationId: number
  isBotEnabled: boolean
}

const parse = (raw: string | null): Stored | null => {
  try {
    const value = raw ? JSON.parse(raw) : null
    return value && Number.isSafeInteger(value.conversationId) && value.conversationId > 0
      ? { conversationId: value.conversationId, isBotEnabled: value.isBotEnabled === true }
      : null
  } catch {
    return null
  }
}

/**
 * A whole support chat for one visitor in one hook, composed from the lifecycle hooks: it starts
 * (or resumes after a reload) the visitor's conversation, derives a status, lists the messages and
 * sends new ones, in order. Two tabs sharing the storage share the conversation.
 *
 * @example
 * ```tsx
 * const chat = useChatSession({ author: { name: 'Ada', email: 'ada@example.com' } })
 * if (chat.status === 'queued') return <p>You are number {chat.queue?.position} in the queue.</p>
 * chat.send('Hello!') // starts the conversation first when there is none
 * ```
 */
export function useChatSession(options: UseChatSessionOptions): ChatSession {
  const { author, pollInterval, storageKey = 'socialboards-chat-react:session' } = options
  const latest = useRef(options)
  latest.current = options

  // Storage is resolved and read after mount only: nothing touches it during a server render.
  const [storage, setStorage] = useState<ChatSessionStorage | null>(null)
  const [stored, setStored] = useState<Stored | null>(null)
  const resumedId = useRef<number | undefined>(undefined)
  const verified = useRef(false)
  const [endReason, setEndReason] = useState<ChatSessionEndReason | null>(null)

  useEffect(() => {
    const target = latest.current.storage ?? browserStorage() ?? createMemoryStorage()
    setStorage(target)
    const read = () => {
      const value = parse(target.getItem(storageKey))
      setStored((current) => (current?.conversationId === value?.conversationId ? current : value))
      return value
    }
    const initial = read()
    resumedId.current = initial?.conversationId
    verified.current = false
    return target.subscribe?.(storageKey, read)
  }, [storageKey])

  const id = stored?.conversationId
  const create = useCreateConversation()
  const conversation = useConversation(id, { pollInterval })
  const queue = useQueuePosition(id, { pollInterval })
  const takeover = useTakeover(id, { enabled: stored?.isBotEnabled === true })
  const list = useConversationMessages(id, { pollInterval })
  const outbox = useSessionOutbox({
    conversationId: id,
    author,
    storage,
    storageKey: `${storageKey}:outbox`,
    retryDelay: options.retryDelay ?? 1000,
    recheckDelay: options.recheckDelay ?? 3000,
  })
  const feedback = useUpdateFeedback(id)
  const closer = useCloseConversation(id)

  // Letting a conversation go drops what was still waiting for it: it has nowhere left to go.
  const { clear } = outbox
  const forget = useCallback(
    (reason: ChatSessionEndReason | null) => {
      storage?.removeItem(storageKey)
      resumedId.current = undefined
      setStored(null)
      setEndReason(reason)
      clear()
    },
    [storage, storageKey, clear],
  )

  // A resumed conversation that is gone, or was closed before this visit, is let go.
  const { data, error } = conversation
  useEffect(() => {
    if (id === undefined || id !== resumedId.current || verified.current) return
    if (data) {
      verified.current = true
      if (data.isClosed) forget({ kind: 'closed', conversationId: id })
    } else if (error && (error.kind === 'api' || (error.kind === 'http' && error.status === 404)))
      forget({ kind: 'missing', conversationId: id, error })
  }, [id, data, error, forget])

  // For a conversation another tab started: what the cache holds, or a stand-in until it is fetched.
  const cached = useRef(conversation.data)
  cached.current = conversation.data
  const { mutateAsync: createAsync } = create
  const [starting, setStarting] = useState(0)
  const start = useCallback(
    (input?: Omit<CreateConversationInput, 'author'>) => {
      setStarting((n) => n + 1)
      return withStartLock(`${storageKey}:start`, async () => {
        // Another tab may have started one while this one waited for the lock.
        const existing = parse(storage?.getItem(storageKey) ?? null)
        if (existing) {
          setStored(existing)
          const known = cached.current
          return known?.id === existing.conversationId ? known : ({ id: existing.conversationId } as Conversation)
        }
        const details = { ...latest.current.conversation, ...input }
        const created = await createAsync({ ...details, author: latest.current.author })
        const value = { conversationId: created.id, isBotEnabled: details.isBotEnabled === true }
        storage?.setItem(storageKey, JSON.stringify(value))
        setEndReason(null)
        setStored(value)
        return created
      }).finally(() => setStarting((n) => n - 1))
    },
    [createAsync, storage, storageKey],
  )

  // Text written before the conversation exists waits in the outbox until it does.
  const { add } = outbox
  const send = useCallback(
    (text: string) => {
      add(text)
      if (id === undefined && !starting) start().catch(() => {})
    },
    [id, add, start, starting],
  )

  const { mutateAsync: leaveFeedbackAsync } = feedback
  const { mutateAsync: closeAsync } = closer
  const { reset: resetCreate } = create
  const reset = useCallback(() => {
    forget(null)
    resetCreate()
  }, [forget, resetCreate])

  // The outbox's messages that the history does not show yet, after it; listed ones leave the outbox.
  const listedEntries = useMemo(
    () =>
      outbox.entries.filter((entry) =>
        list.messages.some((message) => message.status === 'sent' && isSameMessage(message, entry)),
      ),
    [outbox.entries, list.messages],
  )
  const { discard } = outbox
  useEffect(() => {
    for (const entry of listedEntries) if (entry.sent) discard(entry.localId)
  }, [listedEntries, discard])
  const messages = useMemo(() => {
    const waiting = outbox.entries
      .filter((entry) => !listedEntries.includes(entry))
      .map(
        (entry): ChatMessage => ({
          key: `outbox-${entry.localId}`,
          status: entry.failed ? 'failed' : entry.sent ? 'sent' : 'pending',
          message: entry.message,
          author,
          creationTime: entry.creationTime,
          localId: entry.localId,
        }),
      )
    return [...list.messages, ...waiting]
  }, [list.messages, outbox.entries, listedEntries, author])

  const status: ChatSessionStatus =
    id === undefined
      ? starting > 0
        ? 'starting'
        : create.isError
          ? 'error'
          : 'idle'
      : conversation.data?.isClosed
        ? 'closed'
        : !conversation.data
          ? conversation.isError
            ? 'error'
            : 'starting'
          : stored?.isBotEnabled && takeover.data?.isAssignedToBot
            ? 'with-bot'
            : queue.data?.isWithAgent
              ? 'with-agent'
              : 'queued'

  return {
    status,
    conversationId: id,
    conversation: conversation.data,
    messages,
    queue: queue.data ?? null,
    error: (id === undefined ? create.error : conversation.error) ?? null,
    endReason,
    start,
    send,
    retry: outbox.retry,
    discard: outbox.discard,
    leaveFeedback: (input) => leaveFeedbackAsync(input),
    close: () => closeAsync(),
    reset,
  }
}
