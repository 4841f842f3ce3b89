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

/**
 * Every {@link ChatApiError.code}, as a tuple: for a test that a catalog covers them all. The codes
 * are this library's classification of what happened, never the API's own `errorCode` values (the
 * reference documents none besides `-1`).
 */
export const CHAT_API_ERROR_CODES = [
  'invalid-input',
  'network',
  'timeout',
  'aborted',
  'unauthorized',
  'forbidden',
  'not-found',
  'no-conversation',
  'conversation-closed',
  'conflict',
  'too-large',
  'rate-limited',
  'refused',
  'unavailable',
  'server-error',
  'unexpected-response',
] as const

/**
 * What happened, in words an app can translate (see `describeError`), stable across releases:
 * - `invalid-input`: the input broke a rule; nothing was sent (`issues` says where), or the server
 *   refused it as invalid (HTTP 400, 422).
 * - `network`: no answer: the connection failed, or the `accessToken` function threw.
 * - `timeout`: no answer in time (the client's `timeout`, an HTTP 408 or a gateway's 504).
 * - `aborted`: the caller's `AbortSignal` cancelled the call.
 * - `unauthorized`: an HTTP 401, or an access token that cannot be sent.
 * - `forbidden`: an HTTP 403 (behind the server half: not this visitor's conversation, a
 *   cross-site request, an operation visitors may not use).
 * - `not-found`: an HTTP 404 or 410, or a conversation that no longer exists.
 * - `no-conversation`: the call needs a conversation and there is none yet.
 * - `conversation-closed`: the conversation had ended before the message was sent.
 * - `conflict`: an HTTP 409 (behind the server half: the same write is still in progress, or a
 *   takeover that does not fit the conversation's state).
 * - `too-large`: an HTTP 413 (too many messages at once, a body over the server half's limit).
 * - `rate-limited`: an HTTP 429; `retryAfter` says how many seconds to wait when the server said.
 * - `refused`: the server refused for a reason it did not classify: an error envelope (an
 *   `errorCode` other than `-1`, kept raw in `errorCode`/`errorText`), or another 4xx.
 * - `unavailable`: an HTTP 502 or 503 (the service is down or unreachable behind a gateway).
 * - `server-error`: another 5xx.
 * - `unexpected-response`: an answer the client cannot read (not a JSON envelope, a refused redirect).
 */
export type ChatApiErrorCode = (typeof CHAT_API_ERROR_CODES)[number]

/** Every {@link ValidationIssue.code}, as a tuple: for a test that a catalog covers them all. */
export const VALIDATION_ISSUE_CODES = [
  'required',
  'blank',
  'string',
  'boolean',
  'integer',
  'object',
  'array',
  'too-long',
  'email',
  'url',
  'guid',
  'date',
  'future',
  'one-of',
  'identifier',
  'json',
  'unreadable',
  'token',
  'format',
] as const

/**
 * Which rule an input broke, one code per rule:
 * `required` (missing), `blank` (empty or only spaces), `string` / `boolean` / `integer` (with
 * `min`/`max` when the number has bounds) / `object` / `array` (the wrong type), `too-long`
 * (`max` characters), `email` (not an email address), `url` (not an absolute http(s) URL), `guid`,
 * `date` (not an ISO-8601 time with an offset), `future` (more than `max` seconds ahead),
 * `one-of` (not one of `allowed`), `identifier` (a user with no id, email or customIdentifier),
 * `json` (a value JSON cannot carry), `unreadable` (reading it threw), `token` (an access token
 * that cannot go in a header), `format` (any other syntax rule, e.g. an `Idempotency-Key`).
 */
export type ValidationIssueCode = (typeof VALIDATION_ISSUE_CODES)[number]

/**
 * One problem found in an input: where (`path`, e.g. `"author.email"` or `"messages[0].message"`),
 * which rule (`code`), the values that rule names (`min`, `max`, `allowed`), and a developer's
 * description (`message`, English, for logs). `describeIssue` turns it into the visitor's words.
 */
export interface ValidationIssue {
  path: string
  /** The rule broken. Every check of this library sets it. */
  code: ValidationIssueCode
  /** For developers: what is wrong, in English, without the path (`"must be a string, got 5"`). */
  message: string
  /** The smallest allowed value (`integer`). */
  min?: number
  /** The largest allowed value (`integer`), length (`too-long`) or seconds ahead (`future`). */
  max?: number
  /** The allowed values (`one-of`). */
  allowed?: readonly string[]
}

/** Fields of a {@link ChatApiError}, besides its message. */
export interface ChatApiErrorDetails {
  /** Overrides the code the kind and status imply (see {@link codeOf}). */
  code?: ChatApiErrorCode
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
  /**
   * What happened, for a UI to put in the visitor's words (`describeError`). The message stays a
   * log line for developers.
   */
  readonly code: ChatApiErrorCode
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
    const { cause, code, ...fields } = details
    super(message, cause === undefined ? undefined : { cause })
    this.kind = kind
    this.code = code ?? codeOf(kind, fields.status)
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) Object.defineProperty(this, key, { value, enumerable: true })
    }
    // `cause` may be a low-level error from fetch; keep it for debugging but out of JSON.stringify.
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false })
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/**
 * The code an error of `kind` (with the HTTP `status`, if any) gets unless its maker names one: the
 * one table from kinds and statuses to {@link ChatApiErrorCode}.
 */
export function codeOf(kind: ChatApiErrorKind, status = 0): ChatApiErrorCode {
  if (kind === 'validation') return 'invalid-input'
  if (kind === 'api') return 'refused'
  if (kind === 'parse') return 'unexpected-response'
  if (kind !== 'http') return kind
  return HTTP_CODES[status] ?? (status >= 500 ? 'server-error' : status >= 400 ? 'refused' : 'unexpected-response')
}

const HTTP_CODES: Record<number, ChatApiErrorCode> = {
  400: 'invalid-input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  408: 'timeout',
  409: 'conflict',
  410: 'not-found',
  413: 'too-large',
  422: 'invalid-input',
  429: 'rate-limited',
  502: 'unavailable',
  503: 'unavailable',
  504: 'timeout',
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
