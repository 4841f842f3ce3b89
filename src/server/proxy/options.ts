// The handler's options: their types (with the TSDoc users see), and one function that checks them and fills defaults.
import type { EndpointPath } from '../../core/http'
import type { UserValue } from '../../core/types'
import { isHttpUrl } from '../../core/validate'
import type { EventBus } from '../events'
import type { ConversationIndex, IdempotencyStore, RateLimiter } from '../stores'

/** The visitor cookie's settings. */
export interface ChatCookieOptions {
  /** Default `"sb_chat"`. */
  name?: string
  /**
   * Send it over HTTPS only. Default `true`. A browser does not send a `Secure` cookie back over plain
   * http to any host but `localhost`: for plain-http development on another host (a LAN address),
   * set `false`; the handler logs a warning when it sees that happen.
   */
  secure?: boolean
  /** Default `"lax"`. */
  sameSite?: 'lax' | 'strict' | 'none'
  /** Seconds it lives (and after which its conversations are no longer the visitor's). Default 30 days. */
  maxAge?: number
}

/** Limits on what one client can send and what the handler waits for. */
export interface ChatHandlerLimits {
  /** Largest request body, in bytes; larger gets HTTP 413 without being read. Default 65536. */
  bodyBytes?: number
  /** Requests per minute per visitor (cookie); more gets HTTP 429 with `Retry-After`. Event-stream opens count. Default 120. */
  requestsPerMinute?: number
  /** Conversations one client address may create per minute (and every browser without a cookie shares it). Default 10. */
  createsPerMinute?: number
  /** Requests per minute per client address, whatever they are (refused ones too). Default 600. */
  addressRequestsPerMinute?: number
  /** Milliseconds to wait for the Chat API, and for a request body to arrive; longer gets HTTP 504 / 408. Default 15000. */
  upstreamTimeout?: number
  /** Largest answer taken from the Chat API, in bytes; larger becomes HTTP 502. Default 1048576. */
  upstreamBytes?: number
  /** Messages one add-messages request may carry; more gets HTTP 413. Default 20. */
  messagesPerRequest?: number
  /** Conversations one cookie remembers (newest kept). Default 20. */
  conversationsPerVisitor?: number
}

/**
 * Where the handler finds the endpoints the public reference names but does not document. The same
 * shape as the client's `paths`: set it here (the browser keeps the defaults), e.g.
 * `paths: { closeConversation: { method: 'POST', path: 'chat/conversations/{id}/close' } }`.
 */
export type ChatHandlerPaths = Partial<Record<'updateLatestUrl' | 'closeConversation', EndpointPath>>

/** What a host knows about a request beyond the `Request` itself (`toNodeListener` passes the socket address). */
export interface ChatRequestInfo {
  /** The client's IP address, as the connection shows it. */
  clientAddress?: string
}

/** Options of `createChatHandler`. */
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
  /**
   * This site's origin, e.g. `"https://shop.example.com"`: writes whose `Origin` is not it (nor one of
   * `allowedOrigins`) are refused. Default: the origin of the well-formed `Host` the request came to
   * (with `trustProxy`, `X-Forwarded-Host` and `X-Forwarded-Proto`). Set it in production.
   */
  origin?: string
  /** Further origins whose pages may write (e.g. a separate front-end host). `Origin: null` never counts. */
  allowedOrigins?: string[]
  /**
   * Trust `X-Forwarded-For`, `X-Forwarded-Host` and `X-Forwarded-Proto`: only when a proxy you run
   * sets them (and strips what clients send). Default `false`. The client address is then the last
   * `X-Forwarded-For` entry, the one your proxy added.
   */
  trustProxy?: boolean
  /**
   * The client's address on hosts that do not pass it (Next.js, edge runtimes): e.g. the platform's
   * own header. `toNodeListener` passes the socket's address without it. Budgets are per address.
   */
  clientAddress?: (request: Request) => string | undefined
  /**
   * Checks that an anonymous visitor starting a conversation is a person (a Turnstile or reCAPTCHA
   * token the widget sends in a header). Runs before every anonymous create; `false` gets HTTP 403.
   */
  verifyHuman?: (request: Request) => boolean | Promise<boolean>
  cookie?: ChatCookieOptions
  limits?: ChatHandlerLimits
  /** The undocumented endpoints' method and path upstream (see {@link ChatHandlerPaths}). */
  paths?: ChatHandlerPaths
  /**
   * The app's signed-in user, if any: the author of the conversation and of every message, whatever
   * the browser sends. Without it, visitors are anonymous: the browser may give a name and an email
   * (unverified), and a generated `customIdentifier` kept in the cookie identifies them.
   */
  resolveVisitor?: (request: Request) => UserValue | null | undefined | Promise<UserValue | null | undefined>
  /** Called with a new refresh token when the token endpoint hands one back: store it for the next start. */
  onRefreshToken?: (refreshToken: string) => void | Promise<void>
  /** Where request budgets live. Default: this process's memory. Behind several instances, `createRedisRateLimiter`. */
  rateLimiter?: RateLimiter
  /** Where `Idempotency-Key` outcomes live. Default: this process's memory. Behind several instances, `createRedisIdempotencyStore`. */
  idempotency?: IdempotencyStore
  /**
   * Which conversations each signed-in visitor (`resolveVisitor`) started, so their history
   * (`GET {basePath}/visitor/conversations`) and access follow them to any browser. Default: this
   * process's memory. Behind several instances, `createRedisConversationIndex`.
   */
  conversations?: ConversationIndex
  /** The `fetch` to reach the Chat API and the token endpoint with. */
  fetch?: typeof globalThis.fetch
  /** Where warnings go (one line each, never a secret). Default `console.warn`. */
  log?: (line: string) => void
  /**
   * Receive Socialboards webhooks at `{basePath}/{path}` (default `webhooks`; the path may hold a
   * secret segment): the GET handshake answers the `challenge` when `verifyToken` matches, and each
   * POSTed event becomes a hint on the browsers' event streams. Events are unsigned, so they are
   * only hints to refetch through this handler, never content passed on.
   */
  webhook?: { verifyToken: string; path?: string }
  /** Where hints are fanned out. Default: this process's memory. Behind several instances, `createRedisEventBus` (`socialboards-chat-react/server/redis`). */
  events?: EventBus
  /** The event streams (`GET {basePath}/chat/conversations/{id}/events`). */
  stream?: {
    /** Milliseconds between heartbeat comments. Default 20000. */
    heartbeatMs?: number
    /** The reconnect delay suggested to browsers, in milliseconds. Default 3000. */
    retryMs?: number
    /** Streams one visitor may hold open at once (in this process). Default 5. */
    perVisitor?: number
    /** Bytes a stream may have waiting for a slow reader before it is dropped. Default 65536. */
    bufferBytes?: number
  }
}

const DAY = 24 * 60 * 60
const trimSlashes = (path: string) => path.replace(/^\/+|\/+$/g, '')

/** `origin` as `scheme://host[:port]`, or `undefined` when it is not an http(s) origin. */
export function normalOrigin(value: string): string | undefined {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined
  } catch {
    return undefined
  }
}

/** Problems with the options, naming the option and never its value. */
export function optionProblems(options: ChatHandlerOptions | undefined): string[] {
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
  if (options?.origin !== undefined && !normalOrigin(options.origin))
    problems.push('origin must be an http(s) origin such as "https://shop.example.com"')
  for (const origin of options?.allowedOrigins ?? [])
    if (!normalOrigin(origin)) problems.push('allowedOrigins must hold http(s) origins')
  for (const [name, value] of Object.entries(options?.paths ?? {}))
    if (!value || !/^(GET|POST|PATCH|PUT|DELETE)$/.test(value.method) || typeof value.path !== 'string')
      problems.push(`paths.${name} must be { method, path }`)
  return problems
}

/** The options with every default filled in: what the guards read. */
export interface Config {
  options: ChatHandlerOptions
  apiBaseURL: string
  basePath: string
  /** Everything a cookie is bound to besides the secret: this deployment's path and upstream account. */
  deployment: string
  cookieName: string
  maxAge: number
  secure: boolean
  sameSite: 'lax' | 'strict' | 'none'
  bodyBytes: number
  perMinute: number
  createsPerMinute: number
  addressPerMinute: number
  upstreamTimeout: number
  upstreamBytes: number
  messagesPerRequest: number
  keep: number
  origins: string[] | undefined
  allowedOrigins: string[]
  trustProxy: boolean
  webhookPath: string | null
  heartbeatMs: number
  retryMs: number
  streamsPerVisitor: number
  streamBufferBytes: number
  paths: ChatHandlerPaths
  log: (line: string) => void
  now: () => number
}

/** Fills in defaults; call {@link optionProblems} first. */
export function resolveConfig(options: ChatHandlerOptions, now: () => number = Date.now): Config {
  const basePath = `/${trimSlashes(options.basePath ?? '/api/chat')}`
  const apiBaseURL = options.apiBaseURL.replace(/\/*$/, '/')
  const limits = options.limits ?? {}
  return {
    options,
    apiBaseURL,
    basePath,
    deployment: `${basePath}\n${apiBaseURL}\n${options.clientId ?? ''}`,
    cookieName: options.cookie?.name ?? 'sb_chat',
    maxAge: options.cookie?.maxAge ?? 30 * DAY,
    secure: options.cookie?.secure ?? true,
    sameSite: options.cookie?.sameSite ?? 'lax',
    bodyBytes: limits.bodyBytes ?? 64 * 1024,
    perMinute: limits.requestsPerMinute ?? 120,
    createsPerMinute: limits.createsPerMinute ?? 10,
    addressPerMinute: limits.addressRequestsPerMinute ?? 600,
    upstreamTimeout: limits.upstreamTimeout ?? 15_000,
    upstreamBytes: limits.upstreamBytes ?? 1024 * 1024,
    messagesPerRequest: limits.messagesPerRequest ?? 20,
    keep: limits.conversationsPerVisitor ?? 20,
    origins: options.origin === undefined ? undefined : [normalOrigin(options.origin) as string],
    allowedOrigins: (options.allowedOrigins ?? []).map((origin) => normalOrigin(origin) as string),
    trustProxy: options.trustProxy === true,
    webhookPath: options.webhook ? `${basePath}/${trimSlashes(options.webhook.path ?? 'webhooks')}` : null,
    heartbeatMs: options.stream?.heartbeatMs ?? 20_000,
    retryMs: options.stream?.retryMs ?? 3000,
    streamsPerVisitor: options.stream?.perVisitor ?? 5,
    streamBufferBytes: options.stream?.bufferBytes ?? 64 * 1024,
    paths: options.paths ?? {},
    log: options.log ?? ((line) => console.warn(line)),
    now,
  }
}
