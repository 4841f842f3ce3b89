// The Chat API client: one method per endpoint, each checked before it is sent (see endpoints.ts).
import { createServerClock, type ServerClock } from './clock'
import {
  addMessageContextEndpoint,
  addMessagesEndpoint,
  changeTakeoverEndpoint,
  closeConversationEndpoint,
  createConversationEndpoint,
  type Endpoint,
  getConversationEndpoint,
  getTakeoverEndpoint,
  listMessagesEndpoint,
  type UnconfirmedEndpoint,
  updateFeedbackEndpoint,
  updateLatestUrlEndpoint,
} from './endpoints'
import { ChatApiError, isChatApiError, type ValidationIssue } from './errors'
import {
  type AccessToken,
  type ChatClientOptions,
  createTransport,
  type EndpointPath,
  invalidInput,
  MAX_TIMEOUT,
  type RequestOptions,
} from './http'
import { snapshot } from './json'
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
import { checkId, describeIssues, isHttpUrl, parseIsoTime } from './validate'

/** A configured Chat API client. Framework-free: usable from React, a server, or a test. */
export interface ChatClient {
  /** The `baseURL` the client was created with. */
  readonly baseURL: string
  /**
   * The server's clock as estimated from its answers. Messages are stamped and checked in this
   * time, so a visitor whose computer clock is minutes off still sends every message, in order.
   */
  readonly clock: ServerClock
  /**
   * Creates a conversation (`POST chat/conversations`).
   *
   * Rejects with a `validation` {@link ChatApiError} listing every problem, before any request,
   * when the input breaks the reference's rules. Not idempotent: never retried, except once after
   * an HTTP 401 when `accessToken` is a function (a 401 means the server created nothing).
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
   * Adds messages (`POST chat/conversations/{id}/messages`). Not idempotent: never retried, and a
   * success must list at least the messages sent (else `parse`).
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

/** Staff and bot messages carry the server's own time: the server clock was at least there. */
const serverWritten = (message: ConversationMessage) =>
  message?.author?.isBot === true || message?.author?.status === 'team'

/**
 * Creates a Chat API client.
 *
 * @example
 * ```ts
 * const client = createChatClient({
 *   baseURL: 'https://api.example.com/',
 *   accessToken: () => fetch('/my-server/chat-token').then((r) => r.text()),
 * })
 * const conversation = await client.createConversation({ author: { name: 'Ada', email: 'ada@example.com' } })
 * ```
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  return buildClient(options)
}

/** One call of an endpoint, before anything is checked. */
interface Call {
  /** The conversation id, for paths with `{id}`. */
  id?: unknown
  /** The caller's body: snapshotted, checked as snapshotted, then sent as that JSON text. */
  body?: unknown
  /** The caller's query options, as the endpoint checks them. */
  options?: Record<string, unknown>
  /** The query as sent. Default: `options`. */
  query?: Record<string, string | number | boolean | undefined>
  signal?: unknown
}

/** @internal {@link createChatClient} with the token read through `currentToken` on every call. */
export function buildClient(options: ChatClientOptions, currentToken?: () => AccessToken | undefined): ChatClient {
  const { baseURL, timeout } = options ?? {}
  const issues: ValidationIssue[] = []
  if (!isHttpUrl(baseURL) && !(typeof baseURL === 'string' && (baseURL as string).startsWith('/')))
    issues.push({ path: 'baseURL', message: 'must be an absolute http(s) URL or a path starting with "/"' })
  if (timeout !== undefined && !(Number.isSafeInteger(timeout) && timeout >= 1 && timeout <= MAX_TIMEOUT))
    issues.push({
      path: 'timeout',
      message: `must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT}, got ${String(timeout)}`,
    })
  if (issues.length)
    throw new ChatApiError('validation', `createChatClient: invalid options: ${describeIssues(issues)}`, { issues })

  const transport = createTransport(options, currentToken)
  const overrides: Partial<Record<UnconfirmedEndpoint, EndpointPath>> = options.paths ?? {}
  const clock = createServerClock()

  /**
   * Checks everything about a call of `endpoint` (id, query, signal, and the body as it will be
   * sent), then sends exactly what was checked: a call with problems sends nothing.
   */
  function send<T>(endpoint: Endpoint<T>, call: Call): Promise<T> {
    const unconfirmed = endpoint.status === 'unconfirmed'
    const { method, path: template } = (unconfirmed && overrides[endpoint.name as UnconfirmedEndpoint]) || endpoint
    const path = template.replace('{id}', String(call.id))
    const found: ValidationIssue[] = []
    if (template.includes('{id}')) checkId(found, call.id)
    if (endpoint.checkQuery) found.push(...endpoint.checkQuery(call.options ?? {}))
    if (call.signal !== undefined && typeof (call.signal as AbortSignal)?.addEventListener !== 'function')
      found.push({ path: 'signal', message: 'must be an AbortSignal' })
    let text: string | undefined
    let sent: unknown
    if (call.body !== undefined || endpoint.checkBody) {
      const copy = snapshot(call.body, endpoint.bodyRoot)
      found.push(...copy.issues)
      // In server time: a slow visitor clock must not make a correct stamp look "in the future".
      if (!copy.issues.length && endpoint.checkBody) found.push(...endpoint.checkBody(copy.value, clock.now()))
      sent = copy.value
      text = JSON.stringify(copy.value)
    }
    if (found.length) return Promise.reject(invalidInput(method, path, found))
    return transport.request({
      method,
      path,
      query: call.query ?? (call.options as Call['query']),
      body: text,
      signal: call.signal as AbortSignal | undefined,
      accept: (data): data is T => endpoint.accept(data, sent),
      hint: unconfirmed
        ? `This path is not in the public API reference: set paths.${endpoint.name} in the createChatClient options to your account's method and path`
        : undefined,
    })
  }

  /**
   * Runs a method so that whatever its arguments do (a throwing getter, say), it rejects with a
   * ChatApiError and never throws: reading the arguments is the only thing here that can fail
   * with another error.
   */
  const safely = <A extends unknown[], R>(name: string, method: (...args: A) => Promise<R>) => {
    const unreadable = (error: unknown) =>
      isChatApiError(error)
        ? error
        : invalidInput(name, '', [{ path: '', message: 'the arguments could not be read (a getter threw)' }])
    return (...args: A): Promise<R> => {
      try {
        return method(...args).catch((error: unknown) => Promise.reject(unreadable(error)))
      } catch (error) {
        return Promise.reject(unreadable(error))
      }
    }
  }

  /** Feeds the clock with the times of staff and bot messages in an answer. */
  const learnFrom = (messages: ConversationMessage[] | null | undefined) => {
    const receivedAt = Date.now()
    for (const message of messages ?? [])
      if (serverWritten(message)) clock.observeAtLeast(parseIsoTime(message.creationTime), receivedAt)
  }

  return {
    baseURL,
    clock,
    createConversation: safely('createConversation', async (input, { signal } = {}) => {
      const sentAt = Date.now()
      const created = await send(createConversationEndpoint, { body: input, signal })
      // The server wrote its creationTime while this request was open: a reading of its clock.
      clock.observe(parseIsoTime(created.creationTime), sentAt, Date.now())
      return created
    }),
    getConversation: safely('getConversation', async (id, { includeMessages, orderBy, signal } = {}) => {
      // The reference spells the parameter `orderyBy` on this page and `orderBy` elsewhere: send both.
      const query = { includeMessages, orderyBy: orderBy, orderBy }
      const conversation = await send(getConversationEndpoint, {
        id,
        options: { includeMessages, orderBy },
        query,
        signal,
      })
      clock.observeAtLeast(parseIsoTime(conversation.creationTime), Date.now())
      learnFrom(conversation.messages)
      return conversation
    }),
    listMessages: safely('listMessages', async (id, { orderBy, skip = 0, take, signal } = {}) => {
      // `skip` is marked required in the reference: always sent.
      const messages = await send(listMessagesEndpoint, { id, options: { orderBy, skip, take }, signal })
      learnFrom(messages)
      return messages
    }),
    addMessages: safely('addMessages', (id, messages, { signal } = {}) =>
      send(addMessagesEndpoint, { id, body: messages, signal }),
    ),
    addMessageContext: safely('addMessageContext', (id, messages, { signal } = {}) =>
      send(addMessageContextEndpoint, { id, body: messages, signal }),
    ),
    getTakeover: safely('getTakeover', (id, { signal } = {}) => send(getTakeoverEndpoint, { id, signal })),
    changeTakeover: safely('changeTakeover', (id, input: ChangeTakeoverInput, { signal } = {}) =>
      send(changeTakeoverEndpoint, { id, body: input, signal }),
    ),
    updateFeedback: safely('updateFeedback', (id, input, { signal } = {}) =>
      send(updateFeedbackEndpoint, { id, body: input, signal }),
    ),
    updateLatestUrl: safely('updateLatestUrl', async (id, url, { signal } = {}) => {
      await send(updateLatestUrlEndpoint, { id, body: { url }, signal })
    }),
    closeConversation: safely('closeConversation', async (id, { signal } = {}) => {
      await send(closeConversationEndpoint, { id, signal })
    }),
  }
}
