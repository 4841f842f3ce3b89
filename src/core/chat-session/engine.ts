// The session engine: holds the model, sends every event through the one stale-answer check, runs the effects.
import type { ChatClient } from '../client'
import type { ConversationTakeover, CreateConversationInput } from '../endpoints'
import { ChatApiError, isTransient } from '../errors'
import { type ChatMessage, listNewest, outgoingMessage } from '../messages'
import {
  createOutbox,
  defaultLock,
  type Lock,
  type Outbox,
  type OutboxFailure,
  outcomeOf,
  type Timers,
} from '../outbox'
import { randomId } from '../random'
import { browserStorage, type ChatSessionStorage, createMemoryStorage } from '../storage'
import type { Conversation, UserValue } from '../types'
import { announceMessages, changeEvents, EVENT_NAMES, fire, settleMarks } from './announce'
// #24 availability
import {
  availabilityState,
  type ChatAvailabilityState,
  OFFLINE_TITLE,
  requireOfflineEmail,
  watchAvailability,
  withAvailability,
} from './availability'
import { entryViews, messageView, sameItems } from './history'
import { isAfter, type MarkStore, markOf, markStore } from './marks'
import {
  type Asked,
  askFor,
  askToStart,
  INITIAL_MODEL,
  isCurrent,
  resumeEnding,
  type SessionEvent,
  type SessionModel,
  transition,
} from './model'
import { createPoller, DEFAULT_POLL_INTERVAL, type Poller } from './polling'
import { browserOnline, browserPage, documentVisibility, eventSourceConnector } from './signals'
import { nextState, stateOf } from './status'
import {
  DEFAULT_SESSION_KEY,
  identify,
  type Stored,
  type StoredConversation,
  storedConversation,
  visitorKey,
} from './stored'
import type { ChatSessionEvents, ChatSessionOptions, ChatSessionState, ChatSessionStore, PageSignal } from './types'

const NONE: readonly ChatMessage[] = []

/** Messages per page read. */
const PAGE = 100

/** Why the messages waiting for a conversation that went failed: the words and the code. */
const ENDED = {
  closed: ['The conversation had ended before this message was sent', 'conversation-closed'],
  missing: ['The conversation no longer exists', 'not-found'],
  reset: ['The chat was reset before this message was sent', 'no-conversation'],
  'other-visitor': ['Another visitor started this conversation', 'no-conversation'],
} as const

/** One session's parts and the model it holds. Only {@link dispatch} changes `model`. */
interface Engine {
  readonly client: ChatClient
  readonly storage: ChatSessionStorage
  readonly key: string
  readonly timers: Timers
  readonly lock: Lock
  readonly page: PageSignal | undefined
  readonly events: ChatSessionEvents
  readonly conversationStore: StoredConversation
  readonly marks: MarkStore
  readonly outbox: Outbox
  readonly poller: Poller
  readonly listeners: Set<() => void>
  /** Told when the history lists other messages (the outbox follows it). */
  readonly historyListeners: Set<() => void>
  /** The closed conversation whose messages are being read again after a reload (one read at a time). */
  priorAsked: number | undefined
  /** Local ids of failed messages already told. */
  readonly reported: Set<number>
  readonly viewOf: (entry: Parameters<typeof outgoingMessage>[0]) => ChatMessage
  /** What writing after a close does (`afterClose`). */
  readonly afterClose: 'follow-up' | 'stay-closed'
  author: UserValue
  /** The author as the app gave it (before a generated id was added). */
  givenAuthor: UserValue | undefined
  details: Omit<CreateConversationInput, 'author'> | undefined
  model: SessionModel
  alive: boolean
  storeError: Error | null
  snapshot: ChatSessionState | undefined
  view: { history: readonly ChatMessage[]; previous: unknown; entries: unknown; messages: readonly ChatMessage[] }
  // #24 availability
  readonly availability: ChatSessionOptions['availability']
  readonly now: () => number
  availabilityState: ChatAvailabilityState
}

/**
 * THE way the model changes. An event answering a request is dropped when the session has moved on
 * since it was asked (see `isCurrent`), or is destroyed; returns whether it was applied.
 */
function dispatch(engine: Engine, event: SessionEvent): boolean {
  if (!engine.alive || ('asked' in event && !isCurrent(engine.model, event.asked))) return false
  // The outbox first, so no sent message of the old conversation shows for a moment without its history.
  if (event.type === 'forgotten') {
    engine.storeError = engine.conversationStore.write(null)
    const [reason, code] = ENDED[event.reason?.kind ?? 'reset']
    engine.outbox.abandon(reason, code)
  }
  const previous = engine.model
  engine.model = transition(previous, event)
  // Stored after: the storage's own news of this write then finds it let go already.
  if (event.type === 'followed up') engine.storeError = engine.conversationStore.write(null)
  follow(engine, previous, event)
  publish(engine)
  if (engine.model.history.list !== previous.history.list)
    for (const listener of [...engine.historyListeners]) listener()
  return true
}

/** What the outbox and the poller do after the model changed. */
function follow(engine: Engine, previous: SessionModel, event: SessionEvent) {
  const { model, outbox, poller } = engine
  const id = model.stored?.conversationId
  if (id !== previous.stored?.conversationId) outbox.setConversation(id)
  if (model.conversation?.author !== previous.conversation?.author) outbox.setIdentity(model.conversation?.author)
  if (event.type === 'newest loaded') newestLoaded(engine, previous, event.asked)
  if (!['held', 'started', 'forgotten', 'followed up', 'opened'].includes(event.type)) return
  if (id !== undefined) poller.schedule(0)
  else {
    poller.stop()
    poller.follow()
  }
}

/** The visitor's messages: the history, then the outbox's entries it does not list; the same array while unchanged. */
function listMessages(engine: Engine): readonly ChatMessage[] {
  const { history, previous } = engine.model
  const { entries } = engine.outbox.getSnapshot()
  const cached = engine.view
  if (cached.history === history.list && cached.previous === previous && cached.entries === entries)
    return cached.messages
  // A resume shows the whole list at once: the visitor's unsent messages wait for the stored history.
  const { stored, startedHere, readError } = engine.model
  if (stored && history.total < 0 && stored.conversationId !== startedHere && !readError) {
    engine.view = { history: history.list, previous, entries, messages: NONE }
    return NONE
  }
  // A follow-up's closed conversation stays shown before it (see `previousConversationId`).
  const shown = previous ? [...previous.messages, ...history.list] : history.list
  const next = messageView(shown, entries, (id) => history.byId.has(id), engine.viewOf)
  const messages = sameItems(next, cached.messages) ? cached.messages : next
  engine.view = { history: history.list, previous, entries, messages }
  return messages
}

function publish(engine: Engine) {
  const persistError = engine.outbox.getSnapshot().persistError ?? engine.storeError
  const previous = engine.snapshot
  // #24 availability: the schedule's state on top of the model's
  engine.availabilityState = availabilityState(
    engine.availability,
    new Date(engine.now()),
    !!engine.model.stored?.repliesByEmail,
    engine.availabilityState,
  )
  const state = withAvailability(stateOf(engine.model, listMessages(engine), persistError), engine.availabilityState)
  const next = nextState(previous, state)
  if (next === previous) return
  engine.snapshot = next
  for (const listener of [...engine.listeners]) listener()
  if (previous)
    for (const told of changeEvents(previous, next, engine.reported)) fire(engine.events, engine.timers, told)
}

const noteError = (engine: Engine, error: Error | null | undefined) => {
  if (error) engine.storeError = error
}

/** Makes `value` the conversation held (a start here, another tab's, a resume, a reset by another tab). */
const hold = (engine: Engine, value: Stored | null, known?: Conversation, resumed?: boolean) =>
  dispatch(engine, {
    type: 'held',
    stored: value,
    conversation: known,
    seen: engine.marks.read(value?.conversationId)?.seen,
    resumed,
  })

/** One read of the conversation, then its takeover (bot chats) and what is new in its messages. */
async function refresh(engine: Engine) {
  const asked = askFor(engine.model)
  if (!asked) return
  const { client } = engine
  const prior = readPrevious(engine, asked)
  let fresh: Conversation
  try {
    fresh = await client.getConversation(asked.conversationId)
  } catch (thrown) {
    const error = thrown as ChatApiError
    // Only a definite "gone" lets a resumed conversation go; anything else is tried again.
    const ending = resumeEnding(engine.model, asked, { error })
    dispatch(engine, ending ? { type: 'forgotten', reason: ending, asked } : { type: 'read failed', asked, error })
    return
  }
  const ending = resumeEnding(engine.model, asked, { conversation: fresh })
  if (ending) {
    dispatch(engine, { type: 'forgotten', reason: ending, asked })
    return
  }
  if (!dispatch(engine, { type: 'read', asked, conversation: fresh })) return
  if (engine.page && !fresh.isClosed) followPage(engine)
  if (engine.model.stored?.isBotEnabled && !fresh.isClosed) {
    try {
      const takeover = await client.getTakeover(asked.conversationId)
      if (dispatch(engine, { type: 'takeover changed', asked, takeover })) settleBot(engine, asked, takeover)
    } catch {
      // Kept as it was; the next poll asks again.
    }
  }
  // Before the newest: a reload then shows the closed conversation and the follow-up at once.
  await prior
  if (fresh.totalMessagesCount !== engine.model.history.total) await loadNewest(engine, asked, fresh.totalMessagesCount)
}

/**
 * After a reload, the follow-up's closed conversation (`Stored.previous`) is not in memory: its
 * newest page is read again to show above, whatever becomes of the read it started beside; until
 * it is shown, every read of the conversation tries again (one at a time).
 */
function readPrevious(engine: Engine, asked: Asked) {
  const conversationId = engine.model.stored?.previous
  if (conversationId === undefined || engine.model.previous || engine.priorAsked === conversationId) return
  engine.priorAsked = conversationId
  return listNewest(
    (page) => engine.client.listMessages(conversationId, page),
    () => false,
    PAGE,
    true,
  )
    .then(
      (messages) => {
        dispatch(engine, { type: 'previous loaded', asked, conversationId, messages, visitor: engine.author })
      },
      () => {}, // the next read tries again
    )
    .finally(() => {
      engine.priorAsked = undefined
    })
}

/** Fetches the newest messages page by page until it reaches ones already here: O(new), not O(history). */
async function loadNewest(engine: Engine, asked: Asked, total: number) {
  const id = asked.conversationId
  const first = engine.model.history.total < 0
  let messages: Awaited<ReturnType<ChatClient['listMessages']>>
  try {
    messages = await listNewest(
      (page) => engine.client.listMessages(id, page),
      (known) => engine.model.history.byId.has(known),
      PAGE,
      first,
    )
  } catch {
    return // the next poll tries again
  }
  const marks = engine.marks.read(id)
  dispatch(engine, { type: 'newest loaded', asked, messages, total, visitor: engine.author, marks })
}

/**
 * After the newest messages merged in: history loaded on a resume (or another tab's start) is not
 * news, its marks settle; what comes after it is told.
 */
function newestLoaded(engine: Engine, previous: SessionModel, asked: Asked) {
  const { added } = engine.model.history
  const id = asked.conversationId
  if (previous.history.total < 0 && id !== engine.model.startedHere) {
    noteError(engine, settleMarks(engine.marks, id, added))
    return
  }
  if (added.length) engine.poller.activity()
  announceMessages(
    {
      lock: engine.lock,
      lockName: `${engine.key}:announce`,
      marks: engine.marks,
      timers: engine.timers,
      holds: () => engine.alive && isCurrent(engine.model, asked),
      tell: (message) => fire(engine.events, engine.timers, ['onMessage', message]),
      onStoreError: (error) => noteError(engine, error),
    },
    id,
    added,
  )
}

async function loadOlder(engine: Engine) {
  const { model } = engine
  const asked = askFor(model)
  if (!asked || model.loadingOlder || !(model.history.total > model.history.byId.size)) return
  dispatch(engine, { type: 'older loading', loading: true })
  try {
    const messages = await engine.client.listMessages(asked.conversationId, {
      orderBy: 'creation_time_desc',
      skip: model.history.byId.size,
      take: PAGE,
    })
    dispatch(engine, { type: 'older loaded', asked, messages, visitor: engine.author })
  } finally {
    dispatch(engine, { type: 'older loading', loading: false, asked })
  }
}

/** Sends the page the visitor is on, unless it was the last one sent. */
async function trackPage(engine: Engine, url: string) {
  dispatch(engine, { type: 'page wanted', url })
  const { model } = engine
  const asked = askFor(model)
  // What the server already has (after a reload, the conversation says) is not sent again.
  if (!asked || model.conversation?.isClosed || url === (model.lastUrl ?? model.conversation?.latestPageUrl)) return
  dispatch(engine, { type: 'page sent', asked, url })
  try {
    await engine.client.updateLatestUrl(asked.conversationId, url)
  } catch (error) {
    if (engine.model.lastUrl === url) dispatch(engine, { type: 'page sent', asked, url: undefined })
    fire(engine.events, engine.timers, ['onError', error as ChatApiError])
    throw error
  }
  dispatch(engine, { type: 'conversation changed', asked, change: { latestPageUrl: url } })
}

function followPage(engine: Engine) {
  const url = engine.page?.current()
  const { model } = engine
  if (url && model.stored && !model.conversation?.isClosed && url !== model.lastUrl)
    trackPage(engine, url).catch(() => {})
}

/**
 * Creates the conversation. Behind the server half (idempotency keys) a create whose fate is
 * unknown, or still in progress there (409), goes again with the same key, three tries in all
 * (after 1 s, then 2 s): the visitor gets one conversation, neither none nor two. A repeat can
 * only be given the first one's answer again. Without keys it goes again only when it cannot have
 * landed (no connection was made, or a 429), else it is tried once.
 */
async function create(engine: Engine, input: CreateConversationInput): Promise<Conversation> {
  const { client } = engine
  const idempotencyKey = client.idempotencyKeys ? randomId() : undefined
  for (let tries = 1; ; tries++) {
    try {
      return await client.createConversation(input, idempotencyKey ? { idempotencyKey } : undefined)
    } catch (error) {
      const status = (error as ChatApiError).status
      // Again only with the same key, or when it cannot have landed (no connection made, a 429).
      const again = idempotencyKey ? isTransient(error) || status === 409 : outcomeOf(error) === 'not-stored'
      if (tries > 2 || !engine.alive || !again) throw error
      const wait = Math.max(tries * 1000, ((error as ChatApiError).retryAfter ?? 0) * 1000)
      await new Promise<void>((resolve) => engine.timers.setTimeout(resolve, wait))
    }
  }
}

async function start(engine: Engine, input?: Omit<CreateConversationInput, 'author'>): Promise<Conversation> {
  // A closed conversation is moved on from: a follow-up.
  if (holdsClosed(engine)) followUp(engine)
  const asked = askToStart(engine.model)
  dispatch(engine, { type: 'start began' })
  let error: ChatApiError | undefined
  try {
    return await engine.lock(`${engine.key}:start`, () => startLocked(engine, asked, input))
  } catch (thrown) {
    error = thrown as ChatApiError
    throw thrown
  } finally {
    // A start the session has moved on from (reset, sign-out, another visitor: they zero the count)
    // changes nothing here; one that landed moved the epoch itself.
    const current = isCurrent(engine.model, asked) || (!error && engine.model.startedHere !== undefined)
    if (error && current) failWaiting(engine, error)
    if (current) dispatch(engine, error ? { type: 'start ended', error } : { type: 'start ended' })
  }
}

/** A start that the session moved on from (a reset, a sign-out, another visitor) while it ran. */
const movedOn = () =>
  new ChatApiError('aborted', 'start: the session moved on (reset, sign-out or another visitor) during the start', {
    code: 'aborted',
  })

/**
 * A failed start: the messages waiting for it fail at once, with its error (told once, as the
 * start's error, not again per message). A later start (`start()`, `retry(localId)`, `send`) sends them.
 */
function failWaiting(engine: Engine, error: ChatApiError) {
  if (!engine.alive || engine.model.stored) return
  for (const entry of engine.outbox.getSnapshot().entries)
    if (!entry.sent && !entry.failed) engine.reported.add(entry.localId)
  engine.outbox.failWaiting(error)
}

/** Under the start lock: joins what another tab started meanwhile, or creates the conversation. */
async function startLocked(
  engine: Engine,
  asked: Asked<number | undefined>,
  input?: Omit<CreateConversationInput, 'author'>,
): Promise<Conversation> {
  const stored = engine.conversationStore.read()
  // Another visitor's (a tab still signed in as them) is not joined.
  const existing = othersConversation(engine, stored) ? null : stored
  // Another tab's start is joined; with nothing stored, a start the session moved on from stops here.
  if (!existing && !isCurrent(engine.model, asked)) throw movedOn()
  if (existing) {
    hold(engine, existing)
    engine.outbox.resumeWaiting()
    const { conversation } = engine.model
    return conversation?.id === existing.conversationId
      ? conversation
      : await engine.client.getConversation(existing.conversationId)
  }
  const merged = { ...engine.details, ...input }
  // #24: outside opening hours the conversation says so in its title, on a retried start as much as on the first.
  if (!engine.availabilityState.open && merged.title == null) merged.title = OFFLINE_TITLE
  // Page tracking: the page the chat starts on, unless the app gave one.
  const wantedUrl = engine.model.wantedUrl
  const url = merged.url ?? (engine.page ? (engine.page.current() ?? wantedUrl) : wantedUrl)
  if (url !== undefined) merged.url = url
  const created = await create(engine, { ...merged, author: engine.author })
  const value: Stored = {
    conversationId: created.id,
    isBotEnabled: merged.isBotEnabled === true,
    visitor: visitorKey(engine.author),
  }
  if (engine.client.clock.offset !== undefined) value.clockOffset = engine.client.clock.offset
  // A follow-up: the closed conversation stays shown above it, after a reload too.
  if (engine.model.previous) value.previous = engine.model.previous.conversationId
  // #24: started outside the schedule, its replies come by email; kept with it, so a reload still says so.
  if (!engine.availabilityState.open) value.repliesByEmail = true
  // Held first, stored after: the storage's own news of this write then finds it held already.
  if (!dispatch(engine, { type: 'started', asked, stored: value, conversation: created, url, seen: [0, 0] }))
    throw movedOn()
  // Nothing seen and nothing told yet: its first messages (a bot's greeting) are news.
  noteError(engine, engine.marks.write(created.id, { seen: [0, 0], announced: [0, 0] }))
  engine.storeError = engine.conversationStore.write(value)
  engine.outbox.resumeWaiting()
  const wanted = engine.model.wantedUrl
  if (wanted !== undefined && wanted !== url) trackPage(engine, wanted).catch(() => {})
  return created
}

/** Whether `value` was started by another visitor than the session's author (an older record without an author is not). */
const othersConversation = (engine: Engine, value: Stored | null) =>
  value?.visitor !== undefined && value.visitor !== visitorKey(engine.author)

/**
 * Another visitor's conversation is let go without a request: their unsent messages are dropped
 * (never sent as this visitor's), the stored record removed, the status `idle` (`other-visitor`).
 */
function setAside(engine: Engine, conversationId: number) {
  engine.outbox.clear()
  dispatch(engine, { type: 'forgotten', reason: { kind: 'other-visitor', conversationId } })
}

/** Whether the conversation held is known to be closed. */
const holdsClosed = (engine: Engine) => engine.model.stored !== null && engine.model.conversation?.isClosed === true

/**
 * Lets the closed conversation go for a follow-up: what was shown of it stays shown (sent messages
 * not listed yet included, which leave the outbox), and the next start creates a new one.
 */
function followUp(engine: Engine) {
  if (!engine.model.stored) return
  const shown = listMessages(engine).filter((message) => message.localId === undefined || message.status === 'sent')
  const sent = engine.outbox.getSnapshot().entries.flatMap((entry) => (entry.sent ? [entry.sent.id] : []))
  // Let go first: the outbox's news of the acknowledgement then finds nothing closed held.
  dispatch(engine, { type: 'followed up', shown })
  if (sent.length) engine.outbox.acknowledge(sent)
}

/** The failure of a message written while the conversation is closed and `afterClose` is `'stay-closed'`. */
const stayClosed = (conversationId: number): OutboxFailure => ({
  kind: 'ended',
  code: 'conversation-closed',
  message: 'send: the conversation is closed (afterClose: stay-closed); start() a new one first',
  conversationId,
})

/**
 * With `afterClose: 'follow-up'`, messages the server refused because the conversation held had
 * closed go to a follow-up, untold (not an error). Runs as the outbox tells of them, before publishing.
 */
function followRefused(engine: Engine) {
  const id = engine.model.stored?.conversationId
  if (engine.afterClose !== 'follow-up' || id === undefined) return
  const refused = engine.outbox
    .getSnapshot()
    .entries.filter((entry) => entry.failed?.code === 'conversation-closed' && entry.failed.conversationId === id)
  if (!refused.length || !holdsClosed(engine)) return
  for (const entry of refused) engine.reported.add(entry.localId)
  followUp(engine)
  for (const entry of refused) engine.outbox.retry(entry.localId)
  startIfNeeded(engine)
}

/** The outbox's `ended`: after a refusal, a read says whether the conversation has closed (and updates the model). */
async function hasEnded(engine: Engine, conversationId: number): Promise<boolean> {
  const asked = askFor(engine.model)
  const fresh = await engine.client.getConversation(conversationId)
  if (asked?.conversationId === conversationId) {
    // A resumed conversation found closed is let go as any resume would (`endReason`), not followed up.
    const ending = resumeEnding(engine.model, asked, { conversation: fresh })
    dispatch(
      engine,
      ending ? { type: 'forgotten', reason: ending, asked } : { type: 'read', asked, conversation: fresh },
    )
  }
  return fresh.isClosed === true
}

const startIfNeeded = (engine: Engine) => {
  if (!engine.model.stored && engine.model.starting === 0) start(engine).catch(() => {})
}

/** What an action on the conversation is asked for; a typed error before any request when there is none. */
function required(engine: Engine, action: string): Asked {
  const asked = askFor(engine.model)
  if (!asked)
    throw new ChatApiError('validation', `${action}: there is no conversation yet (call start or send first)`, {
      code: 'no-conversation',
    })
  return asked
}

async function close(engine: Engine) {
  const asked = required(engine, 'close')
  await engine.client.closeConversation(asked.conversationId)
  const known = engine.model.conversation !== undefined
  if (!dispatch(engine, { type: 'conversation changed', asked, change: { isClosed: true } })) return
  if (!known) engine.poller.schedule(0)
  else {
    engine.poller.stop()
    engine.poller.follow()
  }
}

function markSeen(engine: Engine) {
  const { model } = engine
  const id = model.stored?.conversationId
  const newest = model.history.list[model.history.list.length - 1]
  if (id === undefined || !newest || !isAfter(markOf(newest), model.seen)) return
  const mark = markOf(newest)
  noteError(engine, engine.marks.write(id, { seen: mark }))
  dispatch(engine, { type: 'seen', mark })
}

/**
 * An opened conversation is taken for a bot chat until its takeover is read (so it is never
 * `queued` before `with-bot`); once read, what it is is stored, and a chat the bot does not have
 * is not read for its takeover again, after a reload too.
 */
function settleBot(engine: Engine, asked: Asked, takeover: ConversationTakeover) {
  if (!engine.model.stored?.botUnknown) return
  if (!dispatch(engine, { type: 'bot chat known', asked, isBot: takeover.isAssignedToBot })) return
  if (engine.model.stored) engine.storeError = engine.conversationStore.write(engine.model.stored)
}

/** Opens a past conversation of this visitor (see `ChatSessionActions.open`). */
async function openConversation(engine: Engine, conversationId: number) {
  if (!Number.isSafeInteger(conversationId) || conversationId <= 0)
    throw new ChatApiError('validation', 'open: conversationId must be a positive integer', {
      code: 'invalid-input',
      issues: [{ path: 'conversationId', code: 'integer', message: 'a positive integer is required' }],
    })
  if (!engine.alive || engine.model.stored?.conversationId === conversationId) return
  // Whether the bot has it is not known before its takeover is read (see settleBot).
  const value: Stored = { conversationId, isBotEnabled: true, botUnknown: true, visitor: visitorKey(engine.author) }
  dispatch(engine, { type: 'opened', stored: value, seen: engine.marks.read(conversationId)?.seen })
  // Stored messages of the conversation left are its history, not the one opened.
  const sent = engine.outbox.getSnapshot().entries.flatMap((entry) => (entry.sent ? [entry.sent.id] : []))
  if (sent.length) engine.outbox.acknowledge(sent)
  engine.storeError = engine.conversationStore.write(value)
}

/** Follows what other tabs do to the stored conversation and the seen marks, and the page the visitor is on. */
function following(engine: Engine): (() => void)[] {
  const { storage, key, page } = engine
  const unsubscribes = [
    storage.subscribe?.(key, () => {
      const value = engine.conversationStore.read()
      if (othersConversation(engine, value)) return
      if (value?.conversationId !== engine.model.stored?.conversationId) hold(engine, value)
    }),
    storage.subscribe?.(`${key}:marks`, () =>
      dispatch(engine, { type: 'seen', mark: engine.marks.read(engine.model.stored?.conversationId)?.seen }),
    ),
    page?.subscribe(() => followPage(engine)),
  ]
  return unsubscribes.filter((unsubscribe) => unsubscribe !== undefined)
}

/**
 * Forgets the visitor here: their messages first (none may go out as the next visitor's), then the
 * conversation, the seen marks and the generated id; then, through the client's own transport, the
 * server half's visitor cookie (`signOutVisitor`, a no-op with an access token). What is forgotten
 * here stays forgotten when that call fails; the returned promise rejects with its error.
 */
async function signOut(engine: Engine, author: UserValue | undefined) {
  if (!engine.alive) return
  engine.outbox.clear()
  dispatch(engine, { type: 'forgotten', reason: null })
  dispatch(engine, { type: 'signed out' })
  for (const name of [`${engine.key}:marks`, `${engine.key}:visitor`])
    try {
      engine.storage.removeItem(name)
    } catch (error) {
      noteError(engine, error as Error)
    }
  engine.author = identify(author ?? {}, engine.storage, `${engine.key}:visitor`, (error) => noteError(engine, error))
  engine.outbox.setAuthor(engine.author)
  engine.outbox.setIdentity(undefined)
  await engine.client.signOutVisitor()
}

function listen(events: ChatSessionEvents, changes: ChatSessionEvents) {
  for (const name of EVENT_NAMES) if (name in changes) events[name] = changes[name] as never
}

/** The engine's parts, from the options; nothing held yet. */
function assemble(options: ChatSessionOptions): Engine {
  const { client } = options
  const key = options.storageKey ?? DEFAULT_SESSION_KEY
  const storage = options.storage ?? browserStorage() ?? createMemoryStorage()
  const timers = options.timers ?? (globalThis as unknown as Timers)
  const lock = options.lock ?? defaultLock
  const now = options.now ?? Date.now
  const historyListeners = new Set<() => void>()
  const engine = {
    client,
    storage,
    key,
    timers,
    lock,
    page: options.trackPages ? (options.page ?? browserPage()) : undefined,
    events: {},
    conversationStore: storedConversation(storage, key),
    marks: markStore(storage, `${key}:marks`),
    listeners: new Set(),
    historyListeners,
    reported: new Set(),
    details: options.conversation,
    givenAuthor: options.author,
    model: INITIAL_MODEL,
    alive: true,
    storeError: null,
    snapshot: undefined,
    view: { history: [], previous: undefined, entries: undefined, messages: [] },
    afterClose: options.afterClose ?? 'follow-up',
    availability: options.availability,
    now,
    availabilityState: undefined,
    priorAsked: undefined,
  } as unknown as Engine
  listen(engine.events, options)
  engine.author = identify(options.author ?? {}, storage, `${key}:visitor`, (error) => noteError(engine, error))
  Object.assign(engine, {
    viewOf: entryViews((entry) => outgoingMessage(entry, engine.author)),
    outbox: createOutbox({
      client,
      author: engine.author,
      storage,
      key: `${key}:outbox`,
      lock,
      online: options.online ?? browserOnline(),
      timers,
      now: options.now,
      retryDelay: options.retryDelay,
      recheckInterval: options.recheckDelay,
      landingWindow: options.landingWindow,
      ended: (conversationId: number) => hasEnded(engine, conversationId),
      // The outbox owns each message until the history lists it: it reads the history, never told.
      listed: {
        has: (serverId: number) => engine.model.history.byId.has(serverId),
        subscribe: (listener: () => void) => {
          historyListeners.add(listener)
          return () => historyListeners.delete(listener)
        },
      },
    }),
    poller: createPoller({
      interval: options.pollInterval ?? DEFAULT_POLL_INTERVAL,
      timers,
      now,
      visibility: options.visibility ?? documentVisibility(),
      connector: options.realtime === true ? eventSourceConnector(client.baseURL) : options.realtime || undefined,
      target: () => {
        const { stored, conversation } = engine.model
        return engine.alive && stored
          ? {
              conversationId: stored.conversationId,
              isClosed: conversation?.isClosed === true,
              queuePosition: conversation?.queuePositionInfo?.position,
            }
          : undefined
      },
      refresh: () => refresh(engine),
    }),
  })
  return engine
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
  // #24 availability: a malformed schedule throws here, before anything is set up or sent.
  if (options.availability !== undefined)
    availabilityState(options.availability, new Date((options.now ?? Date.now)()), false)
  const engine = assemble(options)
  const { client, outbox, poller, listeners } = engine
  // Resume what storage holds, and follow what other tabs do to it.
  const stored = engine.conversationStore.read()
  const initial = othersConversation(engine, stored) ? null : stored
  if (stored && !initial) setAside(engine, stored.conversationId)
  if (initial) {
    if (initial.clockOffset !== undefined) client.clock.seed(initial.clockOffset)
    hold(engine, initial, undefined, true)
  }
  publish(engine)
  const subscriptions = [
    outbox.subscribe(() => {
      followRefused(engine)
      publish(engine)
    }),
    ...following(engine),
  ]
  // #24 availability
  if (options.availability !== undefined)
    subscriptions.push(watchAvailability(options.availability, engine.timers, engine.now, () => publish(engine)))
  return {
    getSnapshot: () => engine.snapshot as ChatSessionState,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start: (input) => start(engine, input),
    send(text) {
      // #24 availability: outside opening hours the message is left for an email reply.
      if (engine.snapshot?.status === 'offline') {
        requireOfflineEmail(engine.author)
        poller.hurry()
        outbox.add(text)
        if (engine.model.starting === 0) start(engine).catch(() => {})
        return
      }
      const closed = engine.model.stored?.conversationId
      if (closed !== undefined && holdsClosed(engine)) {
        if (engine.afterClose === 'stay-closed') {
          outbox.add(text, stayClosed(closed))
          return
        }
        followUp(engine)
      }
      poller.hurry()
      outbox.add(text)
      startIfNeeded(engine)
    },
    retry(localId) {
      if (holdsClosed(engine)) {
        if (engine.afterClose === 'stay-closed') return
        followUp(engine)
      }
      outbox.retry(localId)
      startIfNeeded(engine)
    },
    discard: (localId) => outbox.discard(localId),
    async leaveFeedback(input) {
      const asked = required(engine, 'leaveFeedback')
      const feedback = await client.updateFeedback(asked.conversationId, input)
      dispatch(engine, { type: 'conversation changed', asked, change: { feedback } })
      return feedback
    },
    close: () => close(engine),
    reset: () => {
      dispatch(engine, { type: 'forgotten', reason: null })
    },
    signOut: () => signOut(engine, engine.givenAuthor),
    open: (conversationId) => openConversation(engine, conversationId),
    loadOlder: () => loadOlder(engine),
    markSeen: () => markSeen(engine),
    async requestHuman() {
      const asked = required(engine, 'requestHuman')
      const takeover = await client.changeTakeover(asked.conversationId, { isAssignedToBot: false })
      if (dispatch(engine, { type: 'takeover changed', asked, takeover })) {
        poller.activity()
        poller.schedule(0)
      }
      return takeover
    },
    trackPage: (url) => trackPage(engine, url),
    update(changes) {
      listen(engine.events, changes)
      if (changes.author) {
        const before = visitorKey(engine.author)
        engine.givenAuthor = changes.author
        engine.author = identify(changes.author, engine.storage, `${engine.key}:visitor`, (error) =>
          noteError(engine, error),
        )
        outbox.setAuthor(engine.author)
        // Another visitor: what the previous one held (or was starting) is theirs, never this one's.
        const held = engine.model.stored?.conversationId
        if (before !== visitorKey(engine.author)) {
          if (held !== undefined) setAside(engine, held)
          else if (engine.model.starting > 0 || engine.outbox.getSnapshot().entries.length) {
            engine.outbox.clear()
            dispatch(engine, { type: 'forgotten', reason: null })
          }
        }
      }
      if (changes.conversation) engine.details = changes.conversation
    },
    destroy() {
      engine.alive = false
      poller.destroy()
      outbox.destroy()
      for (const unsubscribe of subscriptions) unsubscribe()
      listeners.clear()
    },
  }
}
