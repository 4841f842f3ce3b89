// createChatHandler: the visitor-scoped proxy between a public chat widget and the Chat API, as a list of guards.
import { COOKIE_BYTES, createCookieSigner, fitState, identityDigest, type VisitorState } from './cookie'
import { createMemoryEventBus } from './events'
import type { Guard, ProxyContext } from './proxy/context'
import { runGuards } from './proxy/context'
import {
  addressGuard,
  bodyGuard,
  budgetGuard,
  type GuardDeps,
  humanGuard,
  type IdempotencyClaim,
  idempotencyGuard,
  policyGuard,
  routeGuard,
  siteGuard,
  toStored,
  visitorGuard,
} from './proxy/guards'
import { knownText, refusal, textResponse } from './proxy/http'
import {
  type ChatHandlerOptions,
  type ChatRequestInfo,
  type Config,
  optionProblems,
  resolveConfig,
} from './proxy/options'
import { createStreams } from './proxy/sse'
import { createUpstream } from './proxy/upstream'
import { expiredCookie, forgetSummary, history, signOut } from './proxy/visitor'
import { createWebhookReceiver } from './proxy/webhook'
import { createMemoryConversationIndex, createMemoryIdempotencyStore, createMemoryRateLimiter } from './stores'
import { createTokenSource, functionTokenSource, withBackoff } from './tokens'

export type {
  ChatCookieOptions,
  ChatHandlerLimits,
  ChatHandlerOptions,
  ChatHandlerPaths,
  ChatRequestInfo,
} from './proxy/options'

/** What `probe()` found for each endpoint the public reference does not document. */
export type ChatPathProbe = Record<'updateLatestUrl' | 'closeConversation', 'found' | 'missing' | 'unknown'>

/** A Web-standard request handler: Next.js route handlers, Hono, Remix, Bun, Deno, edge runtimes, or `toNodeListener`. */
export interface ChatHandler {
  /** Answers one request. `info` carries what the host knows beyond the request (`toNodeListener` passes the client address). Never throws. */
  fetch(request: Request, info?: ChatRequestInfo): Promise<Response>
  /** The same, exported as a framework's route handler (Next.js passes its own second argument, `{ params }`, which is ignored). */
  fetch(request: Request, context?: unknown): Promise<Response>
  /**
   * Asks the Chat API whether the configured (or default) close and latest-URL paths exist: each is
   * called for a conversation that cannot exist (id 0). An answer in the API's envelope means the
   * route is there (`found`); a 404 or 405 without one means it is not (`missing`); anything else,
   * `unknown`. Run it at startup or in a health check.
   */
  probe(): Promise<ChatPathProbe>
}

const randomId = () => crypto.randomUUID()

/** Everything built once from the options, on the first request. */
interface Built {
  config: Config
  deps: GuardDeps
  guards: readonly Guard[]
  claims: WeakMap<ProxyContext, IdempotencyClaim>
  sign: (state: VisitorState) => Promise<string>
  stream: ReturnType<typeof createStreams>
  webhook: ReturnType<typeof createWebhookReceiver> | undefined
}

async function build(options: ChatHandlerOptions): Promise<Built> {
  const config = resolveConfig(options)
  // Called unbound later: browsers and workers refuse a detached globalThis.fetch ("Illegal invocation").
  const fetchUpstream: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const tokens = withBackoff(
    options.accessToken
      ? functionTokenSource(options.accessToken)
      : createTokenSource({
          tokenURL: options.tokenURL ?? 'https://api.socialboards.com/token',
          clientId: options.clientId as string,
          refreshToken: options.refreshToken as string,
          onRefreshToken: options.onRefreshToken,
          fetch: fetchUpstream,
          now: Date.now,
          timeout: config.upstreamTimeout,
        }),
  )
  const signer = await createCookieSigner(options.secret, config.deployment)
  const upstream = createUpstream({
    apiBaseURL: config.apiBaseURL,
    tokens,
    // Without the app's own fetch, the upstream picks the cheapest client the host has (node:http on Node).
    fetch: options.fetch,
    timeout: config.upstreamTimeout,
    maxBytes: config.upstreamBytes,
    secrets: [options.refreshToken, options.clientId, options.secret].filter((value): value is string => !!value),
  })
  const warned = new Set<string>()
  const deps: GuardDeps = {
    config,
    verifyCookie: (value) => signer.verify(value, config.maxAge, Date.now()),
    limiter: options.rateLimiter ?? createMemoryRateLimiter(),
    idempotency: options.idempotency ?? createMemoryIdempotencyStore(),
    conversations: options.conversations ?? createMemoryConversationIndex(),
    upstream,
    warnOnce(key, line) {
      if (warned.has(key)) return
      warned.add(key)
      config.log(line)
    },
  }
  const claims = new WeakMap<ProxyContext, IdempotencyClaim>()
  const bus = options.events ?? createMemoryEventBus()
  /** The visitor this request acts as; an anonymous create may name itself (unverified). */
  const actAs: Guard = async (context) => {
    const state: VisitorState = context.state ?? {
      visitor: randomId(),
      customIdentifier: `visitor-${randomId()}`,
      conversations: [],
      issuedAt: Math.floor(Date.now() / 1000),
      ...(context.identity ? { identity: await identityDigest(context.identity) } : {}),
    }
    const body = context.body as { author?: { name?: unknown; email?: unknown } } | undefined
    const route = context.route
    if (route?.kind === 'endpoint' && route.endpoint.name === 'createConversation' && !context.identity) {
      const author =
        body && typeof body === 'object' && body.author && typeof body.author === 'object' ? body.author : undefined
      if (author) {
        const { name, email } = author
        state.author = {
          ...(typeof name === 'string' ? { name } : {}),
          ...(typeof email === 'string' ? { email } : {}),
        }
      }
    }
    context.visitorState = state
    return undefined
  }
  return {
    config,
    deps,
    claims,
    guards: [
      routeGuard(config),
      siteGuard(config),
      addressGuard(deps),
      visitorGuard(deps),
      budgetGuard(deps),
      bodyGuard(config),
      idempotencyGuard(deps, claims),
      humanGuard(config),
      actAs,
      policyGuard(deps),
    ],
    sign: (state) => signer.sign(state),
    stream: createStreams({
      bus,
      heartbeatMs: config.heartbeatMs,
      retryMs: config.retryMs,
      perVisitor: config.streamsPerVisitor,
      bufferBytes: config.streamBufferBytes,
    }),
    webhook: options.webhook
      ? createWebhookReceiver({
          verifyToken: options.webhook.verifyToken,
          bus,
          bodyBytes: config.bodyBytes,
          timeoutMs: config.upstreamTimeout,
        })
      : undefined,
  }
}

/** The visitor cookie's attributes. */
const cookieAttributes = (config: Config) =>
  [
    `Path=${config.basePath}`,
    'HttpOnly',
    `SameSite=${config.sameSite[0]?.toUpperCase()}${config.sameSite.slice(1)}`,
    `Max-Age=${config.maxAge}`,
    ...(config.secure ? ['Secure'] : []),
  ].join('; ')

/** The `Set-Cookie` header for `state`, made to fit what browsers keep. */
async function cookieFor(built: Built, state: VisitorState): Promise<string> {
  const { config } = built
  const attributes = cookieAttributes(config)
  const budget = COOKIE_BYTES - config.cookieName.length - attributes.length - 4
  return `${config.cookieName}=${await built.sign(fitState(state, budget))}; ${attributes}`
}

/** After a successful create, the cookie lists the new conversation (newest kept). */
async function remember(built: Built, context: ProxyContext, json: unknown): Promise<string | undefined> {
  const created = json as { errorCode?: unknown; data?: { id?: unknown } } | undefined
  const id = created?.data?.id
  if (created?.errorCode !== -1 || !Number.isSafeInteger(id)) return undefined
  const state = context.visitorState as VisitorState
  state.conversations = [...state.conversations.filter((known) => known !== id), id as number].slice(-built.config.keep)
  state.issuedAt = Math.floor(Date.now() / 1000)
  if (context.identityDigest) await built.deps.conversations.add(context.identityDigest, id as number)
  return cookieFor(built, state)
}

/** Runs the guards, then the endpoint (upstream, or a replayed answer), and keeps what a create or a key must keep. */
async function handle(built: Built, request: Request, info: ChatRequestInfo | undefined): Promise<Response> {
  const url = new URL(request.url)
  const context: ProxyContext = {
    request,
    info,
    url,
    method: request.method.toUpperCase(),
    path: '',
  }
  const refused = await runGuards(built.guards.slice(0, 1), context)
  if (refused) return refused
  const route = context.route
  if (route?.kind === 'webhook') return (built.webhook as NonNullable<Built['webhook']>)(request, url)
  const answer = await runGuards(built.guards.slice(1), context)
  if (answer) return answer
  if (route?.kind === 'events')
    return built.stream(request, route.id, context.state?.visitor ?? `identity:${context.identityDigest}`)
  if (route?.kind === 'sign-out') return signOut(expiredCookie(built.config.cookieName, cookieAttributes(built.config)))
  if (route?.kind === 'history') return history(built.deps, context)
  if (route?.kind !== 'endpoint') return refusal(404, 'Not found')

  const isCreate = route.endpoint.name === 'createConversation'
  if (context.replayed) {
    const headers: Record<string, string> = { ...context.replayed.headers, 'idempotent-replayed': 'true' }
    if (isCreate) {
      // The first answer's cookie may be what got lost: this browser gets the conversation again.
      const cookie = await remember(built, context, safeParse(context.replayed.body))
      if (cookie) headers['set-cookie'] = cookie
    }
    return textResponse(context.replayed.body, { status: context.replayed.status, headers })
  }

  const claim = built.claims.get(context)
  const body = context.upstreamBody === undefined ? undefined : JSON.stringify(context.upstreamBody)
  const result = await built.deps.upstream(route.upstream.method, route.upstream.path, context.search ?? '', body)
  if (route.id !== undefined && route.upstream.method !== 'GET') forgetSummary(built.deps, route.id)
  let response = result.response
  if (
    route.endpoint.status === 'unconfirmed' &&
    result.json === undefined &&
    (result.status === 404 || result.status === 405)
  ) {
    response = refusal(
      result.status,
      `The Chat API has no ${route.upstream.method} ${route.upstream.path.replace(/\/\d+(?=\/|$)/, '/{id}')}: this path is not in the public API reference; set paths.${route.endpoint.name} in the createChatHandler options to your account's method and path`,
    )
  }
  if (claim) {
    if (result.sent)
      await built.deps.idempotency.finish(claim.key, claim.fingerprint, await toStored(response), 24 * 60 * 60_000)
    else await built.deps.idempotency.release(claim.key)
  }
  if (isCreate && response.ok) {
    const cookie = await remember(built, context, result.json)
    if (cookie) {
      const text = knownText(response)
      if (text !== undefined) {
        const headers: Record<string, string> = { 'set-cookie': cookie }
        response.headers.forEach((value, name) => {
          if (name !== 'set-cookie') headers[name] = value
        })
        return textResponse(text, { status: response.status, headers })
      }
      const headers = new Headers(response.headers)
      headers.append('set-cookie', cookie)
      return new Response(response.body, { status: response.status, headers })
    }
  }
  return response
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * The server half of a public chat widget. It holds the account's refresh token and mints access
 * tokens, and lets each browser reach only the conversations it created: the browser holds nothing
 * but a signed, httpOnly cookie. It serves the Chat API's own paths under `basePath`, so the
 * browser side is `<ChatApiProvider baseURL="/api/chat/">` with no token, and every hook works.
 *
 * Each request goes through small guards in order (route, same site, address budget, visitor,
 * budgets, body, idempotency, human check, the endpoint's visitor policy) before anything is sent
 * upstream. No input makes it throw. Options are checked on the first request, not here, so a
 * route module can be built without its secrets; with options missing, every request gets a 500
 * and one log line names them.
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
  let built: Promise<Built | string[]> | undefined
  let reported = false
  const ready = () => {
    built ??= (async () => {
      const problems = optionProblems(options)
      return problems.length ? problems : build(options)
    })()
    return built
  }
  return {
    async fetch(request, info) {
      try {
        const state = await ready()
        if (Array.isArray(state)) {
          // The messages name options, never their values.
          if (!reported) (options?.log ?? console.error)(`createChatHandler: ${state.join('; ')}`)
          reported = true
          return refusal(500, 'The chat proxy is not configured')
        }
        const given = (info as ChatRequestInfo | undefined)?.clientAddress
        return await handle(state, request, typeof given === 'string' ? { clientAddress: given } : undefined)
      } catch {
        return refusal(500, 'The chat proxy failed')
      }
    },
    async probe() {
      const state = await ready()
      if (Array.isArray(state)) throw new TypeError(`createChatHandler: ${state.join('; ')}`)
      const result = {} as ChatPathProbe
      for (const name of ['updateLatestUrl', 'closeConversation'] as const) {
        const target = state.config.paths[name] ?? {
          method: 'PATCH',
          path: name === 'closeConversation' ? 'chat/conversations/{id}/close' : 'chat/conversations/{id}/latestUrl',
        }
        const body = name === 'updateLatestUrl' ? JSON.stringify({ url: '/' }) : undefined
        const answer = await state.deps.upstream(target.method, target.path.replace('{id}', '0'), '', body)
        const envelope = answer.json as { errorCode?: unknown } | undefined
        result[name] =
          envelope && typeof envelope === 'object' && 'errorCode' in envelope
            ? 'found'
            : answer.status === 404 || answer.status === 405
              ? 'missing'
              : 'unknown'
        await answer.response.body?.cancel().catch(() => {})
      }
      return result
    },
  }
}
