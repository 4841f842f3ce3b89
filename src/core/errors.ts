// ChatApiError, the one error every call rejects with, and the one policy on what is worth retrying.
/**
 * What went wrong, in one word:
 * - `validation`: the input was refused before any request was sent (see `issues`).
 * - `api`: the server answered with an envelope whose `errorCode` is not `-1` (even on HTTP 200).
 * - `http`: the server answered with a non-2xx status (`status`; `errorCode`/`errorText` too when
 *   the body was an envelope).
 * - `network`: no answer: the connection failed, or the `accessToken` function threw. The message
 *   never quotes the lower layer (it could quote a request header).
 * - `timeout`: no answer within the client's `timeout`.
 * - `aborted`: the caller's `AbortSignal` cancelled the request.
 * - `parse`: a 2xx answer whose body is not a JSON envelope (HTML, empty, truncated, wrong shape).
 */
export type ChatApiErrorKind = 'validation' | 'api' | 'http' | 'network' | 'timeout' | 'aborted' | 'parse'

/** One problem found in an input: where (`path`, e.g. `"author.email"`) and what. */
export interface ValidationIssue {
  path: string
  message: string
}

/** Fields of a {@link ChatApiError}, besides its message. */
export interface ChatApiErrorDetails {
  method?: string
  path?: string
  status?: number
  errorCode?: number
  errorText?: string | null
  issues?: ValidationIssue[]
  retryAfter?: number
  cause?: unknown
}

const BRAND = Symbol.for('socialboards-chat-react.ChatApiError')

/**
 * The one error type every client method and hook rejects with.
 *
 * The message reads like a log line: `[POST] chat/conversations: HTTP 503 Service Unavailable`.
 * It never contains the access token, and neither does any field (the request's headers are not
 * kept on the error).
 */
export class ChatApiError extends Error {
  override readonly name = 'ChatApiError'
  readonly kind: ChatApiErrorKind
  /** HTTP method of the failed request, e.g. `"POST"`. */
  declare readonly method?: string
  /** Request path relative to `baseURL`, e.g. `"chat/conversations"`. */
  declare readonly path?: string
  /** HTTP status, for `http` and `api` errors. */
  declare readonly status?: number
  /** The envelope's `errorCode`, exactly as sent. The API documents no codes other than `-1`. */
  declare readonly errorCode?: number
  /** The envelope's `errorText`, exactly as sent. */
  declare readonly errorText?: string | null
  /** Every problem found, for `validation` errors. */
  declare readonly issues?: ValidationIssue[]
  /** Seconds the server asked us to wait (its `Retry-After` header), on `http` errors that carry one (a 429, a 503). */
  declare readonly retryAfter?: number

  constructor(kind: ChatApiErrorKind, message: string, details: ChatApiErrorDetails = {}) {
    const { cause, ...fields } = details
    super(message, cause === undefined ? undefined : { cause })
    this.kind = kind
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) Object.defineProperty(this, key, { value, enumerable: true })
    }
    // `cause` may be a low-level error from fetch; keep it for debugging but out of JSON.stringify.
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false })
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/**
 * `true` when `value` is a {@link ChatApiError}, also one thrown by another copy of this library.
 */
export function isChatApiError(value: unknown): value is ChatApiError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
}

/**
 * `true` when trying the same call again later can help: no answer (`network`, `timeout`), or an
 * HTTP 408, 425, 429 or 5xx. The one policy behind query retries and the session's outbox.
 * A refusal (`validation`, `api`, another 4xx) and a cancellation (`aborted`) are not transient;
 * neither is `parse`, a 2xx whose body is broken: the server acted, so repeating is not safe.
 */
export function isTransient(error: unknown): boolean {
  if (!isChatApiError(error)) return false
  if (error.kind === 'network' || error.kind === 'timeout') return true
  const status = error.status ?? 0
  return error.kind === 'http' && (status === 408 || status === 425 || status === 429 || status >= 500)
}
