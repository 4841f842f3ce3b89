// Chat messages for display: who wrote each one (role), and one view object per stored message, reused while unchanged.
import type { ChatApiError } from './errors'
import { failureError, type OutboxEntry } from './outbox'
import type { ConversationMessage, User, UserValue } from './types'

/** Who wrote a message, as a chat UI shows it. */
export type MessageRole = 'visitor' | 'agent' | 'bot'

/** One line of a chat, stored or still on its way. */
export interface ChatMessage {
  /** A stable React key. */
  key: string
  /** `sent` once the server has it; `pending` or `failed` for the visitor's own sends. */
  status: 'sent' | 'pending' | 'failed'
  /**
   * Who wrote it: `bot` (the author is a bot), `visitor` (the conversation's own author, compared
   * by the API's identifier precedence: `id`, then `email`, then `customIdentifier`), otherwise
   * `agent` (staff). The visitor's own sends on their way are `visitor`.
   */
  role: MessageRole
  /** The server's id, once sent. */
  id?: number
  message: string
  author: User | UserValue
  creationTime?: string | null
  /** Why a `failed` message failed. */
  error?: ChatApiError | null
  /** For the visitor's own sends: pass it to `retry` or `discard`. */
  localId?: number
}

const IDENTIFIERS = ['id', 'email', 'customIdentifier'] as const
const normalise = (value: string) => value.trim().toLowerCase()

/**
 * Whether two users are the same person, by the API's identifier precedence: the first of `id`,
 * `email`, `customIdentifier` that both carry decides. `undefined` when they share none.
 */
export function sameUser(a: User | UserValue, b: User | UserValue): boolean | undefined {
  for (const key of IDENTIFIERS) {
    const left = a[key]
    const right = b[key]
    if (left && right) return normalise(left) === normalise(right)
  }
  return undefined
}

/**
 * Who wrote a message: `bot` when its author is a bot; `visitor` when its author is the first of
 * `visitors` (the conversation's author as the server returned it, then the visitor as the app
 * gave it) that shares an identifier with it and matches; otherwise `agent`.
 *
 * @example
 * ```ts
 * messageRole(message.author, [conversation.author]) // 'visitor' | 'agent' | 'bot'
 * ```
 */
export function messageRole(
  author: User | UserValue,
  visitors: readonly (User | UserValue | undefined)[],
): MessageRole {
  if (author.isBot) return 'bot'
  for (const visitor of visitors) {
    const same = visitor ? sameUser(author, visitor) : undefined
    if (same !== undefined) return same ? 'visitor' : 'agent'
  }
  return 'agent'
}

/** The view of a stored message. */
export function storedMessage(source: ConversationMessage, role: MessageRole): ChatMessage {
  return {
    key: `message-${source.id}`,
    status: 'sent',
    role,
    id: source.id,
    message: source.message,
    author: source.author,
    creationTime: source.creationTime,
  }
}

/** The view of a message on its way that the history does not list yet (written by `author` unless it has its own). */
export function outgoingMessage(entry: OutboxEntry, author: UserValue, role: MessageRole = 'visitor'): ChatMessage {
  return {
    key: `outbox-${entry.localId}`,
    status: entry.failed ? 'failed' : entry.sent ? 'sent' : 'pending',
    role,
    ...(entry.sent ? { id: entry.sent.id } : {}),
    message: entry.message,
    author: entry.author ?? author,
    creationTime: entry.creationTime ?? new Date(entry.writtenAt).toISOString(),
    localId: entry.localId,
    ...(entry.failed ? { error: failureError(entry.failed) } : {}),
  }
}

/**
 * The newest messages, newest first, page by page (`orderBy=creation_time_desc`) until a page
 * reaches one `known` (or the oldest): what is new costs O(new) requests, not O(history). With
 * `firstPageOnly`, one page. The pages are returned whole, known messages included.
 */
export async function listNewest(
  list: (page: { orderBy: 'creation_time_desc'; skip: number; take: number }) => Promise<ConversationMessage[]>,
  known: (id: number) => boolean,
  pageSize: number,
  firstPageOnly = false,
): Promise<ConversationMessage[]> {
  const arrived: ConversationMessage[] = []
  for (let skip = 0; ; skip += pageSize) {
    const page = await list({ orderBy: 'creation_time_desc', skip, take: pageSize })
    arrived.push(...page)
    if (firstPageOnly || page.length < pageSize || page.some((message) => known(message.id))) return arrived
  }
}
