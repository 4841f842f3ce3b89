// The HTTP layer: ofetch with auth, timeout, cancellation, redirects refused for writes, and the envelope.
import { type FetchResponse, ofetch } from 'ofetch'
import { ChatApiError, type ChatApiErrorDetails, type ChatApiErrorKind, type ValidationIssue } from './errors'
import { describeIssues, isObject } from './validate'

/**
 * An access token, or a function that returns one (or a promise of one).
 *
 * A function is called lazily, its result reused, and called once more after an HTTP 401, when
 * the request is repeated once with the new token. Access tokens are short-lived (about an hour)
 * and must come from your own server: refresh tokens and the client id never belong in a browser.
 *
 * Every token is checked before use: surrounding white space is trimmed (a token read with
 * `response.text()` may end in a newline); one with a control character or a character outside
 * Latin-1 cannot go in a header and fails the call with a `validation` error that never quotes it.
 */
export type AccessToken = string | (() => string | Promise<string>)

/** Options of {@link createChatClient}. */
export interface ChatClientOptions {
  /**
   * Base URL of the Chat API, e.g. `"https://api.example.com/v1/"`. Required: the public reference
   * documents no base URL. Endpoint paths (`chat/conversations`, …) are joined onto it.
   */
  baseURL: string
  /** Sent as `Authorization: Bearer <token>`. Omit it to send no `Authorization` header. */
  accessToken?: AccessToken
  /** Extra headers sent with every request. */
  headers?: Record<string, string>
  /** A `fetch` implementation to use instead of `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch
  /**
   * Method and path (relative to `baseURL`, `{id}` for the conversation id) of the endpoints the
   * public reference names but does not document. Defaults, unconfirmed:
   * `updateLatestUrl`: `PATCH chat/conversations/{id}/latestUrl` with `{ "url": … }`;
   * `closeConversation`: `PATCH chat/conversations/{id}/close`.
   */
  paths?: Partial<Record<'updateLatestUrl' | 'closeConversation', EndpointPath>>
  /**
   * Milliseconds to wait for a call (token lookup, request, and the one repeat after a 401)
   * before it fails with a `timeout` error: an integer from 1 to 2147483647 (what timers can
   * hold). Default `30000`.
   */
  timeout?: number
  /**
   * Send an `Idempotency-Key` header (a random UUID per logical write) with `createConversation` and
   * `addMessages`, so a write whose fate is unknown (no answer, a timeout, a gateway's 502/504) can
   * be sent again at once and is stored once. Only the server half (`createChatHandler`) honours
   * it; the Chat API itself knows no such header. Default: `true` when no `accessToken` is given
   * (the client talks to the server half), `false` otherwise; read per request, so a token a
   * `ChatApiProvider` is given later turns it off.
   */
  idempotencyKeys?: boolean
}

/** An HTTP method and a path template such as `chat/conversations/{id}/close`. */
export interface EndpointPath {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  path: string
}

/** Per-call options of every client method. */
export interface RequestOptions {
  /** Cancels the call; it then rejects with an `aborted` error. */
  signal?: AbortSignal
  /**
   * The `Idempotency-Key` of a `createConversation` or `addMessages` call: give the same key to
   * every try of one logical write (the same body), so the server half stores it once. Without it
   * each call gets a new key. Sent only while the client sends keys (its `idempotencyKeys`);
   * other methods ignore it.
   */
  idempotencyKey?: string
}

type Method = EndpointPath['method']

export interface RequestSpec<T> extends RequestOptions {
  method: Method
  path: string
  query?: Record<string, string | number | boolean | undefined>
  /** The JSON text to send, already serialised and validated by the caller. */
  body?: string
  /** Checks the envelope's `data` before it is handed out as `T`. */
  accept: (data: unknown) => data is T
  /** Added to the message of an HTTP 404 or 405, e.g. how to override an undocumented path. */
  hint?: string
}

export const DEFAULT_TIMEOUT = 30_000
/** The longest delay a timer can hold (2^31 - 1 ms); a larger one fires at once. */
export const MAX_TIMEOUT = 2_147_483_647

/** The error of one request: its message reads `[POST] chat/conversations: …`. */
const requestError = (
  kind: ChatApiErrorKind,
  method: string,
  path: string,
  text: string,
  details?: ChatApiErrorDetails,
) => new ChatApiError(kind, `[${method}] ${path}: ${text}`, { method, path, ...details })

/** The `validation` error for `issues`, thrown before any request is sent. */
export const invalidInput = (method: string, path: string, issues: ValidationIssue[]) =>
  requestError('validation', method, path, `invalid input: ${describeIssues(issues)}`, { issues })

/** Turns one HTTP response into the envelope's `data`, or the matching {@link ChatApiError}. */
function readResponse<T>(spec: RequestSpec<T>, response: FetchResponse<string>): T {
  const { method, path } = spec
  const { status, _data: text } = response
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {}
  const envelope = isObject(body) && typeof body.errorCode === 'number' ? body : undefined
  const apiCode = envelope?.errorCode as number
  const errorText = typeof envelope?.errorText === 'string' ? envelope.errorText : null
  const codes = envelope ? ` (errorCode ${apiCode}${errorText ? `: ${errorText}` : ''})` : ''
  const fail = (kind: ChatApiErrorKind, message: string, details?: ChatApiErrorDetails): never => {
    throw requestError(kind, method, path, message, { status, ...details })
  }
  // A write never follows a redirect (fetch would repeat a POST as a GET and report its answer as
  // success): `redirect: 'manual'` hands back the 3xx (or, in browsers, an opaque one with status 0).
  if (response.type === 'opaqueredirect' || (status >= 300 && status <= 399))
    fail('http', `${status ? `HTTP ${status}` : 'a redirect'}: a redirect was refused (${method} is never redirected)`)
  if (status < 200 || status > 299) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
    fail(
      'http',
      `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}${codes}` +
        (spec.hint && (status === 404 || status === 405) ? `. ${spec.hint}` : '') +
        (retryAfter === undefined ? '' : ` (retry after ${retryAfter} s)`),
      envelope ? { errorCode: apiCode, errorText, retryAfter } : { retryAfter },
    )
  }
  if (!envelope)
    fail(
      'parse',
      `HTTP ${status} with ${
        !text
          ? 'an empty body'
          : body === undefined
            ? `a body that is not JSON (${response.headers.get('content-type') || 'no content type'})`
            : 'JSON that is not an envelope'
      }`,
    )
  if (apiCode !== -1)
    fail('api', `API error ${apiCode}${errorText ? `: ${errorText}` : ''}`, { errorCode: apiCode, errorText })
  if (!spec.accept(envelope?.data)) fail('parse', "the envelope's data has an unexpected shape")
  return envelope?.data as T
}

/** Seconds from a `Retry-After` header: delay-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  const value = header?.trim()
  if (!value) return undefined
  if (/^\d+$/.test(value)) return Number(value)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}

/**
 * Why a token cannot go in an `Authorization` header, or `undefined` when it can. The reason
 * never quotes the token.
 */
function tokenProblem(token: unknown): string | undefined {
  if (typeof token !== 'string') return `it must be a string, got ${token === null ? 'null' : typeof token}`
  if (token === '') return 'it is empty'
  for (let index = 0; index < token.length; index++) {
    const code = token.charCodeAt(index)
    if (code < 0x20 || code === 0x7f) return 'it contains a control character (CR, LF, NUL, …)'
    if (code > 0xff) return 'it contains a character outside Latin-1, which no HTTP header can carry'
  }
  return undefined
}

/** The low-level error code (`ECONNRESET`, `UND_ERR_SOCKET`, …) somewhere down a cause chain. */
function errorCode(error: unknown): string | undefined {
  let current = error
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code)) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * The HTTP layer every client method goes through: auth, timeout, cancellation, and the envelope.
 * It knows nothing of React or of individual endpoints.
 */
export function createTransport(
  options: ChatClientOptions,
  // Read on every call, so a provider can swap tokens without rebuilding the client.
  currentToken: () => AccessToken | undefined = () => options.accessToken,
) {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT
  // ofetch does the fetching: base URL, query string, headers, the call and reading the body. Three
  // of its features stay off, each because a guarantee needs more than it gives:
  // - `retry: 0`: by default ofetch repeats a GET once after a network error or some statuses, at
  //   once; repeats are decided above it (query retries with back-off that honour Retry-After; a
  //   write only when it is known not to have landed, as after a 401, which means nothing was done,
  //   or with the same `Idempotency-Key` behind the server half, which stores it once).
  // - its `timeout`: ofetch (1.5) ignores it when the caller passes a signal, and clears it once the
  //   headers arrive, so a stalled body would hang; ours covers the token lookup and the whole body,
  //   and tells a timeout from the caller's abort.
  // - its JSON parsing (`destr`): it turns a body that is not JSON into a string silently, and a
  //   response error into a FetchError whose `options` hold the request headers (the token); we read
  //   text, tell empty from not-JSON from not-an-envelope, and never keep a header on an error.
  // Its abort is used as is (the signal below ends the fetch); the signal is ours because it joins
  // the caller's abort and our timeout. Its hooks are not used: the repeat after a 401 needs a new
  // token lookup under the same timeout, which an `onResponse` hook cannot start, and the header is
  // set per request anyway.
  const $fetch = ofetch.create(
    {
      baseURL: options.baseURL,
      headers: options.headers,
      retry: 0,
      ignoreResponseError: true,
      responseType: 'text',
    },
    options.fetch ? { fetch: options.fetch } : {},
  )

  // The current token lookup, shared by concurrent calls; `value` is set once it resolves.
  let slot: { promise: Promise<string>; value?: string } | undefined

  /**
   * The token to send: at once when it is known (a static one, or a function's cached answer), a
   * promise while a function is being asked. Throws {@link TokenRefused} for one that cannot be sent.
   */
  function token(stale?: string): string | undefined | Promise<string> {
    const source = currentToken()
    // No token, or an empty static one, means "no Authorization header".
    if (typeof source !== 'function') return source === undefined || source === '' ? undefined : usable(source)
    if (slot && stale !== undefined && slot.value === stale) slot = undefined
    if (slot?.value !== undefined) return slot.value
    if (!slot) {
      const next: { promise: Promise<string>; value?: string } = {
        promise: Promise.resolve()
          .then(source)
          .then((value) => {
            next.value = usable(value)
            return next.value
          }),
      }
      // A failed lookup is not cached: the next call asks again.
      next.promise.catch(() => {
        if (slot === next) slot = undefined
      })
      slot = next
    }
    return slot.promise
  }

  /** The token trimmed, or a {@link TokenRefused} that says why it cannot be sent (never what it is). */
  function usable(value: unknown): string {
    const trimmed = typeof value === 'string' ? value.trim() : value
    const problem = tokenProblem(trimmed)
    if (problem) throw new TokenRefused(problem)
    return trimmed as string
  }

  async function request<T>(spec: RequestSpec<T>): Promise<T> {
    const { method, path, signal } = spec
    if (signal?.aborted) throw requestError('aborted', method, path, 'aborted before it was sent')

    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeout)
    const onAbort = () => controller.abort()
    signal?.addEventListener('abort', onAbort, { once: true })

    const stopped = () =>
      signal?.aborted
        ? requestError('aborted', method, path, 'aborted')
        : timedOut
          ? requestError('timeout', method, path, `no answer within ${timeout} ms`)
          : undefined

    const untilStopped = <V>(promise: Promise<V>) =>
      new Promise<V>((resolve, reject) => {
        const onStop = () => reject(stopped())
        if (controller.signal.aborted) return onStop()
        controller.signal.addEventListener('abort', onStop, { once: true })
        promise.then(resolve, reject).finally(() => controller.signal.removeEventListener('abort', onStop))
      })

    const lookup = async (stale?: string) => {
      try {
        const found = token(stale)
        // Only a lookup still under way is raced against the timeout and the caller's abort.
        return typeof found === 'object' ? await untilStopped(found) : found
      } catch (error) {
        if (error instanceof ChatApiError) throw error
        // Nothing left the machine: a token that cannot be sent is bad input, not a network fault.
        if (error instanceof TokenRefused)
          throw requestError('validation', method, path, `the access token cannot be sent: ${error.message}`, {
            code: 'unauthorized',
            issues: [{ path: 'accessToken', code: 'token', message: error.message }],
          })
        const reason = error instanceof Error ? error.message : String(error)
        throw requestError('network', method, path, `the accessToken function failed: ${reason}`, { cause: error })
      }
    }

    const send = async (accessToken: string | undefined) => {
      const headers: Record<string, string> = {}
      if (accessToken) headers.Authorization = `Bearer ${accessToken}`
      if (spec.body !== undefined) headers['Content-Type'] = 'application/json'
      if (spec.idempotencyKey) headers['Idempotency-Key'] = spec.idempotencyKey
      try {
        return await $fetch.raw<string, 'text'>(path, {
          method,
          query: spec.query,
          // Serialised by the client (ofetch's guess would send a class instance as "[object Object]").
          body: spec.body,
          headers,
          signal: controller.signal,
          // A write is never redirected: see readResponse.
          redirect: method === 'GET' ? 'follow' : 'manual',
        })
      } catch (error) {
        const stop = stopped()
        if (stop) throw stop
        // Lower layers' messages can quote request headers (ofetch's FetchError carries the request
        // options; fetch's header check quotes the value): keep only the error code, never a message.
        const code = errorCode(error)
        throw requestError('network', method, path, `network error${code ? ` (${code})` : ''}`, {
          cause: new Error(code ?? 'network error'),
        })
      }
    }

    try {
      const first = await lookup()
      let response = await send(first)
      // A 401 means the server did nothing, so one repeat with a fresh token is safe, even for a POST.
      if (response.status === 401 && typeof currentToken() === 'function') {
        const fresh = await lookup(first)
        if (fresh !== first) response = await send(fresh)
      }
      return readResponse(spec, response)
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
  }

  return { request }
}

export type Transport = ReturnType<typeof createTransport>

/** A token that cannot be sent; its message says why, never what the token is. */
class TokenRefused extends Error {}
