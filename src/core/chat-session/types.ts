// The session's public types: options, state, actions, events, store and the signals it is given.
import type { Availability } from '../availability'
import type { SessionClient } from '../client'
import type { ConversationTakeover, CreateConversationInput, FeedbackInput } from '../endpoints'
import type { ChatApiError } from '../errors'
import type { ChatMessage } from '../messages'
import type { Lock, OnlineSignal, Timers } from '../outbox'
import type { ChatSessionStorage } from '../storage'
import type { Conversation, ConversationFeedback, UserValue } from '../types'
import type { ChatAvailabilityState } from './availability'

/**
 * Where the session stands: `idle` (no conversation), `starting` (creating one), `resuming` (a
 * conversation found in storage, or started by another tab, not read yet: after a reload it is
 * this, never `starting`), `queued`, `with-bot`, `with-agent`, `closed`, `error`, `offline`
 * (outside opening hours with no conversation).
 */
export type ChatSessionStatus =
  | 'idle'
  | 'starting'
  | 'resuming'
  | 'queued'
  | 'with-bot'
  | 'with-agent'
  | 'closed'
  | 'error'
  // #24 availability: outside the `availability` schedule with no conversation held (instead of `idle`).
  | 'offline'

/**
 * Why a session went back to `idle` on its own. Only a definite answer lets a stored conversation
 * go (the server reports it closed, or answers HTTP 404); any other error keeps it and tries again.
 * A conversation another visitor started (a shared browser) is let go without any request.
 */
export interface ChatSessionEndReason {
  /**
   * `closed`: the stored conversation had been closed; `missing`: the server answered 404 for it;
   * `other-visitor`: it was started by another visitor than the session's author (its `id`,
   * `email` or `customIdentifier` differ), found in storage or left by `update({ author })`: it is
   * never shown, read nor written to, it is removed from storage with that visitor's unsent
   * messages (dropped, never sent as this visitor's), and the next send starts a new conversation.
   */
  kind: 'closed' | 'missing' | 'other-visitor'
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
  /** The conversation was found in storage or started by another tab (not started by this session). */
  resumed?: boolean
}

/** Whether the page is shown; polling pauses while it is not. */
export interface VisibilitySignal {
  isVisible(): boolean
  subscribe(listener: () => void): () => void
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

/** The page the visitor is on, for page tracking: its URL and news when it changes. */
export interface PageSignal {
  current(): string | undefined
  subscribe(listener: () => void): () => void
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
  /** The client the session calls (`createChatClient(…)`); it needs no `listMyConversations`. */
  client: SessionClient
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
  /**
   * Whether the network is up; messages wait while it is not. Default: the browser's `offline` and
   * `online` events where there is a window (online until told otherwise), else always.
   */
  online?: OnlineSignal
  /** Whether the page is shown; polling pauses while hidden. Default: the document's, where there is one. */
  visibility?: VisibilitySignal
  /** Default: the global timers. */
  timers?: Timers
  /** Local clock, epoch ms. Default `Date.now`. */
  now?: () => number
  // #24 availability
  /**
   * Opening hours: a weekly schedule in a time zone (with holidays), or a function. Outside them,
   * with no conversation held, the status is `'offline'` and `send` needs `author.email`; the
   * conversation is created with the message (title `'Message left outside opening hours'` unless
   * `conversation.title` is set) and `availability.repliesByEmail` says replies come by email.
   * A malformed schedule throws a TypeError here, before any request.
   */
  availability?: Availability
  /**
   * What writing after the conversation closed does (the status is `closed`, or the server refuses
   * a message because it closed). Default `'follow-up'`.
   * - `'follow-up'`: `send` (and `retry` of a message refused because its conversation closed)
   *   starts a follow-up conversation, with the same author and conversation details, and the
   *   message goes there, once. That refusal is not an error: `onError` is not called for it. The
   *   closed conversation stays readable meanwhile: see `previousConversationId`.
   * - `'stay-closed'`: for a UI with its own "Start a new chat" button. `send` keeps the text as a
   *   failed message with a typed error (`code: 'conversation-closed'`) before any request, and
   *   `retry` leaves it failed, until `start()` (or `reset()` then `send`) moves on to a new
   *   conversation; `retry(localId)` then sends it there.
   */
  afterClose?: 'follow-up' | 'stay-closed'
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
   * Agent and bot messages not yet seen (`markSeen()` clears it). Counts what the server holds, loaded
   * or not: when every loaded message is unseen and the conversation's total count says there are
   * more, those count too (230 unseen shows 230 while 100 are loaded; their authors are not known
   * until loaded, so any of them counts). The seen mark is kept in storage with the conversation, so
   * it survives reloads and is shared by tabs. History loaded on a resume without a seen mark counts as seen.
   */
  unreadCount: number
  queue: QueuePosition | null
  /** The error behind `status: 'error'`, or the last failed read of an open conversation. */
  error: ChatApiError | null
  /** Why the session went back to `idle` by itself (a stored conversation closed or gone). */
  endReason: ChatSessionEndReason | null
  /**
   * The closed conversation a follow-up was started from (`afterClose`), or `undefined`. From the
   * follow-up's start, `messages` lists the closed conversation's messages (as they were shown)
   * before the follow-up's, so nothing the visitor read disappears, until the visitor moves on:
   * `reset()`, `signOut()`, `open()` or another visitor clears it. It is stored with the follow-up:
   * after a reload (or in another tab) the closed conversation's newest page is read again and
   * shown above, in the same update as the follow-up's messages. A UI can draw a divider ("New
   * conversation") after them.
   */
  previousConversationId: number | undefined
  /**
   * Why the session could not save to its storage (a full quota, blocked storage), or `null`.
   * Nothing is lost meanwhile (it is kept in memory and still sent), but a reload would lose
   * unsent messages: a UI can warn.
   */
  persistError: Error | null
  // #24 availability
  /** Whether the chat is inside its opening hours (always open without the `availability` option). */
  availability: ChatAvailabilityState
}

/** What a session can do. */
export interface ChatSessionActions {
  /**
   * Starts the conversation, or joins the one another tab started; resolves with it. While the
   * conversation held is closed, it starts a follow-up (see `afterClose`), in either mode.
   */
  start(input?: Omit<CreateConversationInput, 'author'>): Promise<Conversation>
  /**
   * Sends text as the visitor; never throws. Before a conversation exists one is started first.
   * After the conversation closed, a follow-up is started for it, or with `afterClose:
   * 'stay-closed'` the text is kept as a failed message (`code: 'conversation-closed'`).
   */
  send(text: string): void
  /**
   * Sends a failed message again. With no conversation held (after a failed start, a reset, or a
   * resumed conversation that had ended) one is started for it. While the conversation held is
   * closed: with `afterClose: 'follow-up'` a follow-up is started and the message goes there; with
   * `'stay-closed'` it stays failed, no request made, until `start()` moves on.
   */
  retry(localId: number): void
  /** Forgets a failed (or not yet sent) message. */
  discard(localId: number): void
  leaveFeedback(input: FeedbackInput): Promise<ConversationFeedback>
  /** Closes the conversation on the server. */
  close(): Promise<void>
  /** Forgets this conversation here (it stays on the server): back to `idle`. Unsent messages stay, failed. */
  reset(): void
  /**
   * Forgets this visitor on this device, for a shared browser: the conversation (it stays on the
   * server), the generated visitor id, the seen marks, and the visitor's unsent or failed messages,
   * which are dropped and never sent, neither now nor as the next visitor's. Status `idle`. Then
   * it asks the server half to forget this browser through the client's own transport
   * (`client.signOutVisitor()`: `DELETE {basePath}/visitor`, which expires the visitor cookie; a
   * no-op with an access token); resolves once that is answered, and rejects with its error if it
   * fails (everything here is forgotten first, either way). `useChatSession` also resets what the
   * app's QueryClient cached (`chatKeys.all`). Give the next visitor with `update({ author })`.
   */
  signOut(): Promise<void>
  /**
   * Opens a past conversation of this visitor (one of `listMyConversations()`): it becomes the
   * conversation held (and stored), its messages load as history (seen, not news), and answers
   * still on their way for the one left are dropped. A closed one is read-only: status `closed`,
   * messages readable, and a `send` then follows up per `afterClose`. An open one is `resuming`
   * until its takeover is read once: `with-bot` if the bot has it, never `queued` first. The visitor moves on from a
   * follow-up's closed conversation (`previousConversationId` clears). Unsent messages go with the
   * session, to the conversation opened. A conversation id that is not a positive integer rejects
   * with a typed error (`invalid-input`) before any request; the same id as held does nothing.
   */
  open(conversationId: number): Promise<void>
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
  /**
   * Takes a new author, new-conversation details (for the next start and sends) or new event
   * callbacks. An author with other identifiers (`id`, `email`, `customIdentifier`) than the held
   * conversation's is another visitor: that conversation is let go (`endReason.kind: 'other-visitor'`).
   */
  update(
    changes: { author?: UserValue; conversation?: Omit<CreateConversationInput, 'author'> } & ChatSessionEvents,
  ): void
  /** Stops polling, sending and listening. */
  destroy(): void
}
