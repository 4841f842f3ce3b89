// The handler's steps, each small and alone: route, site, address budget, visitor, budgets, body, idempotency, human, policy.

import { ENDPOINTS, type Endpoint } from '../../core/endpoints'
import type { ValidationIssue } from '../../core/errors'
import type { EndpointPath } from '../../core/http'
import type { UserValue } from '../../core/types'
import { describeIssues } from '../../core/validate'
import { identityDigest, readCookie, type VisitorState } from '../cookie'
import type { ConversationIndex, IdempotencyStore, RateLimiter, StoredResponse } from '../stores'
import type { Guard, ProxyContext } from './context'
import { bodyRefusal, clientAddressOf, fromThisSite, knownText, plainHttpElsewhere, readBody, refusal } from './http'
import type { Config } from './options'
import { type EndpointName, READ_QUERY, VISITOR_POLICY } from './policy'
import type { Upstream } from './upstream'

/** What the guards need besides the request. */
export interface GuardDeps {
  config: Config
  verifyCookie: (value: string | undefined) => Promise<VisitorState | null>
  limiter: RateLimiter
  idempotency: IdempotencyStore
  /** Which conversations each signed-in identity started (its history, on any browser). */
  conversations: ConversationIndex
  upstream: Upstream
  /** Logs `line` the first time `key` is seen. */
  warnOnce: (key: string, line: string) => void
}

/** Methods the handler knows; others get 501. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
const READ_METHODS = new Set(['GET', 'HEAD'])

/** One way a browser path reaches an endpoint. */
interface RouteEntry {
  endpoint: Endpoint
  method: string
  before: string
  after: string | undefined
  upstream: EndpointPath
}

/** Browser paths → endpoints: each endpoint at its default path and, when `paths` moves it upstream, at that path too. */
export function routeTable(config: Config): RouteEntry[] {
  const entries: RouteEntry[] = []
  for (const endpoint of ENDPOINTS as readonly Endpoint[]) {
    const moved = config.paths[endpoint.name as keyof Config['paths']]
    const upstream = moved ?? { method: endpoint.method, path: endpoint.path }
    const add = (method: string, path: string) => {
      const [before, after] = path.split('{id}')
      entries.push({ endpoint, method, before: before as string, after, upstream })
    }
    add(endpoint.method, endpoint.path)
    if (moved && (moved.method !== endpoint.method || moved.path !== endpoint.path)) add(moved.method, moved.path)
  }
  return entries
}

const EVENTS = /^chat\/conversations\/([^/]+)\/events$/
const ID = /^[1-9]\d{0,14}$/

/** Finds where the request goes: 404 for unknown paths, 405 for a known path's other methods, 501 for unknown methods. */
export function routeGuard(config: Config): Guard {
  const table = routeTable(config)
  return (context) => {
    const { method } = context
    if (!KNOWN_METHODS.has(method)) return refusal(501, 'Method not implemented')
    const { pathname } = context.url
    if (config.webhookPath && pathname === config.webhookPath) {
      if (method !== 'GET' && method !== 'POST') return refusal(405, 'Method not allowed', { allow: 'GET, POST' })
      context.route = { kind: 'webhook' }
      return undefined
    }
    if (!pathname.startsWith(`${config.basePath}/`)) return refusal(404, 'Not found')
    const path = pathname.slice(config.basePath.length + 1)
    context.path = path
    if (path === 'visitor' || path === 'visitor/conversations') {
      const wanted = path === 'visitor' ? 'DELETE' : 'GET'
      if (method !== wanted && !(wanted === 'GET' && method === 'HEAD'))
        return refusal(405, 'Method not allowed', { allow: wanted })
      context.route = { kind: path === 'visitor' ? 'sign-out' : 'history' }
      return undefined
    }
    const stream = EVENTS.exec(path)
    if (stream) {
      if (!READ_METHODS.has(method)) return refusal(405, 'Method not allowed', { allow: 'GET' })
      if (!ID.test(stream[1] as string)) return refusal(403, 'This conversation is not yours')
      context.route = { kind: 'events', id: Number(stream[1]) }
      return undefined
    }
    const found: { entry: RouteEntry; id: string | undefined }[] = []
    for (const entry of table) {
      if (entry.after === undefined) {
        if (path === entry.before) found.push({ entry, id: undefined })
      } else if (path.startsWith(entry.before) && path.endsWith(entry.after)) {
        const id = path.slice(entry.before.length, path.length - entry.after.length)
        if (id && !id.includes('/')) found.push({ entry, id })
      }
    }
    if (!found.length) return refusal(404, 'Not found')
    const match = found.find(({ entry }) => entry.method === method || (method === 'HEAD' && entry.method === 'GET'))
    if (!match) {
      const allow = [...new Set(found.map(({ entry }) => entry.method))].join(', ')
      const unconfirmed = found.find(({ entry }) => entry.endpoint.status === 'unconfirmed')
      const hint = unconfirmed
        ? `: this path is not in the public API reference; set paths.${unconfirmed.entry.endpoint.name} in the createChatHandler options to your account's method and path`
        : ''
      return refusal(405, `Method not allowed${hint}`, { allow })
    }
    const { entry, id } = match
    if (VISITOR_POLICY[entry.endpoint.name as EndpointName] === 'refused')
      return refusal(403, 'This operation is not available to visitors')
    if (id !== undefined && !ID.test(id)) return refusal(403, 'This conversation is not yours')
    context.route = {
      kind: 'endpoint',
      endpoint: entry.endpoint,
      id: id === undefined ? undefined : Number(id),
      upstream: {
        method: entry.upstream.method,
        path: id === undefined ? entry.upstream.path : entry.upstream.path.replace('{id}', id),
      },
    }
    return undefined
  }
}

/** Writes come from this site only (see `fromThisSite`); reads are left to the browser's same-origin rules. */
export function siteGuard(config: Config): Guard {
  return (context) =>
    READ_METHODS.has(context.method) || fromThisSite(config, context.request, context.url)
      ? undefined
      : refusal(403, 'Cross-site requests are refused')
}

/** `Retry-After` seconds from a verdict. */
const tooMany = (retryAfter: number, what = 'Too many requests') =>
  refusal(429, what, { 'retry-after': String(Math.max(1, Math.ceil(retryAfter))) })

/** Every request, refused ones too, counts against its client address's budget. */
export function addressGuard(deps: GuardDeps): Guard {
  return async (context) => {
    context.address = clientAddressOf(deps.config, context.request, context.info)
    if (context.address === undefined)
      deps.warnOnce(
        'no-address',
        'createChatHandler: requests carry no client address, so all clients share one budget; pass clientAddress(request) (or trustProxy behind your own proxy)',
      )
    const verdict = await deps.limiter.hit(
      `address:${context.address ?? 'unknown'}`,
      deps.config.addressPerMinute,
      60_000,
    )
    return verdict.allowed ? undefined : tooMany(verdict.retryAfter)
  }
}

/**
 * Who the visitor is: the signed-in user (`resolveVisitor`), and the cookie's state when it is ours,
 * fresh and minted for that same identity. A request for a conversation the cookie does not list
 * is refused before any upstream call.
 */
export function visitorGuard(deps: GuardDeps): Guard {
  const { config } = deps
  return async (context) => {
    const resolved = config.options.resolveVisitor ? await config.options.resolveVisitor(context.request) : undefined
    context.identity = resolved ? { ...resolved, isBot: false } : null
    const raw = readCookie(context.request.headers.get('cookie'), config.cookieName)
    let state = await deps.verifyCookie(raw)
    const digest = context.identity ? await identityDigest(context.identity) : ''
    context.identityDigest = digest
    // Minted while someone else (or no one) was signed in: it grants this person nothing.
    if (state && (state.identity ?? '') !== digest) state = null
    context.state = state
    const route = context.route
    const id = route?.kind === 'events' || route?.kind === 'endpoint' ? route.id : undefined
    if (id === undefined || state?.conversations.includes(id)) return undefined
    // A signed-in visitor's own conversations follow them to any browser.
    if (digest && (await deps.conversations.list(digest, 50)).includes(id)) return undefined
    if (raw === undefined && config.secure && plainHttpElsewhere(context.request, context.url)) {
      deps.warnOnce(
        'secure-cookie',
        'createChatHandler: a request over plain http came without the visitor cookie: it is Secure (cookie.secure), so browsers send it back over https (or to localhost) only. Use https, or set cookie: { secure: false } for plain-http development',
      )
      return refusal(
        403,
        'This conversation is not yours: the visitor cookie did not come back (it is Secure and this page is plain http; see cookie.secure)',
      )
    }
    return refusal(403, 'This conversation is not yours')
  }
}

/** Budgets: creates per client address (small), everything else per visitor (event-stream opens too). */
export function budgetGuard(deps: GuardDeps): Guard {
  const { config } = deps
  return async (context) => {
    const route = context.route
    if (route?.kind === 'endpoint' && route.endpoint.name === 'createConversation') {
      const verdict = await deps.limiter.hit(`create:${context.address ?? 'unknown'}`, config.createsPerMinute, 60_000)
      if (!verdict.allowed) return tooMany(verdict.retryAfter, 'Too many new conversations from this address')
    }
    // A signed-in visitor on a browser without the cookie is counted as that identity.
    const visitor =
      context.state?.visitor ?? (context.identityDigest ? `identity:${context.identityDigest}` : undefined)
    if (visitor) {
      const verdict = await deps.limiter.hit(`visitor:${visitor}`, config.perMinute, 60_000)
      if (!verdict.allowed) return tooMany(verdict.retryAfter)
    }
    return undefined
  }
}

/** Reads a write's JSON body under the size and time caps; refuses other types before reading a byte. */
export function bodyGuard(config: Config): Guard {
  return async (context) => {
    if (READ_METHODS.has(context.method)) return undefined
    const type = context.request.headers.get('content-type')
    const length = context.request.headers.get('content-length')
    const empty = length === '0' || (!context.request.body && length === null)
    if (!empty && !/^application\/json\s*(;|$)/i.test(type ?? ''))
      return refusal(415, 'Only JSON bodies are accepted', { connection: 'close' })
    const read = await readBody(context.request, config.bodyBytes, config.upstreamTimeout)
    if ('failure' in read) return bodyRefusal(read.failure, config.bodyBytes)
    context.bodyText = read.text
    if (read.text !== '') {
      try {
        context.body = JSON.parse(read.text)
      } catch {
        return refusal(400, 'The body is not valid JSON')
      }
    }
    return undefined
  }
}

/** How long an idempotency key's answer is kept. */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000
const KEY = /^[\u0021-\u007e]{1,255}$/
/** Endpoints whose writes take an `Idempotency-Key`. */
const KEYED = new Set(['createConversation', 'addMessages'])

/** A SHA-256 digest of what a key promises: the write's method, path and body. */
async function fingerprintOf(context: ProxyContext): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`${context.method} ${context.path}\n${context.bodyText ?? ''}`),
  )
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Extra state the idempotency step leaves for the end of the request. */
export interface IdempotencyClaim {
  key: string
  fingerprint: string
}

/**
 * `Idempotency-Key` on creates and add-messages: the first request with a key claims it; a repeat
 * waits for that one's answer and gets it again; a key reused with another body gets 422. Keys
 * are per visitor (per browser cookie), except a create's: its answer, with the cookie, may be
 * what was lost, so it is keyed by the key alone (a random UUID only that browser knows).
 */
export function idempotencyGuard(deps: GuardDeps, claims: WeakMap<ProxyContext, IdempotencyClaim>): Guard {
  return async (context) => {
    const route = context.route
    const given = context.request.headers.get('idempotency-key')
    if (given === null || route?.kind !== 'endpoint' || !KEYED.has(route.endpoint.name)) return undefined
    if (!KEY.test(given)) return refusal(400, 'Idempotency-Key must be 1 to 255 visible ASCII characters')
    // A create's key stands alone (its answer, with the cookie, may be what was lost); others are the visitor's.
    const key = route.endpoint.name === 'createConversation' ? `create:${given}` : `${context.state?.visitor}:${given}`
    const fingerprint = await fingerprintOf(context)
    const deadline = deps.config.now() + deps.config.upstreamTimeout
    let record = await deps.idempotency.claim(key, fingerprint, IDEMPOTENCY_TTL_MS)
    for (
      let wait = 20;
      record?.state === 'pending' && record.fingerprint === fingerprint;
      wait = Math.min(wait * 2, 250)
    ) {
      if (deps.config.now() >= deadline)
        return refusal(409, 'A request with this Idempotency-Key is still in progress', { 'retry-after': '1' })
      await new Promise((resolve) => setTimeout(resolve, wait))
      record = await deps.idempotency.get(key)
      // Released by its first request (it never reached the Chat API): this one may go now.
      if (!record) record = await deps.idempotency.claim(key, fingerprint, IDEMPOTENCY_TTL_MS)
    }
    if (record && record.fingerprint !== fingerprint)
      return refusal(422, 'This Idempotency-Key was used with another request')
    if (record?.state === 'done') {
      context.replayed = record.response
      return undefined
    }
    claims.set(context, { key, fingerprint })
    return undefined
  }
}

/** `verifyHuman` before every anonymous create. */
export function humanGuard(config: Config): Guard {
  const verify = config.options.verifyHuman
  return async (context) => {
    const route = context.route
    if (!verify || context.identity || context.replayed || route?.kind !== 'endpoint') return undefined
    if (route.endpoint.name !== 'createConversation') return undefined
    let human = false
    try {
      human = (await verify(context.request)) === true
    } catch {
      human = false
    }
    return human ? undefined : refusal(403, 'Human verification failed')
  }
}

/** The visitor as author: the signed-in user, or the cookie's anonymous visitor. */
export function authorOf(context: ProxyContext, state: VisitorState): UserValue {
  return context.identity ?? { ...state.author, customIdentifier: state.customIdentifier }
}

/** Turns a query string into typed values; `undefined` values for what does not parse. */
function readQuery(url: URL, allowed: Record<string, 'boolean' | 'integer' | 'string'>) {
  const query: Record<string, unknown> = {}
  const send = new URLSearchParams()
  for (const [name, value] of url.searchParams) {
    const type = allowed[name]
    if (!type) continue
    query[name] =
      type === 'integer'
        ? /^\d{1,15}$/.test(value)
          ? Number(value)
          : value
        : type === 'boolean'
          ? value === 'true'
            ? true
            : value === 'false'
              ? false
              : value
          : value
    send.append(name, value)
  }
  return { query, search: send.size ? `?${send}` : '' }
}

/**
 * The endpoint's visitor policy and the client's own input checks: what goes upstream, or 400.
 * Leaves the search string to send in `context.search`.
 */
export function policyGuard(deps: GuardDeps): Guard {
  return async (context) => {
    const route = context.route
    if (route?.kind !== 'endpoint' || context.replayed) return undefined
    const { endpoint } = route
    const name = endpoint.name as EndpointName
    const { query, search } = readQuery(context.url, READ_QUERY[name] ?? {})
    context.search = search
    if (endpoint.checkQuery) {
      const issues = endpoint.checkQuery(query)
      if (issues.length) return refusal(400, `Invalid input: ${describeIssues(issues)}`)
    }
    const policy = VISITOR_POLICY[name]
    if (policy === 'refused') return refusal(403, 'This operation is not available to visitors')
    const verdict = await policy({
      body: context.body,
      visitor: authorOf(context, context.visitorState as VisitorState),
      id: route.id,
      now: deps.config.now(),
      messagesPerRequest: deps.config.messagesPerRequest,
      upstream: deps.upstream,
    })
    if ('refused' in verdict) return refusal(...verdict.refused)
    context.upstreamBody = verdict.body
    if (endpoint.checkBody && !READ_METHODS.has(context.method)) {
      const issues: ValidationIssue[] = endpoint.checkBody(verdict.body, deps.config.now())
      if (issues.length) return refusal(400, `Invalid input: ${describeIssues(issues)}`)
    }
    return undefined
  }
}

/** The answer as kept for an idempotent replay: status, body and the headers that matter. */
export async function toStored(response: Response): Promise<StoredResponse> {
  const headers: Record<string, string> = {}
  for (const name of ['content-type', 'cache-control', 'x-content-type-options', 'retry-after']) {
    const value = response.headers.get(name)
    if (value) headers[name] = value
  }
  return { status: response.status, headers, body: knownText(response) ?? (await response.clone().text()) }
}
