import { createServerClock, type ServerClock } from './clock'
import { ChatApiError, isChatApiError, type ValidationIssue } from './errors'
import {
  type AccessToken,
  type ChatClientOptions,
  createTransport,
  type EndpointPath,
  invalidInput,
  MAX_TIMEOUT,
  type RequestOptions,
  type RequestSpec,
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
import {
  checkBoolean,
  checkId,
  checkListOptions,
  checkOrderBy,
  describeIssues,
  isHttpUrl,
  isObject,
  parseIsoTime,
  validateCreateConversationInput,
  validateFeedback,
  validateLatestUrl,
  validateMessages,
  validateTakeover,
} from './validate'

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

const isConversation = (data: unknown): data is Conversation =>
  isObject(data) && typeof data.id === 'number' && isObject(data.author)
const isMessageList = (data: unknown): data is ConversationMessage[] =>
  Array.isArray(data) && data.every((item) => isObject(item) && typeof item.id === 'number')
const isTakeover = (data: unknown): data is ConversationTakeover =>
  isObject(data) && typeof data.isAssignedToBot === 'boolean'
const isFeedback = (data: unknown): data is ConversationFeedback =>
  isObject(data) && typeof data.isPositive === 'boolean'
// The undocumented endpoints' answers are unknown: any success envelope will do.
const anything = (_data: unknown): _data is unknown => true

const DEFAULT_PATHS: Record<'updateLatestUrl' | 'closeConversation', EndpointPath> = {
  updateLatestUrl: { method: 'PATCH', path: 'chat/conversations/{id}/latestUrl' },
  closeConversation: { method: 'PATCH', path: 'chat/conversations/{id}/close' },
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

/** What a call sends: the method, path and query, and the body before it is serialised. */
interface Call<T> extends Omit<RequestSpec<T>, 'body'> {
  /** The caller's body: snapshotted, validated as snapshotted, then sent as that JSON text. */
  body?: unknown
  /** Path prefix of the body's issues (`messages` for an array of messages). */
  root?: string
  /** Checks the snapshot of the body. */
  check?: (body: unknown) => ValidationIssue[]
  /** Problems found in the other arguments (id, query). */
  problems?: ValidationIssue[]
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
  const paths = { ...DEFAULT_PATHS, ...options.paths }
  const clock = createServerClock()

  /** Snapshots and validates, then sends exactly what was validated: a call with problems sends nothing. */
  function call<T>({ body, root = '', check, problems = [], ...spec }: Call<T>): Promise<T> {
    const found = [...problems]
    if (spec.signal !== undefined && !(typeof spec.signal?.addEventListener === 'function'))
      found.push({ path: 'signal', message: 'must be an AbortSignal' })
    let text: string | undefined
    if (body !== undefined || check) {
      const copy = snapshot(body, root)
      found.push(...copy.issues)
      if (!copy.issues.length && check) found.push(...check(copy.value))
      if (!found.length) text = JSON.stringify(copy.value)
    }
    if (found.length) return Promise.reject(invalidInput(spec.method, spec.path, found))
    return transport.request({ ...spec, body: text })
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

  const conversationPath = (id: number, rest = '') => `chat/conversations/${id}${rest}`
  const idIssues = (id: unknown) => {
    const found: ValidationIssue[] = []
    checkId(found, id)
    return found
  }
  const undocumented = (name: keyof typeof DEFAULT_PATHS, id: number) => ({
    method: paths[name].method,
    path: paths[name].path.replace('{id}', String(id)),
    hint: `This path is not in the public API reference: set paths.${name} in the createChatClient options to your account's method and path`,
  })
  /** Feeds the clock with the times of staff and bot messages in an answer. */
  const learnFrom = (messages: ConversationMessage[] | null | undefined) => {
    const receivedAt = Date.now()
    for (const message of messages ?? [])
      if (serverWritten(message)) clock.observeAtLeast(parseIsoTime(message.creationTime), receivedAt)
  }
  const sendMessages = (id: number, messages: AddMessageInput[], path: string, signal?: AbortSignal) =>
    call({
      method: 'POST',
      path: conversationPath(id, path),
      body: messages,
      root: 'messages',
      // In server time: a slow visitor clock must not make a correct stamp look "in the future".
      check: (sent) => validateMessages(sent, clock.now()),
      problems: idIssues(id),
      signal,
      // The answer lists what was stored: at least the messages sent.
      accept: (data): data is ConversationMessage[] =>
        isMessageList(data) && Array.isArray(messages) && data.length >= messages.length,
    })

  return {
    baseURL,
    clock,
    createConversation: safely('createConversation', async (input, { signal } = {}) => {
      const sentAt = Date.now()
      const created = await call({
        method: 'POST',
        path: 'chat/conversations',
        body: input,
        check: validateCreateConversationInput,
        signal,
        accept: isConversation,
      })
      // The server wrote its creationTime while this request was open: a reading of its clock.
      clock.observe(parseIsoTime(created.creationTime), sentAt, Date.now())
      return created
    }),
    getConversation: safely('getConversation', async (id, { includeMessages, orderBy, signal } = {}) => {
      const problems = idIssues(id)
      checkOrderBy(problems, orderBy)
      checkBoolean(problems, includeMessages, 'includeMessages')
      // The reference spells the parameter `orderyBy` on this page and `orderBy` elsewhere: send both.
      const query = { includeMessages, orderyBy: orderBy, orderBy }
      const conversation = await call({
        method: 'GET',
        path: conversationPath(id),
        query,
        signal,
        accept: isConversation,
        problems,
      })
      clock.observeAtLeast(parseIsoTime(conversation.creationTime), Date.now())
      learnFrom(conversation.messages)
      return conversation
    }),
    listMessages: safely('listMessages', async (id, { orderBy, skip = 0, take, signal } = {}) => {
      const problems = idIssues(id)
      checkListOptions(problems, { orderBy, skip, take })
      // `skip` is marked required in the reference: always sent.
      const query = { orderBy, skip, take }
      const messages = await call({
        method: 'GET',
        path: conversationPath(id, '/messages'),
        query,
        signal,
        accept: isMessageList,
        problems,
      })
      learnFrom(messages)
      return messages
    }),
    addMessages: safely('addMessages', (id, messages, { signal } = {}) =>
      sendMessages(id, messages, '/messages', signal),
    ),
    addMessageContext: safely('addMessageContext', (id, messages, { signal } = {}) =>
      sendMessages(id, messages, '/previousMessages', signal),
    ),
    getTakeover: safely('getTakeover', (id, { signal } = {}) =>
      call({
        method: 'GET',
        path: conversationPath(id, '/takeover'),
        signal,
        accept: isTakeover,
        problems: idIssues(id),
      }),
    ),
    changeTakeover: safely('changeTakeover', (id, input, { signal } = {}) =>
      call({
        method: 'PATCH',
        path: conversationPath(id, '/takeover'),
        body: input,
        check: validateTakeover,
        problems: idIssues(id),
        signal,
        accept: isTakeover,
      }),
    ),
    updateFeedback: safely('updateFeedback', (id, input, { signal } = {}) =>
      call({
        method: 'PATCH',
        path: conversationPath(id, '/feedback'),
        body: input,
        check: validateFeedback,
        problems: idIssues(id),
        signal,
        accept: isFeedback,
      }),
    ),
    updateLatestUrl: safely('updateLatestUrl', async (id, url, { signal } = {}) => {
      await call({
        ...undocumented('updateLatestUrl', id),
        body: { url },
        check: (body) => validateLatestUrl(isObject(body) ? body.url : undefined),
        problems: idIssues(id),
        signal,
        accept: anything,
      })
    }),
    closeConversation: safely('closeConversation', async (id, { signal } = {}) => {
      await call({ ...undocumented('closeConversation', id), signal, accept: anything, problems: idIssues(id) })
    }),
  }
}
