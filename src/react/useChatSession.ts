'use client'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ChatApiError } from '../core/errors'
import { defaultLock } from '../core/outbox'
import { asStorageError, browserStorage, type ChatSessionStorage, createMemoryStorage } from '../core/storage'
import type {
  Conversation,
  ConversationFeedback,
  CreateConversationInput,
  FeedbackInput,
  UserValue,
} from '../core/types'
import { useChatClient } from './context'
import { useCloseConversation } from './useCloseConversation'
import { useConversation } from './useConversation'
import { type ChatMessage, useConversationMessages } from './useConversationMessages'
import { useCreateConversation } from './useCreateConversation'
import { type QueuePosition, useQueuePosition } from './useQueuePosition'
import { useSessionOutbox } from './useSessionOutbox'
import { useTakeover } from './useTakeover'
import { useUpdateFeedback } from './useUpdateFeedback'

/** Where the session stands. */
export type ChatSessionStatus = 'idle' | 'starting' | 'queued' | 'with-bot' | 'with-agent' | 'closed' | 'error'

/**
 * Why a session went back to `idle` on its own. Only a definite answer lets a stored conversation
 * go (the server reports it closed, or answers HTTP 404); any other error keeps it and tries again.
 */
export interface ChatSessionEndReason {
  /** `closed`: the stored conversation had been closed; `missing`: the server answered 404 for it. */
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
   * Milliseconds between looks at the server for a message whose send had an unknown fate (no
   * answer, a timeout, a 5xx, a reload mid-send). Default 2000.
   */
  recheckDelay?: number
  /**
   * How late a send may land on the server and still be recognised instead of sent again, in
   * milliseconds from when it left. A send whose fate is unknown is repeated only after this long,
   * once the latest messages do not show it. Default 30000. See "Nothing lost, nothing twice" in the README.
   */
  landingWindow?: number
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
  /**
   * Why the session could not save to its storage (a full quota, blocked storage), or `null`.
   * Nothing is lost meanwhile (it is kept in memory and still sent), but a reload would lose
   * unsent messages: a UI can warn.
   */
  persistError: Error | null
  /** Starts the conversation (or joins the one another tab just started). */
  start(input?: Omit<CreateConversationInput, 'author'>): Promise<Conversation>
  /** Sends text as the visitor; before the conversation exists it is started first, then sent. */
  send(text: string): void
  /** Sends a failed message again (`ChatMessage.localId`), starting a new conversation if the old one ended. */
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
  /** Server minus local clock (ms) when the conversation was created: seeds the clock after a reload. */
  clockOffset?: number
}

const parse = (raw: string | null): Stored | null => {
  try {
    const value = raw ? JSON.parse(raw) : null
    return value && Number.isSafeInteger(value.conversationId) && value.conversationId > 0
      ? {
          conversationId: value.conversationId,
          isBotEnabled: value.isBotEnabled === true,
          ...(Number.isFinite(value.clockOffset) ? { clockOffset: value.clockOffset } : {}),
        }
      : null
  } catch {
    return null
  }
}

/** Reads storage; a storage that throws reads as empty. */
const read = (storage: ChatSessionStorage | null, key: string) => {
  try {
    return parse(storage?.getItem(key) ?? null)
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
  const client = useChatClient()
  const [storeError, setStoreError] = useState<Error | null>(null)

  // Storage is resolved and read after mount only: nothing touches it during a server render.
  const [storage, setStorage] = useState<ChatSessionStorage | null>(null)
  const [stored, setStored] = useState<Stored | null>(null)
  const resumedId = useRef<number | undefined>(undefined)
  const verified = useRef(false)
  const [endReason, setEndReason] = useState<ChatSessionEndReason | null>(null)

  useEffect(() => {
    const target = latest.current.storage ?? browserStorage() ?? createMemoryStorage()
    setStorage(target)
    const sync = () => {
      const value = read(target, storageKey)
      setStored((current) => (current?.conversationId === value?.conversationId ? current : value))
      return value
    }
    const initial = sync()
    if (initial?.clockOffset !== undefined) client.clock.seed(initial.clockOffset)
    resumedId.current = initial?.conversationId
    verified.current = false
    return target.subscribe?.(storageKey, sync)
  }, [storageKey, client])

  /** Writes (or removes, with `null`) the stored conversation; a refusing storage is reported, never thrown. */
  const write = useCallback(
    (value: Stored | null) => {
      try {
        if (value) storage?.setItem(storageKey, JSON.stringify(value))
        else storage?.removeItem(storageKey)
        setStoreError(null)
      } catch (error) {
        setStoreError(asStorageError(error))
      }
    },
    [storage, storageKey],
  )

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
    retryDelay: options.retryDelay,
    recheckInterval: options.recheckDelay,
    landingWindow: options.landingWindow,
  })
  const feedback = useUpdateFeedback(id)
  const closer = useCloseConversation(id)

  // Letting a conversation go never drops what was waiting for it: those messages stay, failed,
  // with the reason, for the visitor to send into a new chat or discard.
  const engine = outbox.outbox
  const forget = useCallback(
    (reason: ChatSessionEndReason | null) => {
      write(null)
      resumedId.current = undefined
      setStored(null)
      setEndReason(reason)
      engine?.abandon(
        reason?.kind === 'closed'
          ? 'The conversation had ended before this message was sent'
          : reason?.kind === 'missing'
            ? 'The conversation no longer exists'
            : 'The chat was reset before this message was sent',
      )
    },
    [write, engine],
  )

  // A resumed conversation is let go only on a definite answer: closed, or HTTP 404. Any other
  // error (a 5xx, an error envelope, no answer) keeps it, and the polling query tries again.
  const { data, error } = conversation
  useEffect(() => {
    if (id === undefined || id !== resumedId.current || verified.current) return
    if (data) {
      verified.current = true
      if (data.isClosed) forget({ kind: 'closed', conversationId: id })
    } else if (error?.kind === 'http' && error.status === 404) forget({ kind: 'missing', conversationId: id, error })
  }, [id, data, error, forget])

  // For a conversation another tab started: what the cache holds, or a stand-in until it is fetched.
  const cached = useRef(conversation.data)
  cached.current = conversation.data
  const { mutateAsync: createAsync } = create
  const [starting, setStarting] = useState(0)
  const start = useCallback(
    (input?: Omit<CreateConversationInput, 'author'>) => {
      setStarting((n) => n + 1)
      return defaultLock(`${storageKey}:start`, async () => {
        // Another tab may have started one while this one waited for the lock.
        const existing = read(storage, storageKey)
        if (existing) {
          setStored(existing)
          const known = cached.current
          return known?.id === existing.conversationId ? known : ({ id: existing.conversationId } as Conversation)
        }
        const details = { ...latest.current.conversation, ...input }
        const created = await createAsync({ ...details, author: latest.current.author })
        const value: Stored = { conversationId: created.id, isBotEnabled: details.isBotEnabled === true }
        if (client.clock.offset !== undefined) value.clockOffset = client.clock.offset
        write(value)
        setEndReason(null)
        setStored(value)
        return created
      }).finally(() => setStarting((n) => n - 1))
    },
    [createAsync, storage, storageKey, write, client],
  )

  // Text written before the conversation exists waits in the outbox until it does.
  const startIfNeeded = useCallback(() => {
    if (id === undefined && !starting) start().catch(() => {})
  }, [id, start, starting])
  // Written before the outbox exists (it is created after mount): held here, never dropped.
  const early = useRef<string[]>([])
  useEffect(() => {
    if (!engine) return
    for (const text of early.current.splice(0)) engine.add(text)
  }, [engine])
  const send = useCallback(
    (text: string) => {
      if (engine) engine.add(text)
      else early.current.push(text)
      startIfNeeded()
    },
    [engine, startIfNeeded],
  )
  const retry = useCallback(
    (localId: number) => {
      engine?.retry(localId)
      startIfNeeded()
    },
    [engine, startIfNeeded],
  )
  const discard = useCallback((localId: number) => engine?.discard(localId), [engine])

  const { mutateAsync: leaveFeedbackAsync } = feedback
  const { mutateAsync: closeAsync } = closer
  const { reset: resetCreate } = create
  const reset = useCallback(() => {
    forget(null)
    resetCreate()
  }, [forget, resetCreate])

  // The outbox's messages that the history does not list yet come after it; listed ones leave the outbox.
  const listedIds = useMemo(
    () => new Set(list.messages.flatMap((message) => (message.id === undefined ? [] : [message.id]))),
    [list.messages],
  )
  useEffect(() => engine?.acknowledge(listedIds), [engine, listedIds])
  const messages = useMemo(() => {
    const waiting = outbox.entries
      .filter((entry) => !(entry.sent && listedIds.has(entry.sent.id)))
      .map(
        (entry): ChatMessage => ({
          key: `outbox-${entry.localId}`,
          status: entry.failed ? 'failed' : entry.sent ? 'sent' : 'pending',
          id: entry.sent?.id,
          message: entry.message,
          author,
          creationTime: entry.creationTime ?? new Date(entry.writtenAt).toISOString(),
          localId: entry.localId,
        }),
      )
    return [...list.messages, ...waiting]
  }, [list.messages, outbox.entries, listedIds, author])

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
    persistError: outbox.persistError ?? storeError,
    start,
    send,
    retry,
    discard,
    leaveFeedback: (input) => leaveFeedbackAsync(input),
    close: () => closeAsync(),
    reset,
  }
}
