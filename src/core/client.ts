// The Chat API client: one method per endpoint (each an endpoint function of calls.ts over one connection).
import * as calls from './calls'
import { type ChatConnection, connect } from './connection'
import type { ChatClientOptions, RequestOptions } from './http'
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
import { listMyConversations, signOutVisitor, type VisitorMethods } from './visitor'

export type { ChatConnection } from './connection'

/** A configured Chat API client. Framework-free: usable from React, a server, or a test. */
export interface ChatClient extends ChatConnection, VisitorMethods {
  /**
   * Creates a conversation (`POST chat/conversations`).
   *
   * Rejects with a `validation` {@link ChatApiError} listing every problem, before any request,
   * when the input breaks the reference's rules. Not idempotent: never retried, except once after
   * an HTTP 401 when `accessToken` is a function (a 401 means the server created nothing). While
   * the client sends keys (`idempotencyKeys`), it carries an `Idempotency-Key`: the caller's
   * `idempotencyKey`, else a new one; a caller that tries the same create again passes the same key.
   */
  createConversation(input: CreateConversationInput, options?: RequestOptions): Promise<Conversation>
  /**
   * Gets a conversation (`GET chat/conversations/{id}`). Sends the order as both `orderyBy` (the
   * reference's spelling on this page) and `orderBy` (its spelling elsewhere).
   */
  getConversation(id: number, options?: GetConversationOptions & RequestOptions): Promise<Conversation>
  /** Lists messages (`GET chat/conversations/{id}/messages`), `take` at most 100; `skip` is always sent (default 0). */
  listMessages(id: number, options?: ListMessagesOptions & RequestOptions): Promise<ConversationMessage[]>
  /**
   * Adds messages (`POST chat/conversations/{id}/messages`). Not idempotent: never retried. A
   * success may list fewer messages than were sent (the reference's own example does): what was
   * stored is then learned by listing. Carries an `Idempotency-Key` like `createConversation`.
   */
  addMessages(id: number, messages: AddMessageInput[], options?: RequestOptions): Promise<ConversationMessage[]>
  /**
   * Attaches earlier messages from elsewhere (email, a CRM, another platform) to the conversation
   * (`POST chat/conversations/{id}/previousMessages`). Not idempotent: never retried.
   */
  addMessageContext(id: number, messages: AddMessageInput[], options?: RequestOptions): Promise<ConversationMessage[]>
  /** Gets the takeover state (`GET chat/conversations/{id}/takeover`). */
  getTakeover(id: number, options?: RequestOptions): Promise<ConversationTakeover>
  /** Changes the takeover state (`PATCH chat/conversations/{id}/takeover`). */
  changeTakeover(id: number, input: ChangeTakeoverInput, options?: RequestOptions): Promise<ConversationTakeover>
  /** Sets the client's feedback (`PATCH chat/conversations/{id}/feedback`), during or after the chat. */
  updateFeedback(id: number, input: FeedbackInput, options?: RequestOptions): Promise<ConversationFeedback>
  /**
   * Records the page the visitor is on. **Path unconfirmed**: the reference names this endpoint but
   * does not document it; the default is `PATCH chat/conversations/{id}/latestUrl` with `{ url }`,
   * overridable with the client's `paths.updateLatestUrl`.
   */
  updateLatestUrl(id: number, url: string, options?: RequestOptions): Promise<void>
  /**
   * Closes the conversation. **Path unconfirmed**: the default is `PATCH chat/conversations/{id}/close`,
   * overridable with the client's `paths.closeConversation`.
   */
  closeConversation(id: number, options?: RequestOptions): Promise<void>
}

/**
 * Creates a client for the Chat API.
 *
 * @throws ChatApiError (`validation`) when `baseURL` or `timeout` is invalid.
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  return clientOf(connect(options))
}

/** A client without the server half's visitor routes: what a chat session calls. */
export type SessionClient = Omit<ChatClient, keyof VisitorMethods>

const clients = /* @__PURE__ */ new WeakMap<ChatConnection, SessionClient>()
const sessionClients = /* @__PURE__ */ new WeakMap<ChatConnection, SessionClient>()

/** The client over a connection (the same object each time): every endpoint as a method. */
export function clientOf(connection: ChatConnection): ChatClient {
  // A client with the visitor methods: `more` adds them.
  return cached(clients, connection, (c) => ({
    listMyConversations: (options) => listMyConversations(c, options),
    signOutVisitor: (options) => signOutVisitor(c, options),
  })) as ChatClient
}

/**
 * @internal The client a session runs on (the same object each time): the Chat API's endpoints
 * without the visitor routes, so a widget that never lists or signs out carries neither.
 */
export const sessionClientOf = (connection: ChatConnection): SessionClient => cached(sessionClients, connection)

function cached(
  cache: WeakMap<ChatConnection, SessionClient>,
  connection: ChatConnection,
  more?: (connection: ChatConnection) => VisitorMethods,
): SessionClient {
  if (isClient(connection)) return connection
  let client = cache.get(connection)
  if (!client) {
    const c = connection
    client = {
      baseURL: c.baseURL,
      clock: c.clock,
      send: c.send,
      get idempotencyKeys() {
        return c.idempotencyKeys
      },
      get hasAccessToken() {
        return c.hasAccessToken
      },
      createConversation: (input, options) => calls.createConversation(c, input, options),
      getConversation: (id, options) => calls.getConversation(c, id, options),
      listMessages: (id, options) => calls.listMessages(c, id, options),
      addMessages: (id, messages, options) => calls.addMessages(c, id, messages, options),
      addMessageContext: (id, messages, options) => calls.addMessageContext(c, id, messages, options),
      getTakeover: (id, options) => calls.getTakeover(c, id, options),
      changeTakeover: (id, input, options) => calls.changeTakeover(c, id, input, options),
      updateFeedback: (id, input, options) => calls.updateFeedback(c, id, input, options),
      updateLatestUrl: (id, url, options) => calls.updateLatestUrl(c, id, url, options),
      closeConversation: (id, options) => calls.closeConversation(c, id, options),
      ...more?.(c),
    } satisfies SessionClient
    cache.set(connection, client)
  }
  return client
}

const isClient = (connection: ChatConnection): connection is ChatClient =>
  typeof (connection as Partial<ChatClient>).createConversation === 'function'
