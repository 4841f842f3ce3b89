// One connection to the Chat API: the transport, the server clock, and `send`, which checks and sends one endpoint.

import { createServerClock, type ServerClock } from './clock'
import type { Endpoint, UnconfirmedEndpoint } from './endpoints'
import { ChatApiError, type ValidationIssue } from './errors'
import {
  type AccessToken,
  type ChatClientOptions,
  createTransport,
  type EndpointPath,
  invalidInput,
  MAX_TIMEOUT,
} from './http'
import { snapshot } from './json'
import { checkId, describeIssues, isHttpUrl } from './validate'

/** One call of an endpoint: its id, body, query and signal, as the caller gave them. */
export interface EndpointCall {
  id?: unknown
  body?: unknown
  /** What the endpoint's query check reads. */
  options?: Record<string, unknown>
  /** What is sent as the query string (default: `options`). */
  query?: Record<string, string | number | boolean | undefined>
  signal?: unknown
  /** Sent as the `Idempotency-Key` header (see {@link keyFor}). */
  idempotencyKey?: unknown
}

/**
 * What every endpoint function needs: the base URL, the server clock, and `send`. A
 * {@link ChatClient} is one; so is what `ChatApiProvider` puts in context, so a bundle carries only
 * the endpoints it calls.
 */
export interface ChatConnection {
  /** The `baseURL` the connection was made with. */
  readonly baseURL: string
  /**
   * The server's clock as estimated from its answers. Messages are stamped and checked in this
   * time, so a visitor whose computer clock is minutes off still sends every message, in order.
   */
  readonly clock: ServerClock
  /**
   * `true` while creates and message adds carry an `Idempotency-Key` (the client's
   * `idempotencyKeys` option; by default, while it holds no `accessToken`): a write whose fate is
   * unknown may then be sent again at once with the same key, and is stored once. Read per request,
   * so a provider's token given later turns it off. Absent means `false`.
   */
  readonly idempotencyKeys?: boolean
  /**
   * `true` while requests carry an `accessToken` (the client talks to the Chat API itself); `false`
   * behind the server half, which holds the token. Read per request, like `idempotencyKeys`.
   * Absent (a connection of your own) means `false`.
   */
  readonly hasAccessToken?: boolean
  /**
   * Checks one call of an endpoint of the table (id, query, body snapshot, the endpoint's rules),
   * then sends it: a `validation` error before any request when something is wrong.
   */
  send<T>(endpoint: Endpoint<T>, call: EndpointCall): Promise<T>
}

/**
 * Opens a connection: checks the options (a `validation` error, thrown, for a bad `baseURL` or
 * `timeout`), then sends through ofetch. `currentToken` is read on every request.
 */
export function connect(options: ChatClientOptions, currentToken?: () => AccessToken | undefined): ChatConnection {
  const { baseURL, timeout } = options ?? {}
  const issues: ValidationIssue[] = []
  if (!isHttpUrl(baseURL) && !(typeof baseURL === 'string' && (baseURL as string).startsWith('/')))
    issues.push({
      path: 'baseURL',
      code: 'url',
      message: 'must be an absolute http(s) URL or a path starting with "/"',
    })
  if (timeout !== undefined && !(Number.isSafeInteger(timeout) && timeout >= 1 && timeout <= MAX_TIMEOUT))
    issues.push({
      path: 'timeout',
      code: 'integer',
      min: 1,
      max: MAX_TIMEOUT,
      message: `must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT}, got ${String(timeout)}`,
    })
  if (issues.length)
    throw new ChatApiError('validation', `createChatClient: invalid options: ${describeIssues(issues)}`, { issues })

  const token = currentToken ?? (() => options.accessToken)
  const transport = createTransport(options, token)
  const overrides: Partial<Record<UnconfirmedEndpoint, EndpointPath>> = options.paths ?? {}
  const clock = createServerClock()

  function send<T>(endpoint: Endpoint<T>, call: EndpointCall): Promise<T> {
    const unconfirmed = endpoint.status === 'unconfirmed'
    const { method, path: template } = (unconfirmed && overrides[endpoint.name as UnconfirmedEndpoint]) || endpoint
    const path = template.replace('{id}', String(call.id))
    const found: ValidationIssue[] = []
    if (template.includes('{id}')) checkId(found, call.id)
    if (endpoint.checkQuery) found.push(...endpoint.checkQuery(call.options ?? {}))
    if (call.signal !== undefined && typeof (call.signal as AbortSignal)?.addEventListener !== 'function')
      found.push({ path: 'signal', code: 'object', message: 'must be an AbortSignal' })
    const key = call.idempotencyKey
    if (key !== undefined && !(typeof key === 'string' && /^[!-~]{1,255}$/.test(key)))
      found.push({ path: 'idempotencyKey', code: 'format', message: 'must be 1 to 255 visible ASCII characters' })
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
      query: call.query ?? (call.options as EndpointCall['query']),
      body: text,
      signal: call.signal as AbortSignal | undefined,
      idempotencyKey: key as string | undefined,
      accept: (data): data is T => endpoint.accept(data, sent),
      hint: endpoint.hint?.(endpoint.name),
    })
  }

  return {
    baseURL,
    clock,
    send,
    get idempotencyKeys() {
      return options.idempotencyKeys ?? token() === undefined
    },
    get hasAccessToken() {
      // No token, or an empty static one, means no Authorization header (as the transport reads it).
      return !!token()
    },
  }
}

// What endpoint functions are made of lives beside the endpoints (no transport there).
export { endpointCall, feed, keyFor, learnFrom } from './endpoints/call'
