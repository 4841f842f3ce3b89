// The server half's visitor routes, called from the browser: "my conversations" (history) and sign-out.
import { type ChatConnection, endpointCall } from './connection'
import type { Endpoint } from './endpoints'
import { isChatApiError } from './errors'
import { invalidInput, type RequestOptions } from './http'
import type { MessageRole } from './messages'
import type { Timestamp } from './types'
import { isObject } from './validate'

/**
 * One of the visitor's own conversations, as the server half lists it
 * (`GET {basePath}/visitor/conversations`, newest first).
 */
export interface MyConversation {
  /** The conversation id: open it with `getConversation`, `useConversation` or a session. */
  id: number
  /** `null` unless the Chat API returns a title (its conversation object documents none). */
  title: string | null
  creationTime: Timestamp
  /** When anything in it last changed (its creation time when the API gives none). */
  lastModifiedTime: Timestamp
  /** `true` once an agent or the visitor closed it: it can be read, not written. */
  isClosed: boolean
  /** The newest message and who wrote it (see `messageRole`); `null` when there is none. */
  lastMessage: { message: string; creationTime: Timestamp; role: MessageRole } | null
}

/** What the visitor routes take: a signal to cancel the call. */
export type VisitorRequestOptions = Pick<RequestOptions, 'signal'>

/** The client methods of the server half's visitor routes (see {@link listMyConversations}, {@link signOutVisitor}). */
export interface VisitorMethods {
  /**
   * The visitor's own conversations, newest first (at most 20): the server half's
   * `GET {basePath}/visitor/conversations`. The Chat API has no such list, so a client with an
   * `accessToken` (talking to the API itself) is refused with a `validation` error and sends
   * nothing. Other failures are the usual {@link ChatApiError}s; an answer of another shape is a
   * `parse` error.
   */
  listMyConversations(options?: VisitorRequestOptions): Promise<MyConversation[]>
  /**
   * Forgets this browser's visitor on the server half: `DELETE {basePath}/visitor`, answered 204
   * with a `Set-Cookie` that expires the visitor cookie, after which this browser reaches none of
   * its old conversations. A signed-in visitor's conversations still follow the identity the app's
   * `resolveVisitor` resolves, so sign the user out of the app too. Resolves once the server half
   * answered. With an `accessToken` there is no server visitor to forget: it resolves at once and
   * sends nothing, so a session can call it whatever its client.
   */
  signOutVisitor(options?: VisitorRequestOptions): Promise<void>
}

const isTime = (value: unknown) => typeof value === 'string' && value !== ''

const isMyConversation = (item: unknown): item is MyConversation => {
  if (!isObject(item)) return false
  const last = item.lastMessage
  return (
    Number.isSafeInteger(item.id) &&
    (item.title === null || typeof item.title === 'string') &&
    isTime(item.creationTime) &&
    isTime(item.lastModifiedTime) &&
    typeof item.isClosed === 'boolean' &&
    (last === null ||
      (isObject(last) &&
        typeof last.message === 'string' &&
        isTime(last.creationTime) &&
        ['visitor', 'agent', 'bot'].includes(last.role as string)))
  )
}

const hint = () => 'This is a route of the server half (createChatHandler): baseURL must be its basePath'

/** `GET {basePath}/visitor/conversations`: the server half's, not the Chat API's. */
const listMyConversationsEndpoint: Endpoint<MyConversation[], 'listMyConversations'> = {
  name: 'listMyConversations',
  method: 'GET',
  path: 'visitor/conversations',
  status: 'documented',
  visitor: 'allowed',
  accept: (data: unknown, _sent: unknown): data is MyConversation[] =>
    Array.isArray(data) && data.every(isMyConversation),
  hint,
}

/** `DELETE {basePath}/visitor`: the server half's; answered 204, no body. */
const signOutVisitorEndpoint: Endpoint<unknown, 'signOutVisitor'> = {
  name: 'signOutVisitor',
  method: 'DELETE',
  path: 'visitor',
  status: 'documented',
  visitor: 'allowed',
  accept: (_data: unknown, _sent: unknown): _data is unknown => true,
  hint,
}

/** `ChatClient.listMyConversations` as a function of a connection. */
export const listMyConversations = /* @__PURE__ */ endpointCall(
  'listMyConversations',
  (connection: ChatConnection, { signal }: VisitorRequestOptions = {}): Promise<MyConversation[]> => {
    if (connection.hasAccessToken)
      return Promise.reject(
        invalidInput('GET', 'visitor/conversations', [
          {
            path: 'accessToken',
            code: 'format',
            message: 'is given: the Chat API has no such list, only the server half',
          },
        ]),
      )
    return connection.send(listMyConversationsEndpoint, { signal })
  },
)

/** `ChatClient.signOutVisitor` as a function of a connection. */
export const signOutVisitor = /* @__PURE__ */ endpointCall(
  'signOutVisitor',
  async (connection: ChatConnection, { signal }: VisitorRequestOptions = {}): Promise<void> => {
    // With a token there is no server visitor (no cookie) to forget.
    if (connection.hasAccessToken) return
    try {
      await connection.send(signOutVisitorEndpoint, { signal })
    } catch (error) {
      // 204 No Content is the answer: the transport reads "no envelope", which here means done. Only
      // a 204: a 200 with a page (an app's catch-all route) is not a sign-out.
      if (isChatApiError(error) && error.kind === 'parse' && error.status === 204) return
      throw error
    }
  },
)
