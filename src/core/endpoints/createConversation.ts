// POST chat/conversations: creating a conversation, described once (types, checks, call, cache, visitor policy).
import type { ChatConnection } from '../connection'
import type { RequestOptions } from '../http'
import type { Conversation, CustomFieldValue, Sentiment, UserValue } from '../types'
import { isObject, parseIsoTime, validateCreateConversationInput } from '../validate'
import { endpointCall, feed, keyFor } from './call'
import {
  A,
  type CacheContext,
  conversationKey,
  type Endpoint,
  type EndpointPolicy,
  isConversation,
  notAnObject,
} from './endpoint'

/**
 * The body of "Create conversation" (`POST chat/conversations`).
 */
export interface CreateConversationInput {
  /** The conversation's author. Required. */
  author: UserValue
  /** Conversation title. */
  title?: string
  /**
   * The URL of the page where the conversation took place. Typed as a plain string in the
   * reference: any non-blank string of at most 2,048 characters, a relative `/pricing` included.
   */
  url?: string
  /** Defaults to `"question"` on the server when omitted or `null`. */
  sentiment?: Sentiment | null
  /** Category id (an integer). */
  categoryId?: number | null
  /** Custom field values. */
  fields?: CustomFieldValue[]
  /** `true` assigns a bot to the conversation from the start. Default `false`. */
  isBotEnabled?: boolean
}

/** `POST chat/conversations`. */
export const createConversationEndpoint: Endpoint<Conversation, 'createConversation'> = {
  name: 'createConversation',
  method: 'POST',
  path: 'chat/conversations',
  status: 'documented',
  visitor: 'allowed',
  checkBody: validateCreateConversationInput,
  accept: isConversation,
}

/** `ChatClient.createConversation` as a function of a connection. */
export const createConversation = /* @__PURE__ */ endpointCall(
  'createConversation',
  async (
    connection,
    input: CreateConversationInput,
    { signal, idempotencyKey }: RequestOptions = {},
  ): Promise<Conversation> => {
    const created = await connection.send(createConversationEndpoint, {
      body: input,
      signal,
      idempotencyKey: keyFor(connection, idempotencyKey),
    })
    // The server wrote its creationTime while this request was open: a reading of its clock. Read
    // strictly: a stamp without an offset (local to whom?) teaches nothing, where `Date.parse` would
    // take it as the visitor's local time and skew the clock by their time zone.
    feed(connection).observe?.(parseIsoTime(created.creationTime), Date.now())
    return created
  },
)

/** @internal The mutation key of a create. */
export const createConversationKey = () => [A, 'createConversation'] as const

/**
 * @internal The library's part of a create as TanStack mutation options (the hooks type it): no
 * retry (a create is not idempotent); on success the conversation is cached under its own key.
 */
export const createConversationMutation = (connection: ChatConnection) => ({
  mutationKey: createConversationKey(),
  mutationFn: (input: CreateConversationInput) => createConversation(connection, input),
  retry: false as const,
  onSuccess: (conversation: Conversation, _input: CreateConversationInput, _result: unknown, context: CacheContext) => {
    context.client.setQueryData(conversationKey(conversation.id), conversation)
  },
})

/** @internal The visitor's rule: the author is always the visitor; what the rule does not copy is dropped. */
export const createConversationPolicy: EndpointPolicy = {
  body: ({ body, visitor }) => {
    if (!isObject(body)) return notAnObject
    const { title, url, sentiment, categoryId, fields, isBotEnabled } = body
    return { body: { author: visitor, title, url, sentiment, categoryId, fields, isBotEnabled } }
  },
}
