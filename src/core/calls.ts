// One function per endpoint: a bundle that creates conversations carries only the create.
import { endpointCall, feed, keyFor, learnFrom } from './connection'
import {
  addMessageContextEndpoint,
  addMessagesEndpoint,
  changeTakeoverEndpoint,
  closeConversationEndpoint,
  createConversationEndpoint,
  getConversationEndpoint,
  getTakeoverEndpoint,
  listMessagesEndpoint,
  updateFeedbackEndpoint,
  updateLatestUrlEndpoint,
} from './endpoints'
import type { RequestOptions } from './http'
import type {
  AddMessageInput,
  ChangeTakeoverInput,
  Conversation,
  ConversationFeedback,
  ConversationMessage,
  ConversationTakeover,
  CreateConversationInput,
  FeedbackInput,
  GetConversationOptions,
  ListMessagesOptions,
} from './types'
import { parseIsoTime } from './validate'

/** `ChatClient.createConversation` as a function of a connection. */
export const createConversation = /* @__PURE__ */ endpointCall(
  'createConversation',
  async (
    connection,
    input: CreateConversationInput,
    { signal, idempotencyKey }: RequestOptions = {},
  ): Promise<Conversation> => {
    const sentAt = Date.now()
    const created = await connection.send(createConversationEndpoint, {
      body: input,
      signal,
      idempotencyKey: keyFor(connection, idempotencyKey),
    })
    // The server wrote its creationTime while this request was open: a reading of its clock. Read
    // strictly: a stamp without an offset (local to whom?) teaches nothing, where `Date.parse` would
    // take it as the visitor's local time and skew the clock by their time zone.
    feed(connection).observe?.(parseIsoTime(created.creationTime), sentAt, Date.now())
    return created
  },
)

/** `ChatClient.getConversation` as a function of a connection. */
export const getConversation = /* @__PURE__ */ endpointCall(
  'getConversation',
  async (
    connection,
    id: number,
    { includeMessages, orderBy, signal }: GetConversationOptions & RequestOptions = {},
  ): Promise<Conversation> => {
    // The reference spells the parameter `orderyBy` on this page and `orderBy` elsewhere: send both.
    const query = { includeMessages, orderyBy: orderBy, orderBy }
    const conversation = await connection.send(getConversationEndpoint, {
      id,
      options: { includeMessages, orderBy },
      query,
      signal,
    })
    feed(connection).observeAtLeast?.(parseIsoTime(conversation.creationTime), Date.now())
    learnFrom(connection, conversation.messages)
    return conversation
  },
)

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

/** `ChatClient.addMessageContext` as a function of a connection. */
export const addMessageContext = /* @__PURE__ */ endpointCall(
  'addMessageContext',
  (connection, id: number, messages: AddMessageInput[], { signal }: RequestOptions = {}) =>
    connection.send(addMessageContextEndpoint, { id, body: messages, signal }),
)

/** `ChatClient.getTakeover` as a function of a connection. */
export const getTakeover = /* @__PURE__ */ endpointCall(
  'getTakeover',
  (connection, id: number, { signal }: RequestOptions = {}): Promise<ConversationTakeover> =>
    connection.send(getTakeoverEndpoint, { id, signal }),
)

/** `ChatClient.changeTakeover` as a function of a connection. */
export const changeTakeover = /* @__PURE__ */ endpointCall(
  'changeTakeover',
  (connection, id: number, input: ChangeTakeoverInput, { signal }: RequestOptions = {}) =>
    connection.send(changeTakeoverEndpoint, { id, body: input, signal }),
)

/** `ChatClient.updateFeedback` as a function of a connection. */
export const updateFeedback = /* @__PURE__ */ endpointCall(
  'updateFeedback',
  (connection, id: number, input: FeedbackInput, { signal }: RequestOptions = {}): Promise<ConversationFeedback> =>
    connection.send(updateFeedbackEndpoint, { id, body: input, signal }),
)

/** `ChatClient.updateLatestUrl` as a function of a connection. */
export const updateLatestUrl = /* @__PURE__ */ endpointCall(
  'updateLatestUrl',
  async (connection, id: number, url: string, { signal }: RequestOptions = {}): Promise<void> => {
    await connection.send(updateLatestUrlEndpoint, { id, body: { url }, signal })
  },
)

/** `ChatClient.closeConversation` as a function of a connection. */
export const closeConversation = /* @__PURE__ */ endpointCall(
  'closeConversation',
  async (connection, id: number, { signal }: RequestOptions = {}): Promise<void> => {
    await connection.send(closeConversationEndpoint, { id, signal })
  },
)
