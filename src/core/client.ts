import { ChatApiError } from './errors'
import { type AccessToken, type ChatClientOptions, createTransport, invalidInput, type RequestOptions } from './http'
import type { Conversation, CreateConversationInput } from './types'
import { isHttpUrl, isObject, validateCreateConversationInput } from './validate'

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
}

const isConversation = (data: unknown): data is Conversation =>
  isObject(data) && typeof data.id === 'number' && isObject(data.author)

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
  const issues = []
  if (!isHttpUrl(baseURL) && !(typeof baseURL === 'string' && (baseURL as string).startsWith('/')))
    issues.push({ path: 'baseURL', message: 'must be an absolute http(s) URL or a path starting with "/"' })
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0 && Number.isFinite(timeout)))
    issues.push({ path: 'timeout', message: 'must be a positive number of milliseconds' })
  if (issues.length)
    throw new ChatApiError(
      'validation',
      `createChatClient: invalid options: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      {
        issues,
      },
    )

  const transport = createTransport(options, currentToken)
  return {
    baseURL,
    createConversation(input, { signal } = {}) {
      const path = 'chat/conversations'
      const problems = validateCreateConversationInput(input)
      if (problems.length) return Promise.reject(invalidInput('POST', path, problems))
      return transport.request({ method: 'POST', path, body: input, signal, accept: isConversation })
    },
  }
}
