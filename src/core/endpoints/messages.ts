// chat/conversations/{id}/messages: listing (GET) and adding (POST) messages, described once.
import type { ChatConnection } from '../connection'
import type { ValidationIssue } from '../errors'
import type { RequestOptions } from '../http'
import type { Conversation, ConversationMessage, OrderBy, Timestamp, UserValue } from '../types'
import { checkListOptions, isObject, parseIsoTime, validateMessages } from '../validate'
import { endpointCall, keyFor, learnFrom } from './call'
import {
  A,
  type CacheContext,
  conversationKey,
  type Endpoint,
  type EndpointPolicy,
  isMessageList,
  readPolicy,
  updateConversation,
  withId,
} from './endpoint'

/** Query of "List conversation messages". */
export interface ListMessagesOptions {
  /** Default `creation_time_desc`. */
  orderBy?: OrderBy
  /** Messages to skip, `>= 0`. Default `0`. */
  skip?: number
  /** Messages to return, `1..100`. Default `100`. */
  take?: number
}

/**
 * A message to send ("Add messages to conversation" and "Add message context" bodies).
 */
export interface AddMessageInput {
  /** The message text. Must not be empty. */
  message: string
  /** The message's author. */
  author: UserValue
  /**
   * When the message was written (ISO-8601). Optional: the server uses the current time. Past times
   * are allowed (importing history is what it is for); more than 30 seconds in the future of the
   * server's clock is rejected, so the library refuses it before sending by the client's clock.
   */
  creationTime?: Timestamp | null
  /**
   * `true`: a team member's message; `false`: the client's; `null`/absent: the server's default
   * (not documented).
   */
  isByTeam?: boolean | null
}

/** `GET chat/conversations/{id}/messages`. */
export const listMessagesEndpoint: Endpoint<ConversationMessage[], 'listMessages'> = {
  name: 'listMessages',
  method: 'GET',
  path: 'chat/conversations/{id}/messages',
  status: 'documented',
  visitor: 'allowed',
  checkQuery: (query: ListMessagesOptions) => {
    const issues: ValidationIssue[] = []
    checkListOptions(issues, query as Record<string, unknown>)
    return issues
  },
  accept: isMessageList,
}

/**
 * `POST chat/conversations/{id}/messages`. Its answer is any list of messages, however many were
 * sent: the reference's own example sends two and answers one, so a shorter list is data, not a
 * parse error; what was stored is learned by listing, never by the answer's length or order.
 */
export const addMessagesEndpoint: Endpoint<ConversationMessage[], 'addMessages'> = {
  name: 'addMessages',
  method: 'POST',
  path: 'chat/conversations/{id}/messages',
  status: 'documented',
  visitor: 'allowed',
  bodyRoot: 'messages',
  checkBody: validateMessages,
  accept: isMessageList,
}

/** `ChatClient.listMessages` as a function of a connection. */
export const listMessages = /* @__PURE__ */ endpointCall(
  'listMessages',
  async (
    connection,
    id: number,
    { orderBy, skip = 0, take, signal }: ListMessagesOptions & RequestOptions = {},
  ): Promise<ConversationMessage[]> => {
    // `skip` is marked required in the reference: always sent.
    const messages = await connection.send(listMessagesEndpoint, { id, options: { orderBy, skip, take }, signal })
    learnFrom(connection, messages)
    return messages
  },
)

/** `ChatClient.addMessages` as a function of a connection. */
export const addMessages = /* @__PURE__ */ endpointCall(
  'addMessages',
  (connection, id: number, messages: AddMessageInput[], { signal, idempotencyKey }: RequestOptions = {}) =>
    connection.send(addMessagesEndpoint, {
      id,
      body: messages,
      signal,
      idempotencyKey: keyFor(connection, idempotencyKey),
    }),
)

/** @internal A conversation's messages (an infinite query, newest page first). */
export const messagesKey = (id: number | undefined) => [A, 'conversation', id, 'messages'] as const
/** @internal The mutation key of a send. */
export const addMessagesKey = (id: number | undefined) => [A, 'conversation', id, 'addMessages'] as const

/** What `useAddMessages` sends in one request. */
export interface AddMessagesVariables {
  messages: AddMessageInput[]
}

/**
 * @internal The library's part of a send as TanStack mutation options (the hooks type it). Sends of
 * one conversation run one after another (a shared `scope`); nothing is retried by itself. On success
 * the cached conversation's `totalMessagesCount` grows, so the messages query fetches what is new.
 */
export const addMessagesMutation = (connection: ChatConnection, id: number | undefined) => ({
  mutationKey: addMessagesKey(id),
  mutationFn: ({ messages }: AddMessagesVariables) =>
    withId(id, 'addMessages', (known) => addMessages(connection, known, messages)),
  // One queue per conversation; sends without an id fail at once and share nothing.
  ...(id === undefined ? {} : { scope: { id: `socialboards-chat:send:${id}` } }),
  retry: false as const,
  // Kept until the visitor retries or discards a failure; sent ones until the list has them.
  gcTime: Number.POSITIVE_INFINITY,
  // What was sent, not what was listed back: an answer may list fewer than it stored.
  onSuccess: (
    _sent: ConversationMessage[],
    { messages }: AddMessagesVariables,
    _result: unknown,
    context: CacheContext,
  ) => {
    const conversation = context.client.getQueryData(conversationKey(id)) as Conversation | undefined
    if (conversation && id !== undefined)
      updateConversation(context.client, id, {
        totalMessagesCount: conversation.totalMessagesCount + messages.length,
      })
  },
})

/** How far a visitor's `creationTime` may be from the server's clock. */
export const CREATION_TIME_SKEW_MS = 2 * 60_000

/** @internal A read for any visitor, with the paging the client sends. */
export const listMessagesPolicy: EndpointPolicy = /* @__PURE__ */ readPolicy({
  orderBy: 'string',
  skip: 'integer',
  take: 'integer',
})

/** @internal The visitor's rule: a bounded count, a checked stamp, and always the visitor as author. */
export const addMessagesPolicy: EndpointPolicy = {
  body: ({ body, visitor, now, messagesPerRequest }) => {
    if (!Array.isArray(body)) return { refused: [400, 'The body must be a JSON array of messages'] }
    // A bounded count keeps the forced author from making a small request many times larger upstream.
    if (body.length > messagesPerRequest)
      return { refused: [413, `At most ${messagesPerRequest} messages may be sent at once`] }
    for (const item of body) {
      if (!isObject(item) || item.creationTime === undefined || item.creationTime === null) continue
      // Checked, never rewritten: the visitor's session recognises its messages by this stamp.
      const time = parseIsoTime(item.creationTime)
      if (!Number.isFinite(time) || Math.abs(time - now) > CREATION_TIME_SKEW_MS)
        return { refused: [400, "Invalid input: creationTime must be within 2 minutes of the server's clock"] }
    }
    // Always the visitor: never staff (isByTeam), a bot, or anyone else, whatever was sent.
    return {
      body: body.map((item) =>
        isObject(item)
          ? { message: item.message, creationTime: item.creationTime, author: visitor, isByTeam: false }
          : item,
      ),
    }
  },
}
