// A visitor's whole chat as a framework-free store: start or resume, poll, send through the outbox, close.
import type { ChatClient } from './client'
import { ChatApiError, isTransient } from './errors'
import { type ChatMessage, listNewest, messageRole, outgoingMessage, storedMessage } from './messages'
import { createOutbox, defaultLock, type Lock, type OnlineSignal, type OutboxEntry, type Timers } from './outbox'
import { randomId } from './random'
import { asStorageError, browserStorage, type ChatSessionStorage, createMemoryStorage } from './storage'
import type {
  Conversation,
  ConversationFeedback,
  ConversationMessage,
  ConversationTakeover,
  CreateConversationInput,
  FeedbackInput,
  UserValue,
} from './types'

/** How often an open conversation is polled by default, in milliseconds. */
export const DEFAULT_POLL_INTERVAL = 4000

/** The storage key a session uses unless told otherwise. */
export const DEFAULT_SESSION_KEY = 'socialboards-chat-react:session'

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

/** Where a conversation stands in the queue. */
export interface QueuePosition {
  /** Place in the queue, or `-1` when an agent is handling the conversation. */
  position: number
  /** Approximate wait in minutes; `null` when the server gives none. */
  waitTime: number | null
  /** `true` once an agent has the conversation (`position` -1). */
  isWithAgent: boolean
}

/** The queue state a conversation reports, or `null` when it reports none. */
export function toQueuePosition(conversation: Conversation): QueuePosition | null {
  const info = conversation.queuePositionInfo
  if (!info) return null
  return { position: info.position, waitTime: info.waitTime ?? null, isWithAgent: info.position === -1 }
}

export type { ChatMessage } from './messages'

/** What {@link sessionStatus} derives the status from. */
export interface SessionFacts {
  /** The conversation the session holds, if any. */
  conversationId: number | undefined
  /** A start is under way. */
  starting: boolean
  /** The last start failed. */
  startFailed: boolean
  /** The conversation as last read, if it has been. */
  conversation: Conversation | undefined
  /** Reading the conversation failed and nothing has been read yet. */
  readFailed: boolean
  /** The conversation was started with a bot. */
  isBotEnabled: boolean
  takeover: ConversationTakeover | undefined
}

/**
 * The session's status, from its facts alone:
 * no conversation → `starting` while a start runs, `error` if the last one failed, else `idle`;
 * a conversation not read yet → `error` if reading it failed, else `starting`;
 * then `closed`, `with-bot` (a bot conversation its bot still has), `with-agent` (queue position
 * -1), else `queued`.
 */
export function sessionStatus(facts: SessionFacts): ChatSessionStatus {
  if (facts.conversationId === undefined) return facts.starting ? 'starting' : facts.startFailed ? 'error' : 'idle'
  const conversation = facts.conversation
  if (!conversation) return facts.readFailed ? 'error' : 'starting'
  if (conversation.isClosed) return 'closed'
  if (facts.isBotEnabled && facts.takeover?.isAssignedToBot) return 'with-bot'
  if (conversation.queuePositionInfo?.position === -1) return 'with-agent'
  return 'queued'
}

/** Whether the page is shown; polling pauses while it is not. */
export interface VisibilitySignal {
  isVisible(): boolean
  subscribe(listener: () => void): () => void
}

/** The document's visibility where there is a document; always visible elsewhere. */
function documentVisibility(): VisibilitySignal | undefined {
  const document = (globalThis as { document?: Document }).document
  if (!document?.addEventListener) return undefined
  return {
    isVisible: () => document.visibilityState !== 'hidden',
    subscribe: (listener) => {
      document.addEventListener('visibilitychange', listener)
      return () => document.removeEventListener('visibilitychange', listener)
    },
  }
}

/** What a realtime stream tells: a message was added, the takeover changed, or the conversation closed. */
export type RealtimeHint = 'message' | 'takeover' | 'closed'

/**
 * Opens a conversation's hint stream (the server half's `…/events`). `onOpen` when it is healthy,
 * `onError` when it is not (it may reconnect by itself and open again), `onHint` per hint.
 * Returns what closes it.
 */
export interface RealtimeConnector {
  connect(
    conversationId: number,
    handlers: { onHint(kind: RealtimeHint): void; onOpen(): void; onError(): void },
  ): () => void
}

/**
 * The browser's `EventSource` on `{baseURL}chat/conversations/{id}/events`, with the cookie. When
 * the stream fails it is reopened with back-off (1 s, doubling to 30 s, reset once open), carrying
 * the last event id it saw (`?lastEventId=`), so nothing is missed across reconnects.
 */
export function eventSourceConnector(
  baseURL: string,
  timers: Timers = globalThis as unknown as Timers,
): RealtimeConnector {
  return {
    connect(conversationId, { onHint, onOpen, onError }) {
      const EventSourceClass = (globalThis as { EventSource?: typeof EventSource }).EventSource
      if (!EventSourceClass) {
        onError()
        return () => {}
      }
      let source: EventSource | undefined
      let lastEventId = ''
      let delay = 1000
      let retry: unknown
      let closed = false
      const open = () => {
        const query = lastEventId ? `?lastEventId=${encodeURIComponent(lastEventId)}` : ''
        source = new EventSourceClass(`${baseURL}chat/conversations/${conversationId}/events${query}`, {
          withCredentials: true,
        })
        source.onopen = () => {
          delay = 1000
          onOpen()
        }
        source.onerror = () => {
          onError()
          // Closed by the server or refused: reopen ourselves, later each time.
          source?.close()
          if (closed) return
          retry = timers.setTimeout(open, delay)
          delay = Math.min(delay * 2, 30_000)
        }
        for (const kind of ['message', 'takeover', 'closed'] as const)
          source.addEventListener(kind, (event) => {
            lastEventId = (event as MessageEvent).lastEventId || lastEventId
            onHint(kind)
          })
      }
      open()
      return () => {
        closed = true
        timers.clearTimeout(retry)
        source?.close()
      }
    },
  }
}

/** While a realtime stream is healthy, polling is only a safety net: this often, in milliseconds. */
export const SAFETY_NET_INTERVAL = 30_000
/** Polling slows to this when nothing has happened for a minute, or the visitor waits far back in the queue. */
export const IDLE_POLL_INTERVAL = 15_000
/** After this long with nothing new, polling counts as quiet and slows down. */
export const QUIET_AFTER_MS = 60_000
const RECENT_MS = QUIET_AFTER_MS

/** The page the visitor is on, for page tracking: its URL and news when it changes. */
export interface PageSignal {
  current(): string | undefined
  subscribe(listener: () => void): () => void
}

/** The browser's location: the Navigation API's changes where there is one, else back/forward and hash changes. */
function browserPage(): PageSignal | undefined {
  const scope = globalThis as {
    location?: Location
    addEventListener?: typeof addEventListener
    removeEventListener?: typeof removeEventListener
    navigation?: EventTarget
  }
  if (!scope.location || !scope.addEventListener) return undefined
  return {
    current: () => scope.location?.href,
    subscribe(listener) {
      const navigation = scope.navigation
      if (navigation) {
        navigation.addEventListener('currententrychange', listener)
        return () => navigation.removeEventListener('currententrychange', listener)
      }
      scope.addEventListener?.('popstate', listener)
      scope.addEventListener?.('hashchange', listener)
      return () => {
        scope.removeEventListener?.('popstate', listener)
        scope.removeEventListener?.('hashchange', listener)
      }
    },
  }
}

/** What a session tells as it happens: for launcher badges, sounds and analytics. */
export interface ChatSessionEvents {
  /**
   * Each new agent or bot message, once: never for history loaded on resume, never twice (not
   * across re-renders, nor across tabs sharing the storage: the first tab to see it tells, under the
   * tabs' lock). It comes a moment after the message shows.
   */
  onMessage?: (message: ChatMessage) => void
  /** The status changed. */
  onStatusChange?: (status: ChatSessionStatus, previous: ChatSessionStatus) => void
  /** An agent took the conversation (from the queue or from the bot). */
  onAgentJoined?: () => void
  /** The open conversation was closed (by the agent, or by `close()`). */
  onClosed?: () => void
  /** Something failed: a start, a read of the conversation, or one of the visitor's messages. */
  onError?: (error: ChatApiError) => void
}

/** Options of {@link createChatSession}. */
export interface ChatSessionOptions extends ChatSessionEvents {
  client: ChatClient
  /**
   * The visitor: author of the conversation and of every message sent with `send`. Without any
   * identifier (`id`, `email`, `customIdentifier`), an anonymous visitor gets a generated
   * `customIdentifier` (a random UUID), kept in `storage` and reused, so a returning visitor is
   * the same person to the API.
   */
  author?: UserValue
  /**
   * Sends the page the visitor is on: its URL with the create (when `conversation.url` is not
   * given), then each later change (history navigation) while the chat is open, never the same
   * URL twice in a row. Default `false`.
   */
  trackPages?: boolean
  /** Where `trackPages` reads the page. Default: the browser's location. */
  page?: PageSignal
  /** The rest of a new conversation (title, url, sentiment, `isBotEnabled`, …). */
  conversation?: Omit<CreateConversationInput, 'author'>
  /**
   * Where the conversation id and the unsent messages are kept across reloads. Default:
   * `localStorage` when the environment allows it, else memory.
   */
  storage?: ChatSessionStorage
  /** The key in `storage`. Default `"socialboards-chat-react:session"`. */
  storageKey?: string
  /**
   * Milliseconds between polls of the open conversation while something is happening (a minute
   * after the visitor sent or anything arrived); `false` turns polling off. Default 4000. Idle, or
   * waiting far back in the queue, it slows to 15 s; with a healthy realtime stream, to 30 s.
   */
  pollInterval?: number | false
  /**
   * Hints pushed by the server half (`createChatHandler` with webhooks): each one refreshes at once,
   * so a reply shows within one round trip. `true`: the browser's `EventSource` on this client's
   * base URL; or a connector of your own. Default off.
   */
  realtime?: boolean | RealtimeConnector
  /** Milliseconds before a message is tried again after a transient failure (doubling, up to 30 s). Default 1000. */
  retryDelay?: number
  /** Milliseconds between looks at the server for a send whose fate is unknown. Default 2000. */
  recheckDelay?: number
  /**
   * How late a send may land and still be recognised instead of sent again, from when it left.
   * Default 30000. Behind the server half (the client's `idempotencyKeys`), a send that got no
   * answer at all is not waited for: it goes again after `retryDelay` with the same key, stored once.
   */
  landingWindow?: number
  /** One start and one sender at a time. Default: Web Locks where the browser has them, else an in-page queue. */
  lock?: Lock
  /** Whether the network is up. Default: always. */
  online?: OnlineSignal
  /** Whether the page is shown; polling pauses while hidden. Default: the document's, where there is one. */
  visibility?: VisibilitySignal
  /** Default: the global timers. */
  timers?: Timers
  /** Local clock, epoch ms. Default `Date.now`. */
  now?: () => number
}

/** Everything a chat UI shows. A new object only when something in it changed. */
export interface ChatSessionState {
  status: ChatSessionStatus
  conversationId: number | undefined
  conversation: Conversation | undefined
  /** Oldest to newest: the newest stored messages, then the visitor's own still on their way. */
  messages: readonly ChatMessage[]
  /** `true` while the server holds older messages than those loaded: `loadOlder()` fetches them. */
  hasOlder: boolean
  /** `true` while older messages load. */
  isLoadingOlder: boolean
  /**
   * Agent and bot messages not yet seen (`markSeen()`). Kept in storage with the conversation, so
   * it survives reloads and is shared by tabs. History loaded on a resume without a seen mark counts as seen.
   */
  unreadCount: number
  queue: QueuePosition | null
  /** The error behind `status: 'error'`, or the last failed read of an open conversation. */
  error: ChatApiError | null
  /** Why the session went back to `idle` by itself (a stored conversation closed or gone). */
  endReason: ChatSessionEndReason | null
  /**
   * Why the session could not save to its storage (a full quota, blocked storage), or `null`.
   * Nothing is lost meanwhile (it is kept in memory and still sent), but a reload would lose
   * unsent messages: a UI can warn.
   */
  persistError: Error | null
}

/** What a session can do. */
export interface ChatSessionActions {
  /** Starts the conversation, or joins the one another tab started; resolves with it. */
  start(input?: Omit<CreateConversationInput, 'author'>): Promise<Conversation>
  /** Sends text as the visitor; never throws. Before a conversation exists one is started first. */
  send(text: string): void
  /** Sends a failed message again, starting a new conversation if the old one ended. */
  retry(localId: number): void
  /** Forgets a failed (or not yet sent) message. */
  discard(localId: number): void
  leaveFeedback(input: FeedbackInput): Promise<ConversationFeedback>
  /** Closes the conversation on the server. */
  close(): Promise<void>
  /** Forgets this conversation here (it stays on the server): back to `idle`. Unsent messages stay, failed. */
  reset(): void
  /** Loads the page of messages before the oldest loaded (scrollback). */
  loadOlder(): Promise<void>
  /** Marks every message shown as seen: `unreadCount` goes to 0, here and in other tabs. */
  markSeen(): void
  /**
   * Asks for a human: hands the bot conversation to an agent (takeover). Resolves with the
   * server's answer; the status follows (`with-bot` → `queued` or `with-agent`).
   */
  requestHuman(): Promise<ConversationTakeover>
  /**
   * Sends the page the visitor is on as the conversation's latest URL, unless it is the one sent
   * last. Before the conversation exists it is kept, and sent once there is one.
   */
  trackPage(url: string): Promise<void>
}

/** A chat session: a store (`getSnapshot`, `subscribe`) with actions. */
export interface ChatSessionStore extends ChatSessionActions {
  getSnapshot(): ChatSessionState
  subscribe(listener: () => void): () => void
  /** Takes a new author, new-conversation details (for the next start and sends) or new event callbacks. */
  update(
    changes: { author?: UserValue; conversation?: Omit<CreateConversationInput, 'author'> } & ChatSessionEvents,
  ): void
  /** Stops polling, sending and listening. */
  destroy(): void
}

interface Stored {
  conversationId: number
  isBotEnabled: boolean
  /** Server minus local clock (ms) when the conversation was created: seeds the clock after a reload. */
  clockOffset?: number
}

const parseStored = (raw: string | null): Stored | null => {
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

const PAGE = 100
/** How long a tab that told of a message keeps the announce lock: longer than a browser takes to show its storage write to other tabs. */
const STORAGE_SETTLE_MS = 500

const EVENTS = ['onMessage', 'onStatusChange', 'onAgentJoined', 'onClosed', 'onError'] as const
const OPEN = new Set<ChatSessionStatus>(['queued', 'with-bot', 'with-agent'])

/** A message's place in time: server time (ms), then id. */
type Mark = [number, number]
/** How far the visitor has seen, and how far new messages were told, in one conversation. */
interface Marks {
  conversationId: number
  seen?: Mark
  announced?: Mark
}
const isMark = (value: unknown): value is Mark =>
  Array.isArray(value) && value.length === 2 && value.every((part) => Number.isFinite(part))
const parseMarks = (raw: string | null): Marks | null => {
  try {
    const value = raw ? JSON.parse(raw) : null
    if (!value || !Number.isSafeInteger(value.conversationId)) return null
    return {
      conversationId: value.conversationId,
      ...(isMark(value.seen) ? { seen: value.seen } : {}),
      ...(isMark(value.announced) ? { announced: value.announced } : {}),
    }
  } catch {
    return null
  }
}
const markOf = (message: ChatMessage): Mark => [Date.parse(message.creationTime ?? '') || 0, message.id ?? 0]
const after = (mark: Mark, than: Mark | undefined) =>
  !than || mark[0] > than[0] || (mark[0] === than[0] && mark[1] > than[1])

/**
 * The visitor as the API will know them. Without any identifier (`id`, `email`,
 * `customIdentifier`), a generated `customIdentifier` kept in storage under `key` (made once, then
 * reused), so the API's rule is met and a returning visitor is the same person.
 */
function identify(
  author: UserValue,
  storage: ChatSessionStorage,
  key: string,
  onStoreError: (error: Error) => void,
): UserValue {
  if (author.isBot || author.id || author.email || author.customIdentifier) return author
  let generated: string | null = null
  try {
    generated = storage.getItem(key)
  } catch {
    // Read below as missing: a new identifier, kept in memory.
  }
  if (!generated) {
    generated = randomId()
    try {
      storage.setItem(key, generated)
    } catch (error) {
      onStoreError(asStorageError(error))
    }
  }
  return { ...author, customIdentifier: generated }
}
const byTime = (a: ChatMessage, b: ChatMessage) =>
  Date.parse(a.creationTime ?? '') - Date.parse(b.creationTime ?? '') || (a.id ?? 0) - (b.id ?? 0)

const ENDED = {
  closed: 'The conversation had ended before this message was sent',
  missing: 'The conversation no longer exists',
  reset: 'The chat was reset before this message was sent',
}

/**
 * A visitor's whole support chat, framework-free. It starts the conversation on the first message
 * (or joins the one another tab started), resumes it after a reload (letting it go only when the
 * server says it is closed or gone), polls it while it is open and the page is shown, lists the
 * newest messages and fetches only what is new, and sends the visitor's messages through the
 * outbox (see `createOutbox`): each stored once, in order. React's `useChatSession` is a thin
 * adapter over it; so can any other framework be.
 *
 * @example
 * ```ts
 * const session = createChatSession({ client, author: { name: 'Ada', email: 'ada@example.com' } })
 * session.subscribe(() => render(session.getSnapshot()))
 * session.send('Hello!') // starts the conversation first
 * ```
 */
export function createChatSession(options: ChatSessionOptions): ChatSessionStore {
  const { client } = options
  const storageKey = options.storageKey ?? DEFAULT_SESSION_KEY
  const storage = options.storage ?? browserStorage() ?? createMemoryStorage()
  const timers = options.timers ?? (globalThis as unknown as Timers)
  const lock = options.lock ?? defaultLock
  const visibility = options.visibility ?? documentVisibility()
  const pollInterval = options.pollInterval ?? DEFAULT_POLL_INTERVAL
  const page = options.trackPages ? (options.page ?? browserPage()) : undefined
  const events: ChatSessionEvents = {}
  const listen = (changes: ChatSessionEvents) => {
    for (const name of EVENTS) if (name in changes) events[name] = changes[name] as never
  }
  listen(options)
  let storeError: Error | null = null
  let author = identify(options.author ?? {}, storage, `${storageKey}:visitor`, (error) => {
    storeError = error
  })
  let details = options.conversation

  const outbox = createOutbox({
    client,
    author,
    storage,
    key: `${storageKey}:outbox`,
    lock,
    online: options.online,
    timers,
    now: options.now,
    retryDelay: options.retryDelay,
    recheckInterval: options.recheckDelay,
    landingWindow: options.landingWindow,
  })

  let alive = true
  let stored: Stored | null = null
  let resumedId: number | undefined
  let verified = false
  let starting = 0
  let startError: ChatApiError | null = null
  let conversation: Conversation | undefined
  let readError: ChatApiError | null = null
  let takeover: ConversationTakeover | undefined
  let endReason: ChatSessionEndReason | null = null
  /** The conversation started in this session (its first messages are news, not history). */
  let startedHere: number | undefined
  /** The newest message the visitor has seen, from storage. */
  let seen: Mark | undefined
  let loadingOlder = false
  /** The URL last sent (or given with the create), and the one wanted. */
  let lastUrl: string | undefined
  let wantedUrl: string | undefined
  const reportedFailures = new Set<number>()
  /** Stored messages by id; each ChatMessage object is kept while its message is unchanged. */
  let history = new Map<number, { source: ConversationMessage; view: ChatMessage }>()
  let historyList: ChatMessage[] = []
  let historyTotal = -1

  const listeners = new Set<() => void>()
  const outgoing = new WeakMap<OutboxEntry, ChatMessage>()
  let messages: ChatMessage[] = []
  let messagesFrom: { history: ChatMessage[]; entries: readonly OutboxEntry[] } | undefined
  let snapshot: ChatSessionState

  const currentId = () => stored?.conversationId
  const connector = options.realtime === true ? eventSourceConnector(client.baseURL) : options.realtime || undefined
  let disconnect: (() => void) | undefined
  let streamId: number | undefined
  let healthy = false
  const now = options.now ?? Date.now
  let lastActivity = now()
  const activity = () => {
    lastActivity = now()
  }

  /** The visitor's messages on their way, after the history; one object per unchanged entry. */
  const listMessages = () => {
    const entries = outbox.getSnapshot().entries
    if (messagesFrom?.history === historyList && messagesFrom.entries === entries) return messages
    const waiting = entries
      .filter((entry) => !(entry.sent && history.has(entry.sent.id)))
      .map((entry) => {
        let view = outgoing.get(entry)
        if (!view) {
          view = outgoingMessage(entry, author)
          outgoing.set(entry, view)
        }
        return view
      })
    messagesFrom = { history: historyList, entries }
    messages = waiting.length ? [...historyList, ...waiting] : historyList
    return messages
  }

  const build = (): ChatSessionState => {
    const id = currentId()
    return {
      status: sessionStatus({
        conversationId: id,
        starting: starting > 0,
        startFailed: startError !== null,
        conversation,
        readFailed: readError !== null,
        isBotEnabled: stored?.isBotEnabled === true,
        takeover,
      }),
      conversationId: id,
      conversation,
      messages: listMessages(),
      hasOlder: historyTotal > history.size,
      isLoadingOlder: loadingOlder,
      unreadCount: unread(),
      queue: conversation ? toQueuePosition(conversation) : null,
      error: id === undefined ? startError : readError,
      endReason,
      persistError: outbox.getSnapshot().persistError ?? storeError,
    }
  }

  const sameQueue = (a: QueuePosition | null, b: QueuePosition | null) =>
    a === b || (a !== null && b !== null && a.position === b.position && a.waitTime === b.waitTime)

  const publish = () => {
    const next = build()
    const previous = snapshot
    if (
      previous &&
      (Object.keys(next) as (keyof ChatSessionState)[]).every((key) =>
        key === 'queue' ? sameQueue(previous.queue, next.queue) : previous[key] === next[key],
      )
    )
      return
    snapshot = previous && sameQueue(previous.queue, next.queue) ? { ...next, queue: previous.queue } : next
    for (const listener of [...listeners]) listener()
    if (previous) tell(previous, snapshot)
  }

  /** Calls an event callback; one that throws is reported, and breaks nothing here. */
  const fire = <K extends keyof ChatSessionEvents>(name: K, ...args: Parameters<NonNullable<ChatSessionEvents[K]>>) => {
    const callback = events[name] as ((...values: unknown[]) => void) | undefined
    try {
      callback?.(...args)
    } catch (error) {
      timers.setTimeout(() => {
        throw error
      }, 0)
    }
  }

  /** The events a change of snapshot means. */
  function tell(previous: ChatSessionState, next: ChatSessionState) {
    if (previous.status !== next.status) {
      fire('onStatusChange', next.status, previous.status)
      if (next.status === 'with-agent' && (previous.status === 'queued' || previous.status === 'with-bot'))
        fire('onAgentJoined')
      if (next.status === 'closed' && OPEN.has(previous.status)) fire('onClosed')
    }
    if (next.error && next.error !== previous.error) fire('onError', next.error)
    if (next.messages === previous.messages) return
    // The visitor's own messages are at the end: each failure is told once.
    for (let index = next.messages.length - 1; index >= 0; index--) {
      const message = next.messages[index] as ChatMessage
      if (message.localId === undefined) break
      if (message.status !== 'failed') reportedFailures.delete(message.localId)
      else if (!reportedFailures.has(message.localId) && message.error) {
        reportedFailures.add(message.localId)
        fire('onError', message.error)
      }
    }
  }

  /** Agent and bot messages after the seen mark, counted from the newest back: O(unread). */
  function unread() {
    let count = 0
    for (let index = historyList.length - 1; index >= 0; index--) {
      const message = historyList[index] as ChatMessage
      if (!after(markOf(message), seen)) break
      if (message.role !== 'visitor') count++
    }
    return count
  }

  const marksKey = `${storageKey}:marks`
  const readMarks = (id: number | undefined): Marks | null => {
    try {
      const value = parseMarks(storage.getItem(marksKey))
      return value && value.conversationId === id ? value : null
    } catch {
      return null
    }
  }
  const writeMarks = (id: number, change: Omit<Marks, 'conversationId'>) => {
    try {
      storage.setItem(marksKey, JSON.stringify({ ...readMarks(id), ...change, conversationId: id }))
    } catch (error) {
      storeError = asStorageError(error)
    }
  }

  const write = (value: Stored | null) => {
    try {
      if (value) storage.setItem(storageKey, JSON.stringify(value))
      else storage.removeItem(storageKey)
      storeError = null
    } catch (error) {
      storeError = asStorageError(error)
    }
  }
  const read = () => {
    try {
      return parseStored(storage.getItem(storageKey))
    } catch {
      return null
    }
  }

  // Polling: one read at a time, paused while the page is hidden, stopped once closed.
  let pollTimer: unknown
  let polling = false
  const stopPolling = () => {
    if (pollTimer !== undefined) timers.clearTimeout(pollTimer)
    pollTimer = undefined
  }
  let pollDueAt = 0
  const schedule = (ms: number) => {
    stopPolling()
    if (!alive || currentId() === undefined || conversation?.isClosed) return
    if (ms > 0 && pollInterval === false) return
    pollDueAt = now() + ms
    pollTimer = timers.setTimeout(poll, ms)
  }
  /** How long until the next poll: a safety net behind a healthy stream, slower when nothing happens. */
  function nextPoll(): number | false {
    if (pollInterval === false) return false
    if (healthy) return Math.max(pollInterval, SAFETY_NET_INTERVAL)
    const farBack = (conversation?.queuePositionInfo?.position ?? 0) > 3
    const quiet = now() - lastActivity > RECENT_MS
    return farBack || quiet ? Math.max(pollInterval, IDLE_POLL_INTERVAL) : pollInterval
  }

  /** Opens (or keeps) the realtime stream of the open conversation; closes it otherwise. */
  function follow() {
    const id = currentId()
    const wanted = connector && alive && id !== undefined && !conversation?.isClosed ? id : undefined
    if (wanted === streamId) return
    disconnect?.()
    disconnect = undefined
    healthy = false
    streamId = wanted
    if (wanted === undefined || !connector) return
    disconnect = connector.connect(wanted, {
      onHint: () => {
        if (streamId !== wanted) return
        activity()
        schedule(0)
      },
      onOpen: () => {
        if (streamId !== wanted) return
        const was = healthy
        healthy = true
        // Healthy again after a gap: catch up on what the stream may have missed.
        if (!was) schedule(0)
      },
      onError: () => {
        if (streamId !== wanted || !healthy) return
        healthy = false
        schedule(pollInterval === false ? 0 : pollInterval)
      },
    })
  }

  let pollAgain = false
  async function poll() {
    pollTimer = undefined
    const id = currentId()
    // A refresh asked for while one runs (a hint, say) runs right after it, never dropped.
    if (polling) {
      pollAgain = true
      return
    }
    if (id === undefined || !alive) return
    if (visibility && !visibility.isVisible()) return
    polling = true
    try {
      await refresh(id)
    } finally {
      polling = false
      follow()
      const delay = pollAgain ? 0 : nextPoll()
      pollAgain = false
      if (delay !== false) schedule(delay)
    }
  }

  async function refresh(id: number) {
    let fresh: Conversation
    try {
      fresh = await client.getConversation(id)
    } catch (error) {
      if (!alive || id !== currentId()) return
      readError = error as ChatApiError
      // Only a definite "gone" lets a resumed conversation go; anything else is tried again.
      if (id === resumedId && !verified && readError.kind === 'http' && readError.status === 404)
        forget({ kind: 'missing', conversationId: id, error: readError })
      publish()
      return
    }
    if (!alive || id !== currentId()) return
    readError = null
    if (id === resumedId && !verified) {
      verified = true
      if (fresh.isClosed) {
        forget({ kind: 'closed', conversationId: id })
        return
      }
    }
    // The same answer as last time keeps the same object: nothing re-renders for an idle chat.
    if (!conversation || JSON.stringify(conversation) !== JSON.stringify(fresh)) conversation = fresh
    outbox.setIdentity(conversation.author)
    publish()
    if (page && !fresh.isClosed) followPage()
    if (stored?.isBotEnabled && !fresh.isClosed) {
      try {
        const next = await client.getTakeover(id)
        if (alive && id === currentId()) takeover = next
      } catch {
        // Kept as it was; the next poll asks again.
      }
    }
    if (fresh.totalMessagesCount !== historyTotal) await loadNewest(id, fresh.totalMessagesCount)
    publish()
  }

  /** Fetches the newest messages page by page until it reaches ones already here: O(new), not O(history). */
  async function loadNewest(id: number, total: number) {
    let arrived: ConversationMessage[]
    const first = historyTotal < 0
    try {
      arrived = await listNewest(
        (page) => client.listMessages(id, page),
        (known) => history.has(known),
        PAGE,
        first,
      )
    } catch {
      return // the next poll tries again
    }
    if (!alive || id !== currentId()) return
    historyTotal = total
    const added = merge(arrived)
    // History loaded on a resume (or another tab's start) is not news; what comes after it is.
    if (first && id !== startedHere) settle(id, added)
    else announce(id, added)
  }

  /** Adds messages (new or older) to the history; returns the views added or changed. */
  function merge(arrived: ConversationMessage[]): ChatMessage[] {
    let appendOnly = true
    const last = historyList[historyList.length - 1]
    const added: ChatMessage[] = []
    const visitors = [conversation?.author, author]
    for (const source of arrived) {
      const known = history.get(source.id)
      if (known && known.source.message === source.message && known.source.lastModifiedTime === source.lastModifiedTime)
        continue
      const view = storedMessage(source, messageRole(source.author, visitors))
      if (known || (last && byTime(view, last) < 0)) appendOnly = false
      history.set(source.id, { source, view })
      added.push(view)
    }
    if (!added.length) return added
    added.sort(byTime)
    // New messages after the last one shown (the usual case) are appended; anything else re-sorts.
    historyList = appendOnly ? [...historyList, ...added] : [...history.values()].map((item) => item.view).sort(byTime)
    outbox.acknowledge(arrived.map((message) => message.id))
    return added
  }

  /**
   * History shown on a resume (or another tab's start): nothing in it is announced here. Marks
   * missing from storage start at its newest message, so old history is neither news nor unread.
   */
  function settle(id: number, added: ChatMessage[]) {
    const newest = added[added.length - 1]
    const marks = readMarks(id)
    if (!newest || (marks?.seen && marks.announced)) return
    const mark = markOf(newest)
    if (!marks?.seen) seen = mark
    writeMarks(id, { seen: marks?.seen ?? mark, announced: marks?.announced ?? mark })
  }

  /**
   * Tells each new agent or bot message once: the announced mark in storage is shared by tabs. A
   * browser shows one tab's storage write to another a moment later, so the mark is read and moved
   * under the tabs' lock, which the tab that told holds a little longer: a tab that saw the same
   * message reads the mark only once the write has reached it.
   */
  function announce(id: number, added: ChatMessage[]) {
    if (added.length) activity()
    const theirs = added.filter((message) => message.role !== 'visitor')
    if (!theirs.length) return
    lock(`${storageKey}:announce`, async () => {
      if (!alive || id !== currentId()) return
      const announced = readMarks(id)?.announced
      const fresh = theirs.filter((message) => after(markOf(message), announced))
      const newest = fresh[fresh.length - 1]
      if (!newest) return
      writeMarks(id, { announced: markOf(newest) })
      for (const message of fresh) fire('onMessage', message)
      await new Promise<void>((resolve) => timers.setTimeout(() => resolve(), STORAGE_SETTLE_MS))
    }).catch(() => {})
  }

  async function loadOlder() {
    const id = currentId()
    if (id === undefined || loadingOlder || !(historyTotal > history.size)) return
    loadingOlder = true
    publish()
    try {
      const older = await client.listMessages(id, { orderBy: 'creation_time_desc', skip: history.size, take: PAGE })
      if (alive && id === currentId()) merge(older)
    } finally {
      loadingOlder = false
      if (alive) publish()
    }
  }

  /** Sends the page the visitor is on, unless it was the last one sent. */
  async function trackPage(url: string) {
    wantedUrl = url
    const id = currentId()
    // What the server already has (after a reload, the conversation says) is not sent again.
    if (id === undefined || conversation?.isClosed || url === (lastUrl ?? conversation?.latestPageUrl)) return
    lastUrl = url
    try {
      await client.updateLatestUrl(id, url)
    } catch (error) {
      if (lastUrl === url) lastUrl = undefined
      fire('onError', error as ChatApiError)
      throw error
    }
    if (conversation && id === currentId()) {
      conversation = { ...conversation, latestPageUrl: url }
      publish()
    }
  }
  const followPage = () => {
    const url = page?.current()
    if (url && currentId() !== undefined && !conversation?.isClosed && url !== lastUrl) trackPage(url).catch(() => {})
  }

  /**
   * Makes `value` the session's conversation, or none (a start here, another tab's, a resume, a
   * reset): everything of the previous one (its data, history, polling, stream) is let go.
   */
  function hold(value: Stored | null, known?: Conversation) {
    if (value?.conversationId !== currentId()) {
      conversation = known
      takeover = undefined
      readError = null
      history = new Map()
      historyList = []
      historyTotal = -1
      loadingOlder = false
      lastUrl = undefined
      seen = readMarks(value?.conversationId)?.seen
      outbox.setConversation(value?.conversationId)
    } else if (known) conversation = known
    stored = value
    outbox.setIdentity(conversation?.author)
    if (value) schedule(0)
    else {
      stopPolling()
      follow()
    }
    publish()
  }

  function forget(reason: ChatSessionEndReason | null) {
    write(null)
    resumedId = undefined
    endReason = reason
    // The outbox first, so no sent message of the old conversation shows for a moment without its history.
    outbox.abandon(ENDED[reason?.kind ?? 'reset'])
    hold(null)
  }

  /**
   * Creates the conversation. Behind the server half (idempotency keys) a create whose fate is
   * unknown, or still in progress there (409), goes again with the same key, three tries in all
   * (after 1 s, then 2 s): the visitor gets one conversation, neither none nor two. A repeat can
   * only be given the first one's answer again. Without keys it is tried once.
   */
  async function create(input: CreateConversationInput): Promise<Conversation> {
    const idempotencyKey = client.idempotencyKeys ? randomId() : undefined
    for (let tries = 1; ; tries++) {
      try {
        return await client.createConversation(input, idempotencyKey ? { idempotencyKey } : undefined)
      } catch (error) {
        if (!idempotencyKey || tries > 2 || !alive || !(isTransient(error) || (error as ChatApiError).status === 409))
          throw error
        const wait = Math.max(tries * 1000, ((error as ChatApiError).retryAfter ?? 0) * 1000)
        await new Promise<void>((resolve) => timers.setTimeout(resolve, wait))
      }
    }
  }

  async function start(input?: Omit<CreateConversationInput, 'author'>): Promise<Conversation> {
    starting++
    publish()
    try {
      return await lock(`${storageKey}:start`, async () => {
        // Another tab may have started one while this one waited for the lock.
        const existing = read()
        if (existing) {
          hold(existing)
          return conversation?.id === existing.conversationId
            ? conversation
            : await client.getConversation(existing.conversationId)
        }
        const merged = { ...details, ...input }
        // Page tracking: the page the chat starts on, unless the app gave one.
        const url = merged.url ?? (page ? (page.current() ?? wantedUrl) : wantedUrl)
        if (url !== undefined) merged.url = url
        const created = await create({ ...merged, author })
        const value: Stored = { conversationId: created.id, isBotEnabled: merged.isBotEnabled === true }
        if (client.clock.offset !== undefined) value.clockOffset = client.clock.offset
        write(value)
        // Nothing seen and nothing told yet: its first messages (a bot's greeting) are news.
        startedHere = created.id
        writeMarks(created.id, { seen: [0, 0], announced: [0, 0] })
        endReason = null
        startError = null
        if (alive) {
          hold(value, created)
          lastUrl = url
          if (wantedUrl !== undefined && wantedUrl !== url) trackPage(wantedUrl).catch(() => {})
        }
        return created
      })
    } catch (error) {
      startError = error as ChatApiError
      throw error
    } finally {
      starting--
      if (alive) publish()
    }
  }

  const startIfNeeded = () => {
    if (currentId() === undefined && starting === 0) start().catch(() => {})
  }

  const conversationFor = (action: string) => {
    const id = currentId()
    if (id === undefined)
      throw new ChatApiError('validation', `${action}: there is no conversation yet (call start or send first)`)
    return id
  }

  // Resume what storage holds, and follow what other tabs do to it.
  const initial = read()
  if (initial) {
    if (initial.clockOffset !== undefined) client.clock.seed(initial.clockOffset)
    resumedId = initial.conversationId
    hold(initial)
  }
  snapshot = build()
  const unsubscribeStorage = storage.subscribe?.(storageKey, () => {
    const value = read()
    if (value?.conversationId !== currentId()) hold(value)
  })
  const unsubscribeOutbox = outbox.subscribe(publish)
  const unsubscribeMarks = storage.subscribe?.(marksKey, () => {
    seen = readMarks(currentId())?.seen
    publish()
  })
  const unsubscribePage = page?.subscribe(followPage)
  const unsubscribeVisibility = visibility?.subscribe(() => {
    if (visibility.isVisible() && pollTimer === undefined && !polling) schedule(0)
  })

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start,
    send(text) {
      activity()
      // The visitor is active: the next poll comes at the fast pace, never later than already due.
      if (typeof pollInterval === 'number' && pollTimer !== undefined && !healthy && pollDueAt - now() > pollInterval)
        schedule(pollInterval)
      outbox.add(text)
      startIfNeeded()
    },
    retry(localId) {
      outbox.retry(localId)
      startIfNeeded()
    },
    discard: (localId) => outbox.discard(localId),
    async leaveFeedback(input) {
      const id = conversationFor('leaveFeedback')
      const feedback = await client.updateFeedback(id, input)
      if (conversation && id === currentId()) {
        conversation = { ...conversation, feedback }
        publish()
      }
      return feedback
    },
    async close() {
      const id = conversationFor('close')
      await client.closeConversation(id)
      if (conversation && id === currentId()) {
        conversation = { ...conversation, isClosed: true }
        stopPolling()
        follow()
        publish()
      } else if (id === currentId()) schedule(0)
    },
    reset() {
      forget(null)
      startError = null
      publish()
    },
    loadOlder,
    markSeen() {
      const id = currentId()
      const newest = historyList[historyList.length - 1]
      if (id === undefined || !newest || !after(markOf(newest), seen)) return
      seen = markOf(newest)
      writeMarks(id, { seen })
      publish()
    },
    async requestHuman() {
      const id = conversationFor('requestHuman')
      const next = await client.changeTakeover(id, { isAssignedToBot: false })
      if (alive && id === currentId()) {
        takeover = next
        activity()
        publish()
        schedule(0)
      }
      return next
    },
    trackPage,
    update(changes) {
      listen(changes)
      if (changes.author) {
        author = identify(changes.author, storage, `${storageKey}:visitor`, (error) => {
          storeError = error
        })
        outbox.setAuthor(author)
      }
      if (changes.conversation) details = changes.conversation
    },
    destroy() {
      alive = false
      stopPolling()
      follow()
      outbox.destroy()
      unsubscribeStorage?.()
      unsubscribeOutbox()
      unsubscribeMarks?.()
      unsubscribePage?.()
      unsubscribeVisibility?.()
      listeners.clear()
    },
  }
}
