// The visitor's own routes: sign-out (forget this browser's visitor) and "my conversations" (history).
import { messageRole } from '../../core/messages'
import type { Conversation, ConversationMessage } from '../../core/types'
import type { MyConversation } from '../../core/visitor'
import type { VisitorState } from '../cookie'
import type { ConversationIndex } from '../stores'
import type { ProxyContext } from './context'
import type { GuardDeps } from './guards'
import { refusal, SAFE_HEADERS } from './http'
import type { Upstream } from './upstream'

/**
 * One of the visitor's conversations, as `GET {basePath}/visitor/conversations` lists it: the
 * client's `MyConversation`, one shape on both sides.
 */
export type VisitorConversation = MyConversation

/** Conversations the history lists at most. */
export const HISTORY_LIMIT = 20

/**
 * How long a conversation's summary is reused, in milliseconds. A history shown again within it
 * (window focus, a second tab, a script in a loop) costs the Chat API nothing; what an agent did
 * meanwhile shows at most this late.
 */
export const HISTORY_CACHE_MS = 10_000

/** Summaries kept in this process at most (the least recently used go first). */
export const HISTORY_CACHE_SIZE = 1000

/**
 * Chat API calls the history may make for one visitor (a signed-in identity, or else the cookie's
 * visitor) per minute: three full lists of {@link HISTORY_LIMIT} that the cache cannot answer. A
 * budget of its own, apart from `limits.requestsPerMinute`: a history must not spend the budget the
 * visitor chats with, and the general budget counts requests, not the calls one request fans out to.
 */
export const HISTORY_CALLS_PER_MINUTE = 3 * HISTORY_LIMIT

/** Chat API calls one history request has in flight at most. */
export const HISTORY_CONCURRENCY = 4

/** The `Set-Cookie` that makes the browser drop the visitor cookie. */
export function expiredCookie(name: string, attributes: string): string {
  return `${name}=; ${attributes.replace(/Max-Age=\d+/, 'Max-Age=0')}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`
}

/** `DELETE {basePath}/visitor`: 204, and the cookie expired. */
export function signOut(cookie: string): Response {
  return new Response(null, { status: 204, headers: { ...SAFE_HEADERS, 'set-cookie': cookie } })
}

/** The ids the history shows: the cookie's and, for a signed-in visitor, the index's; newest first. */
export async function historyIds(
  state: VisitorState | null | undefined,
  identity: string | undefined,
  index: ConversationIndex,
): Promise<number[]> {
  const ids = new Set<number>(state?.conversations ?? [])
  if (identity) for (const id of await index.list(identity, HISTORY_LIMIT)) ids.add(id)
  return [...ids].sort((a, b) => b - a).slice(0, HISTORY_LIMIT)
}

/** Whether `data` is a success envelope's data. */
const dataOf = (json: unknown): unknown => {
  const envelope = json as { errorCode?: unknown; data?: unknown } | undefined
  return envelope?.errorCode === -1 ? envelope.data : undefined
}

const isTime = (value: unknown): value is string => typeof value === 'string' && value !== ''

/** The newest of `messages` by creation time (then id), whatever order the Chat API sent them in. */
function newestOf(messages: unknown): ConversationMessage | undefined {
  if (!Array.isArray(messages)) return undefined
  let newest: ConversationMessage | undefined
  let newestTime = Number.NEGATIVE_INFINITY
  for (const message of messages as ConversationMessage[]) {
    if (!message || typeof message.message !== 'string' || !isTime(message.creationTime) || !message.author) continue
    const time = Date.parse(message.creationTime)
    if (Number.isNaN(time)) continue
    if (time > newestTime || (time === newestTime && (message.id ?? 0) > (newest?.id ?? 0))) {
      newest = message
      newestTime = time
    }
  }
  return newest
}

/** A conversation object as the history's item, or `undefined` when it is not one. */
function toSummary(data: Conversation | undefined, withMessages: boolean): VisitorConversation | undefined {
  // Only what the client's check takes: one odd conversation must not turn the whole list into an error.
  if (!data || !Number.isSafeInteger(data.id) || !isTime(data.creationTime)) return undefined
  const message = withMessages ? newestOf(data.messages) : undefined
  return {
    id: data.id,
    // The reference's conversation object has no title (only the create request does): null unless the API sends one.
    title:
      typeof (data as { title?: unknown }).title === 'string' ? ((data as { title?: string }).title as string) : null,
    creationTime: data.creationTime,
    lastModifiedTime: isTime(data.lastModifiedTime) ? data.lastModifiedTime : data.creationTime,
    isClosed: data.isClosed === true,
    lastMessage: message
      ? {
          message: message.message,
          creationTime: message.creationTime,
          role: messageRole(message.author, [data.author]),
        }
      : null,
  }
}

/**
 * One conversation's summary from the Chat API in one call: `GET chat/conversations/{id}` with
 * `includeMessages=true`, whose documented default order (`creation_time_desc`) brings the latest
 * 100 messages, the newest among them. No order parameter is sent: the reference spells it two ways.
 * Only when that answer is over `limits.upstreamBytes` is the conversation read again without its
 * messages (`lastMessage: null`), a call that `spend` must allow first. `undefined` when it cannot be read.
 */
async function summary(
  upstream: Upstream,
  id: number,
  spend: () => Promise<boolean>,
): Promise<VisitorConversation | undefined> {
  const full = await upstream('GET', `chat/conversations/${id}`, '?includeMessages=true', undefined)
  if (full.json !== undefined) return toSummary(dataOf(full.json) as Conversation | undefined, true)
  const tooLarge = full.status !== undefined && full.status >= 200 && full.status < 300
  if (!tooLarge || !(await spend())) return undefined
  const bare = await upstream('GET', `chat/conversations/${id}`, '?includeMessages=false', undefined)
  return toSummary(dataOf(bare.json) as Conversation | undefined, false)
}

/** A summary reused until `end`; `value` is still pending while its one call is in flight. */
interface CachedSummary {
  value: Promise<VisitorConversation | undefined>
  end: number
}

/** Summaries per handler (keyed by its guards' deps), so two handlers in one process never share one. */
const caches = new WeakMap<GuardDeps, Map<number, CachedSummary>>()

/**
 * Forgets conversation `id`'s summary in this handler's history, after the visitor changed it
 * through the handler (a message, a close): their own list shows it at once. What others change
 * (an agent) shows within {@link HISTORY_CACHE_MS}.
 */
export function forgetSummary(deps: GuardDeps, id: number): void {
  caches.get(deps)?.delete(id)
}

/** Runs `tasks` with at most `limit` in flight at once, answers in their order. */
async function pooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++
      results[index] = await (tasks[index] as () => Promise<T>)()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return results
}

/**
 * `GET {basePath}/visitor/conversations`: the visitor's conversations (at most {@link HISTORY_LIMIT}),
 * newest first, in the API's envelope. Bounded so that it cannot be used to hammer the Chat API:
 * - one upstream call per conversation (see `summary`), at most {@link HISTORY_CONCURRENCY} at a time;
 * - each summary reused for {@link HISTORY_CACHE_MS} by every request of this handler (one call in
 *   flight per conversation, however many requests want it), at most {@link HISTORY_CACHE_SIZE} kept;
 * - every call counted first against the visitor's history budget ({@link HISTORY_CALLS_PER_MINUTE},
 *   keyed by the signed-in identity, else the cookie's visitor, in `rateLimiter`): a request the budget
 *   cannot cover gets 429 with `Retry-After` before any call.
 * A conversation that cannot be read is left out and not kept, so it is asked for again next time.
 */
export async function history(deps: GuardDeps, context: ProxyContext): Promise<Response> {
  const ids = await historyIds(context.state, context.identityDigest, deps.conversations)
  let cache = caches.get(deps)
  if (!cache) {
    cache = new Map()
    caches.set(deps, cache)
  }
  const now = deps.config.now()
  const who = context.identityDigest
    ? `identity:${context.identityDigest}`
    : `visitor:${context.state?.visitor ?? `address:${context.address ?? 'unknown'}`}`
  const hit = async () => deps.limiter.hit(`history:${who}`, HISTORY_CALLS_PER_MINUTE, 60_000)
  const spend = async () => (await hit()).allowed
  // In flight counts as kept (its end is infinite): a request joining it makes no call of its own.
  const missing = ids.filter((id) => !((cache.get(id)?.end ?? 0) > now))
  if (missing.length) {
    const verdicts = await Promise.all(missing.map(hit))
    const refused = verdicts.filter((verdict) => !verdict.allowed)
    if (refused.length) {
      const wait = Math.max(1, Math.ceil(Math.max(...refused.map((verdict) => verdict.retryAfter))))
      return refusal(429, 'Too many history requests', { 'retry-after': String(wait) })
    }
  }
  const tasks = ids.map((id) => () => {
    const kept = cache.get(id)
    if (kept && kept.end > deps.config.now()) {
      // Most recently used last: the first key is the one to drop.
      cache.delete(id)
      cache.set(id, kept)
      return kept.value
    }
    const entry: CachedSummary = { value: summary(deps.upstream, id, spend), end: Number.POSITIVE_INFINITY }
    cache.delete(id)
    cache.set(id, entry)
    while (cache.size > HISTORY_CACHE_SIZE) cache.delete(cache.keys().next().value as number)
    entry.value.then(
      (value) => {
        if (value === undefined) {
          if (cache.get(id) === entry) cache.delete(id)
        } else entry.end = deps.config.now() + HISTORY_CACHE_MS
      },
      () => {
        if (cache.get(id) === entry) cache.delete(id)
      },
    )
    return entry.value
  })
  const items = await pooled(tasks, HISTORY_CONCURRENCY)
  const data = items.filter((item): item is VisitorConversation => item !== undefined)
  return new Response(JSON.stringify({ data, errorCode: -1, errorText: null }), { headers: SAFE_HEADERS })
}
