import { ChatApiError, type ValidationIssue } from './errors'
import {
  type AccessToken,
  type ChatClientOptions,
  createTransport,
  type EndpointPath,
  invalidInput,
  type RequestOptions,
  type RequestSpec,
} from './http'
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
  /** Lists messages (`GET chat/conversations/{id}/messages`), `take` at most 100. */
  listMessages(id: number, options?: ListMessagesOptions & RequestOptions): Promise<ConversationMessage[]>
  /** Adds messages (`POST chat/conversations/{id}/messages`). Not idempotent: never retried. */
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

/** @internal {@link createChatClient} with the token read through `currentToken` on every call. */
export function buildClient(options: ChatClientOptions, currentToken?: () => AccessToken | undefined): ChatClient {
  const { baseURL, timeout } = options ?? {}
  const issues: ValidationIssue[] = []
  if (!isHttpUrl(baseURL) && !(typeof baseURL === 'string' && (baseURL as string).startsWith('/')))
    issues.push({ path: 'baseURL', message: 'must be an absolute http(s) URL or a path starting with "/"' })
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0 && Number.isFinite(timeout)))
    issues.push({ path: 'timeout', message: 'must be a positive number of milliseconds' })
  if (issues.length)
    throw new ChatApiError('validation', `createChatClient: invalid options: ${describeIssues(issues)}`, { issues })

  const transport = createTransport(options, currentToken)
  const paths = { ...DEFAULT_PATHS, ...options.paths }

  /** Validates, then sends: a call with problems is refused before any request. */
  function call<T>(spec: RequestSpec<T>, problems: ValidationIssue[]): Promise<T> {
    if (problems.length) return Promise.reject(invalidInput(spec.method, spec.path, problems))
    return transport.request(spec)
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

  return {
    baseURL,
    createConversation(input, { signal } = {}) {
      const path = 'chat/conversations'
      return call(
        { method: 'POST', path, body: input, signal, accept: isConversation },
        validateCreateConversationInput(input),
      )
    },
    getConversation(id, { includeMessages, orderBy, signal } = {}) {
      const problems = idIssues(id)
      checkOrderBy(problems, orderBy)
      checkBoolean(problems, includeMessages, 'includeMessages')
      // The reference spells the parameter `orderyBy` on this page and `orderBy` elsewhere: send both.
      const query = { includeMessages, orderyBy: orderBy, orderBy }
      return call({ method: 'GET', path: conversationPath(id), query, signal, accept: isConversation }, problems)
    },
    listMessages(id, { orderBy, skip, take, signal } = {}) {
      const problems = idIssues(id)
      checkListOptions(problems, { orderBy, skip, take })
      const query = { orderBy, skip, take }
      return call(
        { method: 'GET', path: conversationPath(id, '/messages'), query, signal, accept: isMessageList },
        problems,
      )
    },
    addMessages(id, messages, { signal } = {}) {
      return call(
        { method: 'POST', path: conversationPath(id, '/messages'), body: messages, signal, accept: isMessageList },
        [...idIssues(id), ...validateMessages(messages)],
      )
    },
    addMessageContext(id, messages, { signal } = {}) {
      const path = conversationPath(id, '/previousMessages')
      return call({ method: 'POST', path, body: messages, signal, accept: isMessageList }, [
        ...idIssues(id),
        ...validateMessages(messages),
      ])
    },
    getTakeover(id, { signal } = {}) {
      return call({ method: 'GET', path: conversationPath(id, '/takeover'), signal, accept: isTakeover }, idIssues(id))
    },
    changeTakeover(id, input, { signal } = {}) {
      return call(
        { method: 'PATCH', path: conversationPath(id, '/takeover'), body: input, signal, accept: isTakeover },
        [...idIssues(id), ...validateTakeover(input)],
      )
    },
    updateFeedback(id, input, { signal } = {}) {
      return call(
        { method: 'PATCH', path: conversationPath(id, '/feedback'), body: input, signal, accept: isFeedback },
        [...idIssues(id), ...validateFeedback(input)],
      )
    },
    async updateLatestUrl(id, url, { signal } = {}) {
      await call({ ...undocumented('updateLatestUrl', id), body: { url }, signal, accept: anything }, [
        ...idIssues(id),
        ...validateLatestUrl(url),
      ])
    },
    async closeConversation(id, { signal } = {}) {
      await call({ ...undocumented('closeConversation', id), signal, accept: anything }, idIssues(id))
    },
  }
}
