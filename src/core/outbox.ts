// The visitor's outbox: each message stored on the server once, in order, across failures, reloads and tabs.
import type { ChatClient } from './client'
import type { AddMessageInput } from './endpoints'
import {
  ChatApiError,
  type ChatApiErrorCode,
  type ChatApiErrorKind,
  isChatApiError,
  type ValidationIssue,
} from './errors'
import { randomId } from './random'
import { asStorageError, type ChatSessionStorage } from './storage'
import type { ConversationMessage, User, UserValue } from './types'
import { parseIsoTime } from './validate'

/** A message the visitor wrote that the history does not list yet. */
export interface OutboxEntry {
  /** Identifies the entry: pass it to `retry` or `discard`. */
  localId: number
  message: string
  /** When the visitor wrote it (local epoch ms). */
  writtenAt: number
  /** The server-time stamp sent with the latest attempt; with the text and author it identifies the message. */
  creationTime?: string
  /**
   * Local epoch ms at which an attempt whose fate is unknown left. Written before the request
   * leaves, so whoever sends next (this page, a reload, another tab) looks for it first.
   */
  leftAt?: number
  /**
   * The server answered that attempt with an error after handling it (a 500, say, not a gateway's
   * 502/504 nor silence): it is over, so a look that does not find it means it did not land, and
   * it may go again at once instead of after the landing window.
   */
  answered?: boolean
  /**
   * The `Idempotency-Key` of its current logical write, while the client sends keys: every try of
   * it (after no answer, after a reload) goes with this key and the same `creationTime`, so the
   * server half stores it once. Dropped once the server answered it with an error (that answer is
   * what the key replays); the next try, after a retry or a look, is a new write with a new key.
   */
  idempotencyKey?: string
  /** Refused (or its conversation is gone): waits for the visitor to retry or discard it. */
  failed?: OutboxFailure
  /** Stored on the server, with its id; kept until the history lists it, so it never blinks out of view. */
  sent?: { id: number }
  /**
   * The server said it stored the message but listed none back (its answer may list fewer than
   * were sent, as the reference's own example does): it is looked for, never sent again.
   */
  landed?: boolean
  /** Its own author, when it is not the outbox's (messages sent with `useAddMessages`). */
  author?: UserValue
  /** Sent as given (`isByTeam`). */
  isByTeam?: boolean | null
  /** The caller chose `creationTime`: it is sent as is, never restamped. */
  fixedTime?: boolean
}

/** Why an entry failed, kept in storage: what is needed to show the error again after a reload. */
export interface OutboxFailure {
  /** `ended`: its conversation closed or went away before it was sent. */
  kind: ChatApiErrorKind | 'ended'
  message: string
  /** Why, as the error's code: an `ended` one says how it ended (`conversation-closed`, `not-found`, `no-conversation`). */
  code?: ChatApiErrorCode
  status?: number
  issues?: ValidationIssue[]
  /** It never left: the start of its conversation failed. A start that succeeds sends it after all. */
  startFailed?: boolean
  /** The conversation that had closed when it was refused (`code: 'conversation-closed'`, see `OutboxOptions.ended`). */
  conversationId?: number
}

/** The error a failed entry shows. An `ended` one is a `validation` error: it was never sent. */
export function failureError(failed: OutboxFailure): ChatApiError {
  const { kind, message, startFailed: _startFailed, conversationId: _conversationId, ...details } = failed
  return new ChatApiError(kind === 'ended' ? 'validation' : kind, message, details)
}

const NO_CONVERSATION: OutboxFailure = {
  kind: 'validation',
  code: 'no-conversation',
  message: 'addMessages: there is no conversation id',
  issues: [{ path: 'id', code: 'required', message: 'a conversation id is required' }],
}

const failureOf = (error: ChatApiError): OutboxFailure => ({
  kind: error.kind,
  message: error.message,
  code: error.code,
  ...(error.status !== undefined ? { status: error.status } : {}),
  ...(error.issues ? { issues: error.issues } : {}),
})

/** What the outbox shows. A new object only when something changed. */
export interface OutboxSnapshot {
  /** Oldest first. */
  entries: readonly OutboxEntry[]
  /**
   * Why the outbox could not be saved to storage (over quota, blocked), or `null`. Messages are
   * still kept in memory and sent, but a reload now would lose the unsent ones: warn the visitor.
   */
  persistError: Error | null
}

/** Timers the outbox waits with; injectable so tests drive time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** Whether the network is up, and news when it comes back. */
export interface OnlineSignal {
  isOnline(): boolean
  subscribe(listener: (online: boolean) => void): () => void
}

/** Runs `task` while holding the named lock: one holder at a time, across tabs where possible. */
export type Lock = <T>(name: string, task: () => Promise<T>) => Promise<T>

/** Options of {@link createOutbox}. */
export interface OutboxOptions {
  /**
   * The client. While its `idempotencyKeys` is `true`, an attempt that got no answer is sent again
   * after the back-off (`retryDelay`, doubling) with the same key, instead of being looked for
   * through the landing window.
   */
  client: Pick<ChatClient, 'addMessages' | 'listMessages' | 'clock' | 'idempotencyKeys'>
  /** The visitor, author of every message. */
  author: UserValue
  storage: ChatSessionStorage
  /** The key the outbox keeps its entries under. */
  key: string
  /** One sender at a time. Default: Web Locks where the browser has them, else an in-page queue. */
  lock?: Lock
  /** Default: always online. */
  online?: OnlineSignal
  /** Default: the global timers. */
  timers?: Timers
  /** Local clock, epoch ms. Default `Date.now`. */
  now?: () => number
  /** Milliseconds before trying again after a transient failure, doubling up to 30 s. Default 1000. */
  retryDelay?: number
  /** Milliseconds between looks at the server for an attempt whose fate is unknown. Default 2000. */
  recheckInterval?: number
  /**
   * How late, after it left, a request may still land on the server and be recognised instead of
   * sent again. An attempt whose fate is unknown is not repeated until this long after it left
   * and the latest messages do not show it. Default 30000 (the client's default timeout).
   */
  landingWindow?: number
  /**
   * What happens after an attempt whose fate is unknown (no answer, a timeout, a 5xx):
   * - `auto` (default): the outbox looks for it, and sends it again once it is known not to have landed;
   * - `manual`: it shows as failed at once, with its error; the visitor's `retry` looks for it first,
   *   and sends it again only if it did not land. Nothing is sent again by itself.
   */
  resend?: 'auto' | 'manual'
  /**
   * Without a conversation, entries `wait` for one (default: a session starts one) or `fail` at once
   * (a hook that was given no conversation id).
   */
  withoutConversation?: 'wait' | 'fail'
  /**
   * The history the visitor's messages end up in, read by the outbox: an entry stored on the server
   * stays (shown as sent) until the history lists its server id, then leaves by itself. Without it,
   * stored entries stay until `acknowledge`.
   */
  listed?: ListedMessages
  /**
   * Asked after the server refused a message: whether its conversation has ended (closed). When it
   * resolves `true` the message fails as never sent (`code: 'conversation-closed'`, with the
   * conversation's id) instead of with the refusal, so its owner can send it elsewhere. Without
   * it (or when it rejects), a refusal is just a refusal.
   */
  ended?: (conversationId: number, error: ChatApiError) => Promise<boolean>
}

/** A read-only view of the loaded history: which stored messages it lists, and news when that changes. */
export interface ListedMessages {
  has(serverId: number): boolean
  subscribe(listener: () => void): () => void
}

/** The outbox engine. Framework-free: React adapts it with `useSyncExternalStore`. */
export interface Outbox {
  getSnapshot(): OutboxSnapshot
  subscribe(listener: () => void): () => void
  /**
   * Adds a message; never throws. Returns its `localId`. Text is written by the outbox's author; a
   * message input carries its own author (and `creationTime`, `isByTeam`). With `failed` it is
   * kept as failed with that failure, never sent until `retry` (a message refused before any request).
   */
  add(input: string | AddMessageInput, failed?: OutboxFailure): number
  /**
   * Sends a failed message again. A refused one was never stored and goes at once, stamped anew;
   * one whose fate was unknown is first looked for, and sent only if it did not land (while the
   * client sends idempotency keys, one that got no answer at all goes at once with its key instead).
   */
  retry(localId: number): void
  /** Forgets a message that is not on its way (failed, or not yet sent). */
  discard(localId: number): void
  /** The conversation to send to; `undefined` holds everything until there is one. */
  setConversation(id: number | undefined): void
  setAuthor(author: UserValue): void
  /**
   * Who the server says the visitor is (the conversation's author), or `undefined`. Stored
   * messages are matched against it (by the server's user id) rather than the author as sent,
   * which a proxy may rewrite (the server half gives anonymous visitors its own identifier).
   */
  setIdentity(user: User | undefined): void
  /**
   * Server ids the history now lists: their entries leave the outbox. Not needed with the `listed`
   * option, which the outbox follows by itself.
   */
  acknowledge(ids: Iterable<number>): void
  /**
   * The conversation is gone: every unsent message stays, marked failed with `reason` and `code`
   * (why it ended: `conversation-closed`, `not-found`, `no-conversation`); sent ones go with it,
   * listed by its history or not.
   */
  abandon(reason: string, code?: ChatApiErrorCode): void
  /**
   * The start of a conversation failed with `error`: every message waiting for it fails at once,
   * with that error (kept, for the visitor to retry or discard).
   */
  failWaiting(error: ChatApiError): void
  /** A conversation now exists: the messages {@link Outbox.failWaiting} failed go after all. */
  resumeWaiting(): void
  /**
   * Drops every message, unsent and failed ones included (a sign-out): none is ever sent. An
   * attempt already on its way is aborted (it may still land, in the conversation it was sent
   * to), so it never holds up the next visitor's messages.
   */
  clear(): void
  /** Tries now (after the network is back, say) instead of at the next scheduled attempt. */
  wake(): void
  /** Stops sending and listening. An attempt in flight may still land; a later outbox will find it. */
  destroy(): void
}

interface State {
  entries: OutboxEntry[]
  /** Server ids already matched to an entry: one stored message answers for at most one entry. */
  claimed: number[]
}

const CLAIMED_KEPT = 200
/** How long a tab keeps a lock after writing what others read under it: longer than a browser takes to show its storage write to other tabs. */
export const STORAGE_SETTLE_MS = 500
/** How far the server's copy of a stamp may sit before ours (it may keep whole seconds). */
const EARLY_TOLERANCE = 2000

const parseState = (raw: string | null): State => {
  try {
    const value = raw ? JSON.parse(raw) : null
    // An older layout kept only the entries, as an array.
    const entries: unknown[] = Array.isArray(value) ? value : Array.isArray(value?.entries) ? value.entries : []
    const claimed: unknown[] = Array.isArray(value?.claimed) ? value.claimed : []
    return {
      entries: entries
        .filter(
          (e): e is OutboxEntry =>
            typeof (e as OutboxEntry)?.message === 'string' && Number.isSafeInteger((e as OutboxEntry)?.localId),
        )
        .map((e) => ({ ...e, writtenAt: Number.isFinite(e.writtenAt) ? e.writtenAt : e.localId })),
      claimed: claimed.filter((id): id is number => Number.isSafeInteger(id)),
    }
  } catch {
    return { entries: [], claimed: [] }
  }
}

const normalise = (value: string) => value.trim().toLowerCase()

/**
 * `true` unless the stored author is clearly someone else than `author`: a bot, staff, or a
 * different value of the identifier the server looks the visitor up by (id, then email, then
 * customIdentifier).
 */
export function isSameAuthor(stored: User | undefined, author: UserValue): boolean {
  if (!stored || stored.isBot || stored.status === 'team') return false
  if (author.id) return !stored.id || normalise(stored.id) === normalise(author.id)
  if (author.email) return !stored.email || normalise(stored.email) === normalise(author.email)
  if (author.customIdentifier)
    return !stored.customIdentifier || normalise(stored.customIdentifier) === normalise(author.customIdentifier)
  return true
}

/** Errors that say for certain the request never reached the server. */
const NEVER_LEFT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])

/** What a failed write says about whether it landed. */
export type Outcome = 'refused' | 'not-stored' | 'unknown'

/** An HTTP error the server itself gave after handling the request: not a gateway's 502/504, not a 408/425. */
const wasAnswered = (error: unknown) =>
  isChatApiError(error) &&
  error.kind === 'http' &&
  (error.status ?? 0) >= 500 &&
  error.status !== 502 &&
  error.status !== 504

/**
 * What a failed send says about the message: refused for good, certainly not stored, or unknown.
 * With a key, a 409 is the server half's "a request with this key is still in progress".
 */
export function outcomeOf(error: unknown, keyed?: boolean): Outcome {
  if (!isChatApiError(error)) return 'unknown'
  if (error.kind === 'validation' || error.kind === 'api') return 'refused'
  if (error.kind === 'http') {
    const status = error.status ?? 0
    if (status === 429) return 'not-stored'
    if (status >= 400 && status < 500 && status !== 408 && status !== 425 && !(keyed && status === 409))
      return 'refused'
    return 'unknown'
  }
  if (error.kind === 'network' && NEVER_LEFT.has((error.cause as Error | undefined)?.message ?? '')) return 'not-stored'
  return 'unknown'
}

const inPageChains = new Map<string, Promise<unknown>>()
/** One holder at a time within this page (a promise chain per name). */
export const pageLock: Lock = (name, task) => {
  const previous = inPageChains.get(name) ?? Promise.resolve()
  const next = previous.then(task, task)
  const settled = next.catch(() => {})
  inPageChains.set(name, settled)
  // The chain forgets a name nobody waits on, so short-lived names do not pile up.
  settled.then(() => {
    if (inPageChains.get(name) === settled) inPageChains.delete(name)
  })
  return next
}

/** Web Locks across tabs where the browser has them; otherwise a promise chain within this page. */
export const defaultLock: Lock = (name, task) => {
  const locks = (globalThis.navigator as { locks?: { request: Lock } } | undefined)?.locks
  return locks ? locks.request(name, task) : pageLock(name, task)
}

let lastLocalId = 0

/** The entry as if never sent: what the caller gave, without attempts or failure. */
function fresh(entry: OutboxEntry): OutboxEntry {
  const { leftAt, answered, failed, sent, creationTime, idempotencyKey, landed, ...given } = entry
  return entry.fixedTime ? { ...given, creationTime } : given
}

/**
 * A failed entry made ready to go again. One whose last attempt may have landed keeps when it left
 * and its stamp, so it is looked for before it is sent again.
 */
function unfailed(entry: OutboxEntry): OutboxEntry {
  const { failed, ...rest } = entry
  return rest.leftAt === undefined ? fresh(entry) : rest
}

/**
 * The visitor's outbox, a small protocol for an API without idempotency keys (and a shorter one
 * behind the server half, which honours them):
 * - an attempt is written to storage (with when it left) before it leaves;
 * - one sender at a time (a lock shared by tabs), oldest message first;
 * - a refusal (4xx, an error envelope) marks the message failed; it is never resent by itself;
 * - after an attempt whose fate is unknown (no answer, a timeout, a 5xx, a reload), the latest
 *   messages are searched for it (same text and author, a stamp within tolerance, each stored
 *   message answering for one entry) every `recheckInterval` until `landingWindow` after it left;
 *   only then is it sent again. A request that lands later than that can be stored twice;
 * - while the client sends idempotency keys, an attempt that got no answer at all (a network
 *   error, a timeout, a reload) is instead sent again after the back-off with the same key and
 *   body, without a look: the server half stores it once and gives its answer again. An HTTP
 *   answer (a 502 included) is what it replays for that key, so after one the key is spent and the
 *   protocol above applies, then a new key;
 * - messages are stamped in the server's time (`client.clock`), so a wrong visitor clock neither
 *   gets them refused nor files them into history already shown.
 */
/** One outbox's parts and state. */
interface Box {
  readonly options: OutboxOptions
  readonly client: OutboxOptions['client']
  readonly storage: ChatSessionStorage
  readonly key: string
  readonly lock: Lock
  readonly timers: Timers
  readonly now: () => number
  readonly retryDelay: number
  readonly recheckInterval: number
  readonly landingWindow: number
  readonly listeners: Set<() => void>
  /** Settles when the outbox is destroyed: a pending send lets go of the lock at once. */
  readonly destroyed: Promise<void>
  markDestroyed: () => void
  author: UserValue
  identity: User | undefined
  conversationId: number | undefined
  state: State
  persistError: Error | null
  snapshot: OutboxSnapshot
  alive: boolean
  /** Cuts the current pause short (a wake or a destroy). */
  wakeUp: (() => void) | undefined
  lastStamp: number
  running: boolean
  again: boolean
  /** The storage value the state was last read from or written as (`undefined`: not read yet). */
  raw: string | null | undefined
  /** Attempts made so far: after one, the sender keeps the lock until its writes reach other tabs. */
  attempts: number
  /** Aborts the requests under way for the visitor whose messages these are: a clear (another visitor) cuts them. */
  cut: AbortController
}

function publish(box: Box) {
  if (box.snapshot.entries === box.state.entries && box.snapshot.persistError === box.persistError) return
  box.snapshot = { entries: box.state.entries, persistError: box.persistError }
  for (const listener of [...box.listeners]) listener()
}

/** Storage is the truth shared with other tabs; memory keeps what storage refused. */
function load(box: Box) {
  let raw: string | null = null
  try {
    raw = box.storage.getItem(box.key)
  } catch {
    return
  }
  // What this outbox last read or wrote: nothing changed, and the state keeps its identity.
  if (raw === box.raw && !box.persistError) return
  box.raw = raw
  const stored = parseState(raw)
  // What storage refused to keep is still ours: keep it beside what others wrote.
  const unsaved = box.persistError
    ? box.state.entries.filter((entry) => !stored.entries.some((other) => other.localId === entry.localId))
    : []
  box.state = {
    entries: [...stored.entries, ...unsaved].sort((a, b) => a.localId - b.localId),
    claimed: stored.claimed,
  }
}

function save(box: Box) {
  try {
    const { state } = box
    const raw = state.entries.length || state.claimed.length ? JSON.stringify(state) : null
    if (raw === null) box.storage.removeItem(box.key)
    else box.storage.setItem(box.key, raw)
    box.raw = raw
    box.persistError = null
  } catch (error) {
    box.persistError = asStorageError(error)
  }
}

/** Read-modify-write, so a change made by another tab since is not overwritten. */
function change(box: Box, edit: (state: State) => State) {
  load(box)
  box.state = edit(box.state)
  save(box)
  publish(box)
}

function patch(box: Box, localId: number, update: Partial<OutboxEntry> | null, claim?: number) {
  change(box, ({ entries, claimed }) => ({
    entries: entries.flatMap((entry) =>
      entry.localId !== localId ? [entry] : update === null ? [] : [{ ...entry, ...update }],
    ),
    claimed: claim === undefined ? claimed : [...claimed, claim].slice(-CLAIMED_KEPT),
  }))
}

/** Stored entries whose server ids `listed` says the history holds leave: the history owns them now. */
function release(box: Box, listed: (serverId: number) => boolean) {
  if (!box.state.entries.some((entry) => entry.sent && listed(entry.sent.id))) return
  change(box, (current) => ({
    ...current,
    entries: current.entries.filter((entry) => !(entry.sent && listed(entry.sent.id))),
  }))
}

/** Waiting that a wake() (new message, retry, back online) or destroy() cuts short. */
function pause(box: Box, ms: number) {
  return new Promise<void>((resolve) => {
    const handle = box.timers.setTimeout(done, ms)
    function done() {
      box.timers.clearTimeout(handle)
      if (box.wakeUp === done) box.wakeUp = undefined
      resolve()
    }
    box.wakeUp = done
  })
}

function wake(box: Box) {
  box.wakeUp?.()
  pump(box)
}

/**
 * The entry is stored on the server as `serverId`. If the outbox has let that conversation go
 * meanwhile (a reset while the request was on its way), the entry goes too: it belongs to a
 * conversation nobody shows, and must not linger as "failed" when it was stored.
 */
function stored(box: Box, localId: number, sentTo: number, serverId: number) {
  if (box.conversationId === sentTo) patch(box, localId, { sent: { id: serverId }, leftAt: undefined }, serverId)
  else patch(box, localId, null)
  // Listed already (a look found it in the history): it is the history's.
  const listed = box.options.listed
  if (listed?.has(serverId)) release(box, (id) => listed.has(id))
}

/** The stored message that is this entry, if the latest messages show it. */
function findStored(box: Box, recent: ConversationMessage[], entry: OutboxEntry) {
  const stamp = parseIsoTime(entry.creationTime)
  const { identity, landingWindow } = box
  return recent.find((message) => {
    if (message.message !== entry.message || box.state.claimed.includes(message.id)) return false
    // The visitor's own messages are written as the conversation's author, whatever was sent (a
    // proxy may rewrite the author): either identity will do, never for staff or bot messages.
    const own = !entry.isByTeam && !entry.author?.isBot
    const byIdentity = own && identity?.id !== undefined && isSameAuthor(message.author, { id: identity.id })
    if (!byIdentity && !isSameAuthor(message.author, entry.author ?? box.author)) return false
    const difference = Date.parse(message.creationTime) - stamp
    return difference >= -EARLY_TOLERANCE && difference <= landingWindow + EARLY_TOLERANCE
  })
}

/** Server time, never earlier than the previous stamp: messages keep the order they were sent in. */
function stamp(box: Box) {
  box.lastStamp = Math.max(Math.round(box.client.clock.now()), box.lastStamp + 1)
  return new Date(box.lastStamp).toISOString()
}

async function pump(box: Box) {
  if (box.running) {
    box.again = true
    return
  }
  box.running = true
  try {
    do {
      box.again = false
      // A destroyed outbox lets go of the lock at once, even with a request still in flight.
      await box.lock(`${box.key}:send`, () => Promise.race([sendAll(box), box.destroyed]))
    } while (box.again && box.alive)
  } finally {
    box.running = false
  }
}

/**
 * Drains under the send lock, then, after an attempt, keeps the lock a little longer: a browser
 * shows one tab's storage write to another a moment later, and a tab that took the lock at once
 * could still read the message as never sent and send it a second time. A message written
 * meanwhile cuts the wait short and goes under the same lock.
 */
async function sendAll(box: Box) {
  for (;;) {
    const attempts = box.attempts
    box.again = false
    await drain(box)
    if (box.attempts === attempts || !box.alive) return
    await pause(box, STORAGE_SETTLE_MS)
    if (!box.again) return
  }
}

/** What one step of the sender leads to. `again`: look at the entries again at once. */
type Step = { kind: 'stop' | 'again' | 'sent' } | { kind: 'later'; error: unknown }

/**
 * Before an attempt whose fate is unknown goes again, a look at the latest messages: `again` (found
 * it stored, or waited a while), or `send`. An attempt older than the landing window is looked for
 * even with its key: the server may have forgotten it.
 */
async function look(box: Box, id: number, head: OutboxEntry, again: string | undefined, signal: AbortSignal) {
  if (head.leftAt === undefined || (again && box.now() - head.leftAt < box.landingWindow)) return 'send'
  const recent = await box.client.listMessages(id, { orderBy: 'creation_time_desc', take: 100, signal })
  if (!box.alive) return 'stop'
  load(box)
  const found = findStored(box, recent, head)
  if (found) {
    stored(box, head.localId, id, found.id)
    return 'again'
  }
  const waited = box.now() - head.leftAt
  if (head.landed && waited >= box.landingWindow) {
    // Stored, the server said, yet not among the latest: it is history now, not the outbox's.
    patch(box, head.localId, null)
    return 'again'
  }
  if (waited < box.landingWindow && !head.answered) {
    await pause(box, Math.min(box.recheckInterval, box.landingWindow - waited))
    return 'again'
  }
  return 'send'
}

/** One attempt of the head entry: stamped, written down before it leaves, sent. */
async function attempt(
  box: Box,
  id: number,
  head: OutboxEntry,
  again: string | undefined,
  signal: AbortSignal,
): Promise<Step> {
  const keyed = box.client.idempotencyKeys
  // Another try of the same write sends the same body: a key reused with another one is refused.
  const creationTime = (again || head.fixedTime) && head.creationTime ? head.creationTime : stamp(box)
  const idempotencyKey = again ?? (keyed ? randomId() : undefined)
  // Written before the request leaves: if this page dies now, the next sender looks first.
  const leftAt = box.now()
  box.attempts++
  patch(box, head.localId, { creationTime, leftAt, answered: undefined, idempotencyKey })
  const input: AddMessageInput = { message: head.message, author: head.author ?? box.author, creationTime }
  if (head.isByTeam !== undefined) input.isByTeam = head.isByTeam
  try {
    const [sent] = await box.client.addMessages(id, [input], { idempotencyKey, signal })
    if (sent) stored(box, head.localId, id, sent.id)
    // Stored, by the server's word, but not listed back: found by listing, never sent twice.
    else patch(box, head.localId, { landed: true, idempotencyKey: undefined })
    return { kind: 'sent' }
  } catch (error) {
    // Cut by a clear: the entry is gone with its visitor; the sender goes on with what is left.
    if (signal.aborted) return { kind: 'again' }
    if (box.alive && (await endedWith(box, id, head, error))) return { kind: 'again' }
    return box.alive ? failedAttempt(box, head, error, leftAt) : { kind: 'stop' }
  }
}

/** A refusal because the conversation had closed: the entry fails as never sent, for its owner to send elsewhere. */
async function endedWith(box: Box, id: number, head: OutboxEntry, error: unknown): Promise<boolean> {
  const { ended } = box.options
  if (!ended || !isChatApiError(error) || error.kind === 'validation' || outcomeOf(error) !== 'refused') return false
  try {
    if (!(await ended(id, error)) || !box.alive) return false
  } catch {
    return false
  }
  const failed: OutboxFailure = {
    kind: 'ended',
    code: 'conversation-closed',
    message: 'The conversation had ended before this message was sent',
    conversationId: id,
  }
  // Never stored: it goes as a new write wherever it goes next.
  const creationTime = head.fixedTime ? head.creationTime : undefined
  patch(box, head.localId, { leftAt: undefined, answered: undefined, idempotencyKey: undefined, creationTime, failed })
  return true
}

/** What a failed attempt leaves: failed (the visitor decides, `again`), or tried again after the back-off (`later`). */
function failedAttempt(box: Box, head: OutboxEntry, error: unknown, leftAt: number): Step {
  const keyed = box.client.idempotencyKeys
  const outcome = outcomeOf(error, keyed)
  // Any answer (but a 409) is what the server half gives again for that key, a 502 as much as an
  // odd 200: the key is spent, and the next try is a new write, looked for first. Only silence (a
  // network error, a timeout) keeps it.
  const silence = isChatApiError(error) && (/^(network|timeout)$/.test(error.kind) || error.status === 409)
  if (keyed && !silence) patch(box, head.localId, { idempotencyKey: undefined })
  if (outcome === 'refused' || box.options.resend === 'manual') {
    // Refused: never stored. Manual: shown failed; a retry looks for it first (leftAt stays).
    patch(box, head.localId, {
      failed: failureOf(isChatApiError(error) ? error : new ChatApiError('network', 'The message was not sent')),
      leftAt: outcome === 'unknown' ? leftAt : undefined,
      answered: outcome === 'unknown' && wasAnswered(error),
    })
    return { kind: 'again' }
  }
  if (outcome === 'not-stored') patch(box, head.localId, { leftAt: undefined })
  if (outcome === 'unknown' && wasAnswered(error)) patch(box, head.localId, { answered: true })
  return { kind: 'later', error }
}

/** The next step for the head entry: a look first when its last attempt's fate is unknown, then an attempt. */
async function step(box: Box, id: number, head: OutboxEntry): Promise<Step> {
  // The key of the write under way: another try of it needs no look.
  const again = box.client.idempotencyKeys ? head.idempotencyKey : undefined
  const { signal } = box.cut
  try {
    const looked = await look(box, id, head, again, signal)
    if (looked !== 'send') return { kind: looked }
  } catch (error) {
    if (signal.aborted) return { kind: 'again' }
    // A failed look (a GET) says nothing about the message: it stays as it was.
    return box.alive ? { kind: 'later', error } : { kind: 'stop' }
  }
  return attempt(box, id, head, again, signal)
}

/** Sends the entries, oldest first, until none is ready (or the network is down, or no conversation). */
async function drain(box: Box) {
  let delay = box.retryDelay
  while (box.alive) {
    // Another tab's writes, which a browser may show only now: what the visitor sees follows.
    load(box)
    publish(box)
    const id = box.conversationId
    const head = box.state.entries.find((entry) => !entry.failed && !entry.sent)
    if (!head || (box.options.online && !box.options.online.isOnline())) return
    if (id === undefined) {
      if (box.options.withoutConversation !== 'fail') return
      patch(box, head.localId, { failed: NO_CONVERSATION })
      continue
    }
    const next = await step(box, id, head)
    if (next.kind === 'stop') return
    if (next.kind === 'sent') delay = box.retryDelay
    if (next.kind !== 'later') continue
    const asked = isChatApiError(next.error) ? (next.error.retryAfter ?? 0) * 1000 : 0
    await pause(box, Math.max(delay, asked))
    delay = Math.min(delay * 2, 30_000)
  }
}

/** A new entry from what `add` was given. */
function entryOf(input: string | AddMessageInput, localId: number, writtenAt: number): OutboxEntry {
  if (typeof input === 'string') return { localId, message: input, writtenAt }
  return {
    localId,
    message: input.message,
    writtenAt,
    author: input.author,
    ...(input.isByTeam !== undefined ? { isByTeam: input.isByTeam } : {}),
    ...(input.creationTime ? { creationTime: input.creationTime, fixedTime: true } : {}),
  }
}

/** Every unsent entry fails with `reason` (kept, for the visitor to retry or discard); stored ones go. */
function abandoned(current: State, reason: string, code?: ChatApiErrorCode): State {
  return {
    entries: current.entries.flatMap((entry) =>
      entry.sent
        ? []
        : entry.failed
          ? [entry]
          : [{ ...fresh(entry), failed: { kind: 'ended' as const, message: reason, ...(code ? { code } : {}) } }],
    ),
    claimed: [],
  }
}

/**
 * The visitor's outbox, a small protocol for an API without idempotency keys (and a shorter one
 * behind the server half, which honours them):
 * - an attempt is written to storage (with when it left) before it leaves;
 * - one sender at a time (a lock shared by tabs), oldest message first;
 * - a refusal (4xx, an error envelope) marks the message failed; it is never resent by itself;
 * - after an attempt whose fate is unknown (no answer, a timeout, a 5xx, a reload), the latest
 *   messages are searched for it (same text and author, a stamp within tolerance, each stored
 *   message answering for one entry) every `recheckInterval` until `landingWindow` after it left;
 *   only then is it sent again. A request that lands later than that can be stored twice;
 * - while the client sends idempotency keys, an attempt that got no answer at all (a network
 *   error, a timeout, a reload) is instead sent again after the back-off with the same key and
 *   body, without a look: the server half stores it once and gives its answer again. An HTTP
 *   answer (a 502 included) is what it replays for that key, so after one the key is spent and the
 *   protocol above applies, then a new key;
 * - messages are stamped in the server's time (`client.clock`), so a wrong visitor clock neither
 *   gets them refused nor files them into history already shown;
 * - a stored message stays in the outbox (shown as sent) until the history lists it (`listed`).
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const box = boxOf(options)
  load(box)
  box.snapshot = { entries: box.state.entries, persistError: box.persistError }
  const { listed } = options
  const unsubscribes = [
    options.storage.subscribe?.(box.key, () => {
      load(box)
      publish(box)
      pump(box)
    }),
    options.online?.subscribe((isOnline) => {
      if (isOnline) wake(box)
    }),
    listed?.subscribe(() => release(box, (id) => listed.has(id))),
  ]
  const edit = (update: (entries: OutboxEntry[]) => OutboxEntry[]) =>
    change(box, (current) => ({ ...current, entries: update(current.entries) }))
  return {
    getSnapshot: () => box.snapshot,
    subscribe(listener) {
      box.listeners.add(listener)
      return () => box.listeners.delete(listener)
    },
    add(input, failed) {
      const writtenAt = box.now()
      lastLocalId = Math.max(lastLocalId + 1, writtenAt * 1000)
      const entry = { ...entryOf(input, lastLocalId, writtenAt), ...(failed ? { failed } : {}) }
      edit((entries) => [...entries, entry])
      wake(box)
      return entry.localId
    },
    retry(localId) {
      edit((entries) => entries.map((entry) => (entry.localId === localId && entry.failed ? unfailed(entry) : entry)))
      wake(box)
    },
    discard(localId) {
      edit((entries) =>
        entries.filter((entry) => entry.localId !== localId || (entry.leftAt !== undefined && !entry.failed)),
      )
    },
    setConversation(id) {
      if (id === box.conversationId) return
      box.conversationId = id
      wake(box)
    },
    setAuthor(next) {
      box.author = next
    },
    setIdentity(user) {
      box.identity = user
    },
    acknowledge(ids) {
      const listedIds = new Set(ids)
      release(box, (id) => listedIds.has(id))
    },
    abandon(reason, code) {
      // Sent ones go with their conversation even when the history did not list them yet.
      if (box.state.entries.some((entry) => entry.sent || !entry.failed))
        change(box, (current) => abandoned(current, reason, code))
    },
    failWaiting(error) {
      const failed = { ...failureOf(error), startFailed: true }
      const waiting = (entry: OutboxEntry) => !entry.sent && !entry.failed && entry.leftAt === undefined
      if (box.state.entries.some(waiting))
        edit((entries) => entries.map((entry) => (waiting(entry) ? { ...entry, failed } : entry)))
    },
    resumeWaiting() {
      if (!box.state.entries.some((entry) => entry.failed?.startFailed)) return
      edit((entries) => entries.map((entry) => (entry.failed?.startFailed ? unfailed(entry) : entry)))
      wake(box)
    },
    clear() {
      change(box, () => ({ entries: [], claimed: [] }))
      // A request of theirs still under way would hold the sender (and the next visitor's first message) until it ends.
      box.cut.abort()
      box.cut = new AbortController()
    },
    wake: () => wake(box),
    destroy() {
      box.alive = false
      box.markDestroyed()
      box.wakeUp?.()
      for (const unsubscribe of unsubscribes) unsubscribe?.()
      box.listeners.clear()
    },
  }
}

/** The outbox's parts from its options; nothing loaded yet. */
function boxOf(options: OutboxOptions): Box {
  const box: Box = {
    options,
    client: options.client,
    storage: options.storage,
    key: options.key,
    lock: options.lock ?? defaultLock,
    timers: options.timers ?? (globalThis as unknown as Timers),
    now: options.now ?? Date.now,
    retryDelay: options.retryDelay ?? 1000,
    recheckInterval: options.recheckInterval ?? 2000,
    landingWindow: options.landingWindow ?? 30_000,
    listeners: new Set(),
    destroyed: Promise.resolve(),
    markDestroyed: () => {},
    author: options.author,
    identity: undefined,
    conversationId: undefined,
    state: { entries: [], claimed: [] },
    persistError: null,
    snapshot: { entries: [], persistError: null },
    alive: true,
    wakeUp: undefined,
    lastStamp: 0,
    running: false,
    again: false,
    attempts: 0,
    raw: undefined,
    cut: new AbortController(),
  }
  ;(box as { destroyed: Promise<void> }).destroyed = new Promise<void>((resolve) => {
    box.markDestroyed = resolve
  })
  return box
}
