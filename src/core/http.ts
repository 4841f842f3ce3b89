import { type FetchResponse, ofetch } from 'ofetch'
import { ChatApiError, type ValidationIssue } from './errors'
import { describeIssues, isObject } from './validate'

/**
 * An access token, or a function that returns one (or a promise of one).
 *
 * A function is called lazily, its result reused, and called once more after an HTTP 401, when
 * the request is repeated once with the new token. Access tokens are short-lived (about an hour)
 * and must come from your own server: refresh tokens and the client id never belong in a browser.
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
   * before it fails with a `timeout` error. Default `30000`.
   */
  timeout?: number
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
}

type Method = EndpointPath['method']

export interface RequestSpec<T> extends RequestOptions {
  method: Method
  path: string
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
  /** Checks the envelope's `data` before it is handed out as `T`. */
  accept: (data: unknown) => data is T
  /** Added to the message of an HTTP 404 or 405, e.g. how to override an undocumented path. */
  hint?: string
}

export const DEFAULT_TIMEOUT = 30_000

const label = (method: string, path: string) => `[${method}] ${path}`

/** The `validation` error for `issues`, thrown before any request is sent. */
export function invalidInput(method: string, path: string, issues: ValidationIssue[]) {
  return new ChatApiError('validation', `${label(method, path)}: invalid input: ${describeIssues(issues)}`, {
    method,
    path,
    issues,
  })
}

function isEnvelope(value: unknown): value is { data?: unknown; errorCode: number; errorText?: unknown } {
  return isObject(value) && typeof value.errorCode === 'number'
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Turns one HTTP response into the envelope's `data`, or the matching {@link ChatApiError}. */
function readResponse<T>(spec: RequestSpec<T>, response: FetchResponse<string>): T {
  const { method, path } = spec
  const status = response.status
  const body = parseJson(response._data)
  const envelope = isEnvelope(body) ? body : undefined
  const errorText = typeof envelope?.errorText === 'string' ? envelope.errorText : null
  const where = { method, path, status }
  if (status < 200 || status > 299) {
    const reason = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`
    const hint = spec.hint && (status === 404 || status === 405) ? `. ${spec.hint}` : ''
    const detail = (envelope ? ` (errorCode ${envelope.errorCode}${errorText ? `: ${errorText}` : ''})` : '') + hint
    const codes = envelope ? { errorCode: envelope.errorCode, errorText } : {}
    return fail(new ChatApiError('http', `${label(method, path)}: ${reason}${detail}`, { ...where, ...codes }))
  }
  if (!envelope) {
    const type = response.headers.get('content-type') || 'no content type'
    const what = !response._data
      ? 'an empty body'
      : body === undefined
        ? `a body that is not JSON (${type})`
        : 'JSON that is not an envelope'
    return fail(new ChatApiError('parse', `${label(method, path)}: HTTP ${status} with ${what}`, where))
  }
  if (envelope.errorCode !== -1) {
    const message = `${label(method, path)}: API error ${envelope.errorCode}${errorText ? `: ${errorText}` : ''}`
    return fail(new ChatApiError('api', message, { ...where, errorCode: envelope.errorCode, errorText }))
  }
  if (!spec.accept(envelope.data))
    return fail(new ChatApiError('parse', `${label(method, path)}: the envelope's data has an unexpected shape`, where))
  return envelope.data
}

function fail(error: ChatApiError): never {
  throw error
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

  function token(stale?: string): Promise<string | undefined> {
    const source = currentToken()
    if (typeof source !== 'function') return Promise.resolve(source)
    if (slot && stale !== undefined && slot.value === stale) slot = undefined
    if (!slot) {
      const next: { promise: Promise<string>; value?: string } = {
        promise: Promise.resolve()
          .then(source)
          .then((value) => {
            if (typeof value !== 'string' || value === '' || /[\r\n]/.test(value))
              throw new TypeError('the accessToken function must return a non-empty, single-line string')
            next.value = value
            return value
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

  async function request<T>(spec: RequestSpec<T>): Promise<T> {
    const { method, path, signal } = spec
    const where = { method, path }
    if (signal?.aborted) throw new ChatApiError('aborted', `${label(method, path)}: aborted before it was sent`, where)

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
        ? new ChatApiError('aborted', `${label(method, path)}: aborted`, where)
        : timedOut
          ? new ChatApiError('timeout', `${label(method, path)}: no answer within ${timeout} ms`, where)
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
        return await untilStopped(token(stale))
      } catch (error) {
        if (error instanceof ChatApiError) throw error
        const reason = error instanceof Error ? error.message : String(error)
        throw new ChatApiError('network', `${label(method, path)}: the accessToken function failed: ${reason}`, {
          ...where,
          cause: error,
        })
      }
    }

    const send = async (accessToken: string | undefined) => {
      try {
        return await $fetch.raw<string, 'text'>(path, {
          method,
          query: spec.query,
          body: spec.body as BodyInit | Record<string, unknown> | undefined,
          headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : undefined,
          signal: controller.signal,
        })
      } catch (error) {
        const stop = stopped()
        if (stop) throw stop
        // ofetch's FetchError carries the request options (and so the Authorization header):
        // keep only the low-level cause.
        const cause = (error as { cause?: unknown })?.cause ?? error
        const reason = cause instanceof Error ? cause.message : 'request failed'
        throw new ChatApiError('network', `${label(method, path)}: network error: ${reason}`, { ...where, cause })
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
