// createChatHandler: the visitor-scoped proxy between a public chat widget and the Chat API.
import { matchEndpoints } from '../core/endpoint-list'
import type { Endpoint } from '../core/endpoints'
import type { ValidationIssue } from '../core/errors'
import type { UserValue } from '../core/types'
import { describeIssues, isHttpUrl, isObject } from '../core/validate'
import { createCookieSigner, readCookie, type VisitorState } from './cookie'
import { createMemoryEventBus, type EventBus, hintOf, parseWebhook, WebhookParseError } from './events'
import { createMemoryRateLimiter, type RateLimiter } from './rate-limit'
import { createTokenSource, functionTokenSource, type TokenSource } from './tokens'

/** The visitor cookie's settings. */
export interface ChatCookieOptions {
  /** Default `"sb_chat"`. */
  name?: string
  /** Send it over HTTPS only. Default `true` (set `false` for plain-HTTP development). */
  secure?: boolean
  /** Default `"lax"`. */
  sameSite?: 'lax' | 'strict' | 'none'
  /** Seconds it lives (and after which its conversations are no longer the visitor's). Default 30 days. */
  maxAge?: number
}

/** Limits on what one visitor can send. */
export interface ChatHandlerLimits {
  /** Largest request body, in bytes; larger gets HTTP 413. Default 65536. */
  bodyBytes?: number
  /** Requests per minute per visitor; more gets HTTP 429 with `Retry-After`. Default 120. */
  requestsPerMinute?: number
  /** Milliseconds to wait for the Chat API; longer gets HTTP 504. Default 15000. */
  upstreamTimeout?: number
  /** Conversations one cookie remembers (newest kept). Default 20. */
  conversationsPerVisitor?: number
}

/** Options of {@link createChatHandler}. */
export interface ChatHandlerOptions {
  /** The Chat API's base URL (the reference documents none), e.g. `"https://api.example.com/v1/"`. */
  apiBaseURL: string
  /** Your Client ID (Inbox → Settings → Installation → Public API). Required unless `accessToken` is given. */
  clientId?: string
  /** A refresh token of your account. Required unless `accessToken` is given. Never leaves this server. */
  refreshToken?: string
  /** Instead of `clientId` and `refreshToken`: your own server-side source of access tokens. */
  accessToken?: () => string | Promise<string>
  /** The token endpoint. Default `https://api.socialboards.com/token`. */
  tokenURL?: string
  /** Signs the visitor cookie (HMAC-SHA-256): at least 32 characters, kept secret, the same on every instance. */
  secret: string
  /** Where the handler answers. Default `/api/chat`: the browser's `baseURL` is then `/api/chat/`. */
  basePath?: string
  cookie?: ChatCookieOptions
  limits?: ChatHandlerLimits
  /**
   * The app's signed-in user, if any: the author of the conversation and of every message, whatever
   * the browser sends. Without it, visitors are anonymous: the browser may give a name and an email
   * (unverified), and a generated `customIdentifier` kept in the cookie identifies them.
   */
  resolveVisitor?: (request: Request) => UserValue | null | undefined | Promise<UserValue | null | undefined>
  /** Called with a new refresh token when the token endpoint hands one back: store it for the next start. */
  onRefreshToken?: (refreshToken: string) => void | Promise<void>
  /** Where request counts live. Default: this process's memory. Use a shared store when you run several instances. */
  rateLimiter?: RateLimiter
  /** The client's address, to rate-limit browsers that have no cookie yet. Default: all of them share one budget. */
  clientAddress?: (request: Request) => string | undefined
  /** The `fetch` to reach the Chat API and the token endpoint with. */
  fetch?: typeof globalThis.fetch
  /**
   * Receive Socialboards webhooks at `{basePath}/{path}` (default `webhooks`; the path may hold a
   * secret segment): the GET handshake answers the `challenge` when `verifyToken` matches, and each
   * POSTed event becomes a hint on the browsers' event streams. Events are unsigned, so they are
   * only hints to refetch through this handler, never content passed on.
   */
  webhook?: { verifyToken: string; path?: string }
  /** Where hints are fanned out. Default: this process's memory. Behind several instances, `createRedisEventBus`. */
  events?: EventBus
  /** The event streams (`GET {basePath}/chat/conversations/{id}/events`). */
  stream?: {
    /** Milliseconds between heartbeat comments. Default 20000. */
    heartbeatMs?: number
    /** The reconnect delay suggested to browsers, in milliseconds. Default 3000. */
    retryMs?: number
    /** Streams one visitor may hold open at once (in this process). Default 5. */
    perVisitor?: number
  }
}

/** A Web-standard request handler: Next.js route handlers, Hono, Remix, Bun, Deno, edge runtimes, or `toNodeListener`. */
export interface ChatHandler {
  fetch(request: Request): Promise<Response>
}

const DAY = 24 * 60 * 60

/** A JSON error in the Chat API's envelope, so the browser's client reports it like any other. */
function refusal(status: number, message: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ data: null, errorCode: status, errorText: message }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  })
}

/** Reads at most `limit` bytes of the body; `null` when it is longer. */
async function readBody(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > limit) return null
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      return null
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}

const randomId = () => crypto.randomUUID()

/**
 * `true` unless the browser says the request comes from another site: no `Origin` (or `null`), or
 * one whose host is this host, as the request names it (`Host`, or `X-Forwarded-Host` behind a
 * proxy). A malformed `Origin` counts as another site.
 */
function fromThisSite(request: Request, url: URL): boolean {
  const origin = request.headers.get('origin')
  if (!origin || origin === 'null') return true
  let host: string
  try {
    host = new URL(origin).host
  } catch {
    return false
  }
  const forwarded = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim()
  return [request.headers.get('host'), forwarded, url.host].includes(host)
}

/** Compares two secrets in time that depends on their length only. */
function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given)
  const b = new TextEncoder().encode(expected)
  let difference = a.length ^ b.length
  for (let index = 0; index < b.length; index++) difference |= (a[index] ?? 0) ^ (b[index] as number)
  return difference === 0 && b.length > 0
}

/** The query parameters the Chat API's read endpoints take; anything else is dropped. */
const QUERY = ['includeMessages', 'orderBy', 'orderyBy', 'skip', 'take']

/**
 * The server half of a public chat widget. It holds the account's refresh token and mints access
 * tokens, and lets each browser reach only the conversations it created: the browser holds nothing
 * but a signed, httpOnly cookie. It serves the Chat API's own paths under `basePath`, so the
 * browser side is `<ChatApiProvider baseURL="/api/chat/">` with no token, and every hook works.
 *
 * What a visitor can do: create a conversation, read it and its messages and takeover state, add
 * messages (always as the conversation's visitor: the author is rewritten, never staff or a bot),
 * ask for a human (takeover to a human only), leave feedback, report the page, close. Importing
 * history (`previousMessages`) is refused, as is any other path.
 *
 * @example
 * ```ts
 * const handler = createChatHandler({
 *   apiBaseURL: process.env.CHAT_API_URL!,
 *   clientId: process.env.SOCIALBOARDS_CLIENT_ID!,
 *   refreshToken: process.env.SOCIALBOARDS_REFRESH_TOKEN!,
 *   secret: process.env.CHAT_COOKIE_SECRET!,
 * })
 * export const GET = handler.fetch, POST = handler.fetch, PATCH = handler.fetch // Next.js route handlers
 * ```
 */
export function createChatHandler(options: ChatHandlerOptions): ChatHandler {
  const problems: string[] = []
  if (!isHttpUrl(options?.apiBaseURL)) problems.push('apiBaseURL must be an absolute http(s) URL')
  if (typeof options?.secret !== 'string' || options.secret.length < 32)
    problems.push('secret must be a string of at least 32 characters (it signs visitor cookies)')
  const tokenFunction = typeof options?.accessToken === 'function'
  if (!tokenFunction && !(typeof options?.clientId === 'string' && options.clientId))
    problems.push('clientId is required (or give an accessToken function)')
  if (!tokenFunction && !(typeof options?.refreshToken === 'string' && options.refreshToken))
    problems.push('refreshToken is required (or give an accessToken function)')
  if (options?.tokenURL !== undefined && !isHttpUrl(options.tokenURL))
    problems.push('tokenURL must be an absolute http(s) URL')
  // The messages name options, never their values.
  if (problems.length) throw new TypeError(`createChatHandler: ${problems.join('; ')}`)

  const fetchUpstream = options.fetch ?? globalThis.fetch
  const apiBaseURL = options.apiBaseURL.replace(/\/*$/, '/')
  const basePath = `/${(options.basePath ?? '/api/chat').replace(/^\/+|\/+$/g, '')}`
  const cookieName = options.cookie?.name ?? 'sb_chat'
  const maxAge = options.cookie?.maxAge ?? 30 * DAY
  const secure = options.cookie?.secure ?? true
  const sameSite = options.cookie?.sameSite ?? 'lax'
  const bodyBytes = options.limits?.bodyBytes ?? 64 * 1024
  const perMinute = options.limits?.requestsPerMinute ?? 120
  const upstreamTimeout = options.limits?.upstreamTimeout ?? 15_000
  const keep = options.limits?.conversationsPerVisitor ?? 20
  const limiter = options.rateLimiter ?? createMemoryRateLimiter()
  const tokens: TokenSource = tokenFunction
    ? functionTokenSource(options.accessToken as () => string | Promise<string>)
    : createTokenSource({
        tokenURL: options.tokenURL ?? 'https://api.socialboards.com/token',
        clientId: options.clientId as string,
        refreshToken: options.refreshToken as string,
        onRefreshToken: options.onRefreshToken,
        fetch: fetchUpstream,
        now: Date.now,
        timeout: upstreamTimeout,
      })
  const signer = createCookieSigner(options.secret)
  const bus = options.events ?? createMemoryEventBus()
  const webhookPath = options.webhook
    ? `${basePath}/${(options.webhook.path ?? 'webhooks').replace(/^\/+|\/+$/g, '')}`
    : null
  const heartbeatMs = options.stream?.heartbeatMs ?? 20_000
  const retryMs = options.stream?.retryMs ?? 3000
  const streamsPerVisitor = options.stream?.perVisitor ?? 5
  const openStreams = new Map<string, number>()
  const encoder = new TextEncoder()

  const setCookie = (value: string) =>
    [
      `${cookieName}=${value}`,
      `Path=${basePath}`,
      'HttpOnly',
      `SameSite=${sameSite[0]?.toUpperCase()}${sameSite.slice(1)}`,
      `Max-Age=${maxAge}`,
      ...(secure ? ['Secure'] : []),
    ].join('; ')

  /**
   * Calls the Chat API with a minted token; after a 401, once more with a new one. Never throws.
   * Returns the answer and the token it was sent with, to scrub should the answer ever echo it.
   */
  async function upstream(
    method: string,
    path: string,
    search: string,
    body: string | undefined,
  ): Promise<{ response: Response; token?: string }> {
    const url = `${apiBaseURL}${path}${search}`
    for (let attempt = 0; ; attempt++) {
      let token: string
      try {
        token = await tokens.get()
      } catch {
        return { response: refusal(502, 'The chat service is not available right now') }
      }
      let response: Response
      try {
        response = await fetchUpstream(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(upstreamTimeout),
        })
      } catch (error) {
        return {
          response:
            (error as Error)?.name === 'TimeoutError'
              ? refusal(504, 'The chat service did not answer in time')
              : refusal(502, 'The chat service could not be reached'),
        }
      }
      if (response.status === 401 && attempt === 0) {
        tokens.refuse(token)
        await response.body?.cancel()
        continue
      }
      // Our credentials refused twice, or a redirect: the visitor can do nothing about either.
      if (response.status === 401 || (response.status >= 300 && response.status < 400)) {
        await response.body?.cancel()
        return { response: refusal(502, 'The chat service is not available right now') }
      }
      return { response, token }
    }
  }

  /** The body the Chat API receives for `endpoint`, built from what the browser sent; or why it is refused. */
  function rewrite(
    endpoint: Endpoint,
    body: unknown,
    visitor: UserValue,
  ): { body?: unknown; refused?: [number, string] } {
    switch (endpoint.name) {
      case 'createConversation': {
        if (!isObject(body)) return { refused: [400, 'The body must be a JSON object'] }
        const { title, url, sentiment, categoryId, fields, isBotEnabled } = body
        return { body: { author: visitor, title, url, sentiment, categoryId, fields, isBotEnabled } }
      }
      case 'addMessages': {
        if (!Array.isArray(body)) return { refused: [400, 'The body must be a JSON array of messages'] }
        // Always the visitor: never staff (isByTeam), a bot, or anyone else, whatever was sent.
        return {
          body: body.map((item) =>
            isObject(item)
              ? { message: item.message, creationTime: item.creationTime, author: visitor, isByTeam: false }
              : item,
          ),
        }
      }
      case 'changeTakeover': {
        // A visitor may ask for a human, nothing else: not for the bot back, not for a given agent.
        if (
          !isObject(body) ||
          body.isAssignedToBot !== false ||
          (body.assigneeId !== undefined && body.assigneeId !== null)
        )
          return { refused: [403, 'A visitor can only ask for a human: { "isAssignedToBot": false }'] }
        return { body: { isAssignedToBot: false } }
      }
      case 'updateFeedback': {
        if (!isObject(body)) return { refused: [400, 'The body must be a JSON object'] }
        return { body: { isPositive: body.isPositive, text: body.text } }
      }
      case 'updateLatestUrl': {
        if (!isObject(body)) return { refused: [400, 'The body must be a JSON object'] }
        return { body: { url: body.url } }
      }
      default:
        return {}
    }
  }

  /** The webhook endpoint: the verification handshake, and events turned into hints. No upstream call. */
  async function webhook(request: Request, url: URL): Promise<Response> {
    const expected = options.webhook?.verifyToken ?? ''
    if (request.method === 'GET') {
      const given = url.searchParams.get('verifyToken') ?? ''
      const challenge = url.searchParams.get('challenge')
      if (challenge === null || !sameSecret(given, expected)) return refusal(403, 'Verification failed')
      return new Response(challenge, {
        headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      })
    }
    if (request.method !== 'POST') return refusal(405, 'Method not allowed')
    const text = await readBody(request, bodyBytes)
    if (text === null) return refusal(413, `The body is larger than ${bodyBytes} bytes`)
    let events: ReturnType<typeof parseWebhook>
    try {
      events = parseWebhook(JSON.parse(text))
    } catch (error) {
      return refusal(
        400,
        error instanceof WebhookParseError ? `Not a webhook payload: ${error.message}` : 'The body is not valid JSON',
      )
    }
    for (const event of events) {
      const hint = hintOf(event)
      if (hint) await bus.publish(hint)
    }
    return new Response(JSON.stringify({ received: events.length }), {
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    })
  }

  /**
   * A conversation's hints as Server-Sent Events: a `retry:` first, then one event per hint (`id:`
   * for Last-Event-ID, `event:` its kind, `data:` the conversation id and kind only), heartbeat
   * comments, and the end after `closed`.
   */
  async function events(request: Request, id: number, visitor: string): Promise<Response> {
    const open = openStreams.get(visitor) ?? 0
    if (open >= streamsPerVisitor) return refusal(429, 'Too many open event streams', { 'retry-after': '10' })
    openStreams.set(visitor, open + 1)
    let finished = false
    let heartbeat: ReturnType<typeof setInterval> | undefined
    let unsubscribe: (() => void) | undefined
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined
    /** Ends the stream once, whoever ends it (a `closed` hint, the browser leaving, an abort). */
    const finish = () => {
      if (finished) return
      finished = true
      clearInterval(heartbeat)
      unsubscribe?.()
      const left = (openStreams.get(visitor) ?? 1) - 1
      if (left > 0) openStreams.set(visitor, left)
      else openStreams.delete(visitor)
      try {
        controller?.close()
      } catch {}
    }
    const send = (text: string) => {
      if (finished) return
      try {
        controller?.enqueue(encoder.encode(text))
      } catch {
        finish()
      }
    }
    const stream = new ReadableStream<Uint8Array>({
      async start(opened) {
        controller = opened
        request.signal?.addEventListener('abort', finish, { once: true })
        send(`retry: ${retryMs}\n\n`)
        const data = (conversationId: number, kind: string) => JSON.stringify({ conversationId, kind })
        const stop = await bus.subscribe(
          id,
          (hint) => {
            send(`id: ${hint.id}\nevent: ${hint.kind}\ndata: ${data(hint.conversationId, hint.kind)}\n\n`)
            if (hint.kind === 'closed') finish()
          },
          // The header on the browser's own reconnects; the query when a client reopens the stream itself.
          request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('lastEventId') ?? undefined,
        )
        if (finished) stop()
        else {
          unsubscribe = stop
          heartbeat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs)
        }
      },
      cancel: finish,
    })
    return new Response(stream, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      },
    })
  }

  /** The visitor a request's cookie names, when the cookie is ours, intact and not expired. */
  const visitorOf = async (request: Request) =>
    (await signer).verify(readCookie(request.headers.get('cookie'), cookieName), maxAge, Date.now())

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (webhookPath && url.pathname === webhookPath) return webhook(request, url)
    if (!url.pathname.startsWith(`${basePath}/`)) return refusal(404, 'Not found')
    const path = url.pathname.slice(basePath.length + 1)
    const method = request.method.toUpperCase()
    const stream = /^chat\/conversations\/(\d+)\/events$/.exec(path)
    if (stream) {
      if (method !== 'GET') return refusal(405, 'Method not allowed')
      const state = await visitorOf(request)
      const id = Number(stream[1])
      if (!state?.conversations.includes(id)) return refusal(403, 'This conversation is not yours')
      return events(request, id, state.visitor)
    }
    const matches = matchEndpoints(path)
    if (!matches.length) return refusal(404, 'Not found')
    const match = matches.find((candidate) => candidate.endpoint.method === method)
    if (!match) return refusal(405, 'Method not allowed')
    const { endpoint } = match
    if (endpoint.visitor !== 'allowed') return refusal(403, 'This operation is not available to visitors')

    // Writes come from this site only: a JSON content type (no cross-site form can send one) and,
    // when the browser says where it comes from, this host.
    if (method !== 'GET' && !fromThisSite(request, url)) return refusal(403, 'Cross-site requests are refused')

    const state = await visitorOf(request)
    let id: number | undefined
    if (match.id !== undefined) {
      id = Number(match.id)
      // Only the conversations this browser created: anything else is refused before any upstream call.
      if (!/^\d+$/.test(match.id) || !state?.conversations.includes(id))
        return refusal(403, 'This conversation is not yours')
    }

    const key = state ? `visitor:${state.visitor}` : `new:${options.clientAddress?.(request) ?? 'anyone'}`
    const verdict = await limiter.hit(key, perMinute, 60_000)
    if (!verdict.allowed)
      return refusal(429, 'Too many requests', { 'retry-after': String(Math.max(1, Math.ceil(verdict.retryAfter))) })

    let body: unknown
    if (method !== 'GET') {
      const type = request.headers.get('content-type') ?? ''
      const text = await readBody(request, bodyBytes)
      if (text === null) return refusal(413, `The body is larger than ${bodyBytes} bytes`)
      if (text !== '') {
        if (!/^application\/json\b/i.test(type)) return refusal(415, 'Only JSON bodies are accepted')
        try {
          body = JSON.parse(text)
        } catch {
          return refusal(400, 'The body is not valid JSON')
        }
      }
    }

    const now = Math.floor(Date.now() / 1000)
    const visitorState: VisitorState = state ?? {
      visitor: randomId(),
      customIdentifier: `visitor-${randomId()}`,
      conversations: [],
      issuedAt: now,
    }
    const resolved = options.resolveVisitor ? await options.resolveVisitor(request) : undefined
    if (endpoint.name === 'createConversation' && !resolved && isObject(body) && isObject(body.author)) {
      // What an anonymous visitor may say about themself: a name and an (unverified) email.
      const { name, email } = body.author
      visitorState.author = {
        ...(typeof name === 'string' ? { name } : {}),
        ...(typeof email === 'string' ? { email } : {}),
      }
    }
    const visitor: UserValue = resolved
      ? { ...resolved, isBot: false }
      : { ...visitorState.author, customIdentifier: visitorState.customIdentifier }

    const rewritten = rewrite(endpoint, body, visitor)
    if (rewritten.refused) return refusal(...rewritten.refused)
    if (endpoint.checkBody) {
      const issues: ValidationIssue[] = endpoint.checkBody(rewritten.body, Date.now())
      if (issues.length) return refusal(400, `Invalid input: ${describeIssues(issues)}`)
    }
    const search = new URLSearchParams([...url.searchParams].filter(([name]) => QUERY.includes(name))).toString()
    const { response: answer, token: sentWith } = await upstream(
      method,
      path,
      search ? `?${search}` : '',
      rewritten.body === undefined ? undefined : JSON.stringify(rewritten.body),
    )
    // The Chat API's answer goes to the browser as it is, less any token it might echo.
    const raw = await answer.text()
    const text = sentWith ? raw.split(sentWith).join('[redacted]') : raw
    const headers: Record<string, string> = {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
      'cache-control': 'no-store',
    }
    const retryAfter = answer.headers.get('retry-after')
    if (retryAfter) headers['retry-after'] = retryAfter
    if (endpoint.name === 'createConversation' && answer.ok) {
      try {
        const created = JSON.parse(text)
        if (created?.errorCode === -1 && Number.isSafeInteger(created?.data?.id)) {
          visitorState.conversations = [
            ...visitorState.conversations.filter((known) => known !== created.data.id),
            created.data.id,
          ].slice(-keep)
          visitorState.issuedAt = now
          headers['set-cookie'] = setCookie(await (await signer).sign(visitorState))
        }
      } catch {
        // Not an envelope: passed on as it is, and nothing is remembered.
      }
    }
    return new Response(text, { status: answer.status, headers })
  }

  return {
    async fetch(request) {
      try {
        return await handle(request)
      } catch {
        return refusal(500, 'The chat proxy failed')
      }
    },
  }
}
