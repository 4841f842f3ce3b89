// The visitor's own routes: sign-out (forget this browser's visitor) and "my conversations" (history).
import { messageRole } from '../../core/messages'
import type { Conversation, ConversationMessage } from '../../core/types'
import type { MyConversation } from '../../core/visitor'
import type { VisitorState } from '../cookie'
import type { ConversationIndex } from '../stores'
import { SAFE_HEADERS } from './http'
import type { Upstream } from './upstream'

/**
 * One of the visitor's conversations, as `GET {basePath}/visitor/conversations` lists it: the
 * client's `MyConversation`, one shape on both sides.
 */
export type VisitorConversation = MyConversation

/** Conversations the history lists at most. */
export const HISTORY_LIMIT = 20

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

/** One conversation's summary from the Chat API, or `undefined` when it cannot be read. */
async function summary(upstream: Upstream, id: number): Promise<VisitorConversation | undefined> {
  const [conversation, newest] = await Promise.all([
    upstream('GET', `chat/conversations/${id}`, '?includeMessages=false', undefined),
    upstream('GET', `chat/conversations/${id}/messages`, '?orderBy=creation_time_desc&take=1', undefined),
  ])
  const data = dataOf(conversation.json) as Conversation | undefined
  // Only what the client's check takes: one odd conversation must not turn the whole list into an error.
  if (!data || !Number.isSafeInteger(data.id) || !isTime(data.creationTime)) return undefined
  const message = (dataOf(newest.json) as ConversationMessage[] | undefined)?.[0]
  return {
    id: data.id,
    // The reference's conversation object has no title (only the create request does): null unless the API sends one.
    title:
      typeof (data as { title?: unknown }).title === 'string' ? ((data as { title?: string }).title as string) : null,
    creationTime: data.creationTime,
    lastModifiedTime: isTime(data.lastModifiedTime) ? data.lastModifiedTime : data.creationTime,
    isClosed: data.isClosed === true,
    lastMessage:
      message && typeof message.message === 'string' && isTime(message.creationTime) && message.author
        ? {
            message: message.message,
            creationTime: message.creationTime,
            role: messageRole(message.author, [data.author]),
          }
        : null,
  }
}

/** `GET {basePath}/visitor/conversations`: the visitor's conversations, newest first, in the API's envelope. */
export async function history(upstream: Upstream, ids: number[]): Promise<Response> {
  const items = await Promise.all(ids.map((id) => summary(upstream, id)))
  const data = items.filter((item): item is VisitorConversation => item !== undefined)
  return new Response(JSON.stringify({ data, errorCode: -1, errorText: null }), { headers: SAFE_HEADERS })
}
