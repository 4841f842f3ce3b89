// A stateful in-memory Chat API: msw handlers over one handle(Request) function, faults and a scripted agent.
import { delay, type HttpHandler, HttpResponse, http } from 'msw'
import { type EndpointName, matchEndpoints } from '../core/endpoints'
import type { ValidationIssue } from '../core/errors'
import type { Conversation, User } from '../core/types'
import { checkId, describeIssues } from '../core/validate'
import { createStore, type MockAgentScript, type MockEvent, MockRefusal } from './store'

export { MOCK_AGENT, MOCK_BOT, MOCK_MINUTES_PER_QUEUE_PLACE, type MockAgentScript, type MockEvent } from './store'

/** Base URL the mock answers on by default. The `.test` domain never reaches a real host. */
export const MOCK_BASE_URL = 'https://chat.mock.socialboards.test/api/'

/** Access token the mock accepts by default. */
export const MOCK_ACCESS_TOKEN = 'mock-access-token'

/**
 * The mock's own `errorCode` values. The reference documents no error codes besides `-1`
 * (success), so these are the mock's choice, not Socialboards'.
 */
export const MOCK_ERROR_CODES = {
  /** The body broke a documented rule (answered on HTTP 200). */
  validation: 1000,
  /** Missing or wrong bearer token (answered on HTTP 401). */
  unauthorized: 1001,
  /** No such conversation (answered on HTTP 404). */
  notFound: 1002,
  /** A message sent to a closed conversation (answered on HTTP 200; the real behaviour is not documented). */
  closed: 1003,
} as const

/** A fault the mock applies to the next request that matches, instead of (or after) its answer. */
export type MockFault = (
  | { type: 'status'; status: number; body?: unknown }
  | { type: 'html'; status?: number }
  | { type: 'empty'; status?: number }
  | { type: 'truncated'; status?: number }
  | { type: 'not-envelope'; status?: number }
  | { type: 'envelope'; errorCode: number; errorText?: string | null; data?: unknown; status?: number }
  | { type: 'network' }
  | { type: 'delay'; ms: number }
) & {
  /** Only requests with this method and path (relative to the base URL, e.g. `chat/conversations`). */
  match?: { method?: string; path?: string | RegExp }
  /**
   * Apply the fault after the request has been processed (its changes kept), as when a connection
   * drops on the way back. Default `false`: the request is refused before it changes anything.
   */
  after?: boolean
}

/** One request that reached the mock (the `Authorization` header is not kept). */
export interface MockRequest {
  method: string
  path: string
  query: Record<string, string>
  body: unknown
}

/** Options of {@link createMockChatApi}. */
export interface MockChatApiOptions {
  /** Default {@link MOCK_BASE_URL}. Use the same value as the client's `baseURL`. */
  baseURL?: string
  /**
   * The one bearer token the mock accepts; any other (or none) gets HTTP 401. `null` turns the
   * check off. Default {@link MOCK_ACCESS_TOKEN}.
   */
  accessToken?: string | null
  /** Milliseconds before each answer: a number, or a `[min, max]` range. Default `0`. */
  latency?: number | [number, number]
  /** The mock's clock. Default `() => new Date()`. */
  now?: () => Date
  /**
   * A scripted agent for demos: every `queueStepMs` it takes the first waiting conversation (which
   * goes to position -1 with a greeting) and those behind move up; it answers each client message
   * after a delay; with `isBotEnabled` the bot answers until a human takes over. Default `false`:
   * nothing happens on its own, for deterministic tests. With or without it, a conversation that
   * closes (or that an agent takes) moves every one behind it up a place.
   */
  agent?: MockAgentScript | false
  /**
   * Told of every change as a Socialboards webhook would tell it (a conversation created, a message
   * added, the takeover changed, a conversation closed): for demos of realtime. Scripted agent
   * events happen when the mock is next called, or on `runAgent()`.
   */
  onEvent?: (event: MockEvent) => void
  /**
   * Keeps the mock's conversations and users in this storage (`sessionStorage`, say) under `key`,
   * saved after every request and read back when the mock is created: a demo in a browser resumes
   * its chats after a real reload (F5), as a real server would. Default: memory only.
   */
  persist?: { storage: Pick<Storage, 'getItem' | 'setItem'>; key?: string }
}

/** A stateful, in-memory Chat API as msw request handlers. */
export interface MockChatApi {
  /** msw handlers: pass them to `setupServer(...)`, `setupWorker(...)` or `server.use(...)`. */
  readonly handlers: HttpHandler[]
  /**
   * Answers one Web `Request` (whose path starts with the base URL's path) as the API would,
   * without msw: for a server of your own, an edge function, or `createMockChatServer`.
   * A `network` fault answers `Response.error()`.
   */
  handle(request: Request): Promise<Response>
  /** The base URL it answers on, with a trailing slash. */
  readonly baseURL: string
  /** Every request that reached the mock, oldest first. */
  readonly requests: MockRequest[]
  /** Copies of the conversations the mock holds (with all their messages), oldest first. */
  conversations(): Conversation[]
  /** Copies of the users the mock knows. */
  users(): User[]
  /** Queues a fault for the next matching request. Faults apply in the order they were queued. */
  inject(fault: MockFault): void
  /** Changes the accepted token (`null`: accept any), e.g. to simulate an expired one. */
  setAccessToken(token: string | null): void
  /** Changes the delay before each answer (milliseconds, or a `[min, max]` range). */
  setLatency(latency: number | [number, number]): void
  /**
   * Runs the scripted agent now instead of waiting for its clock: applies the next `count` waiting
   * events across all conversations (the agent taking the first waiting one, replies), earliest
   * first; all of them by default, so every waiting conversation is taken.
   * Returns how many were applied. Replies are scheduled when a client message arrives, so wait
   * for the message to reach the mock first.
   */
  runAgent(count?: number): number
  /** `true`: the scripted agent acts only through {@link MockChatApi.runAgent}, never with time. */
  setAgentManual(manual: boolean): void
  /** Forgets every conversation, user, request and fault; restores the token and latency it was created with. */
  reset(): void
}

const envelope = (data: unknown, errorCode = -1, errorText: string | null = null) => ({ data, errorCode, errorText })
const orderOf = (query: Record<string, string>) => query.orderBy ?? query.orderyBy
const numberOf = (value: string | undefined) => (value === undefined ? undefined : Number(value))
const notFound = () => new HttpResponse('Not Found', { status: 404, headers: { 'content-type': 'text/plain' } })
const notAllowed = () =>
  new HttpResponse('Method Not Allowed', { status: 405, headers: { 'content-type': 'text/plain' } })

const matches = (fault: MockFault, method: string, path: string) => {
  const { match } = fault
  if (!match) return true
  if (match.method && match.method.toUpperCase() !== method) return false
  if (match.path === undefined) return true
  return typeof match.path === 'string' ? match.path === path : match.path.test(path)
}

async function faultResponse(fault: MockFault): Promise<Response | undefined> {
  switch (fault.type) {
    case 'network':
      return HttpResponse.error()
    case 'delay':
      await delay(fault.ms)
      return undefined
    case 'status':
      return typeof fault.body === 'string' || fault.body === undefined
        ? new HttpResponse(fault.body ?? null, { status: fault.status })
        : HttpResponse.json(fault.body, { status: fault.status })
    case 'html':
      return HttpResponse.html('<!doctype html><title>Bad Gateway</title><h1>Bad Gateway</h1>', {
        status: fault.status ?? 200,
      })
    case 'empty':
      return new HttpResponse(null, { status: fault.status ?? 200, headers: { 'content-type': 'application/json' } })
    case 'truncated':
      return new HttpResponse('{"data":{"id":254626,"author":{"na', {
        status: fault.status ?? 200,
        headers: { 'content-type': 'application/json' },
      })
    case 'not-envelope':
      return HttpResponse.json({ id: 254626, ok: true }, { status: fault.status ?? 200 })
    case 'envelope':
      return HttpResponse.json(envelope(fault.data ?? null, fault.errorCode, fault.errorText ?? null), {
        status: fault.status ?? 200,
      })
  }
}

/**
 * Creates a stateful mock of the Chat API for tests, Storybook and demos.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node'
 * import { createMockChatApi, MOCK_BASE_URL, MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
 *
 * const api = createMockChatApi()
 * const server = setupServer(...api.handlers)
 * // createChatClient({ baseURL: MOCK_BASE_URL, accessToken: MOCK_ACCESS_TOKEN })
 * ```
 */
export function createMockChatApi(options: MockChatApiOptions = {}): MockChatApi {
  const baseURL = (options.baseURL ?? MOCK_BASE_URL).replace(/\/*$/, '/')
  const basePath = new URL(baseURL, 'http://localhost').pathname
  const now = options.now ?? (() => new Date())
  const initialToken = options.accessToken === undefined ? MOCK_ACCESS_TOKEN : options.accessToken
  let accessToken = initialToken
  let latency = options.latency ?? 0
  const agent = options.agent ?? false
  let store = createStore(now, agent, options.onEvent)
  const persist = options.persist
  const persistKey = persist?.key ?? 'socialboards-chat-react:mock'
  if (persist) {
    try {
      const saved = persist.storage.getItem(persistKey)
      if (saved) store.restore(JSON.parse(saved))
    } catch {
      // Unreadable: start empty, as a fresh server would.
    }
  }
  const save = () => {
    try {
      persist?.storage.setItem(persistKey, JSON.stringify(store.save()))
    } catch {
      // Full or blocked storage: the mock goes on in memory.
    }
  }
  let faults: MockFault[] = []
  const requests: MockRequest[] = []

  const takeFault = (method: string, path: string) => {
    const index = faults.findIndex((fault) => matches(fault, method, path))
    return index === -1 ? undefined : faults.splice(index, 1)[0]
  }

  const wait = () => {
    const ms = Array.isArray(latency) ? latency[0] + Math.random() * (latency[1] - latency[0]) : latency
    return ms > 0 ? delay(ms) : undefined
  }

  const refuse = (issues: ValidationIssue[]) =>
    HttpResponse.json(envelope(null, MOCK_ERROR_CODES.validation, describeIssues(issues)))
  const ok = (data: unknown) => HttpResponse.json(envelope(data))

  /** Routes by the endpoint table: the library's default paths, and the endpoints' own checks. */
  function route(method: string, path: string, body: unknown, query: Record<string, string>): Response {
    const matches = matchEndpoints(path)
    if (!matches.length) return notFound()
    const match = matches.find((candidate) => candidate.endpoint.method === method)
    if (!match) return notAllowed()
    const { endpoint } = match
    const id = Number(match.id)
    if (match.id !== undefined) {
      const idIssues: ValidationIssue[] = []
      checkId(idIssues, id)
      if (idIssues.length || !/^\d+$/.test(match.id)) return notFound()
    }
    const options = {
      ...query,
      orderBy: orderOf(query),
      skip: numberOf(query.skip),
      take: numberOf(query.take),
      includeMessages: query.includeMessages === undefined ? undefined : query.includeMessages === 'true',
    }
    const issues = [...(endpoint.checkQuery?.(options) ?? []), ...(endpoint.checkBody?.(body, now().getTime()) ?? [])]
    if (issues.length) return refuse(issues)
    return ok(
      (store[endpoint.name as EndpointName] as (id: number, body: unknown, query: Record<string, string>) => unknown)(
        id,
        body,
        query,
      ),
    )
  }

  /** Answers one request as the Chat API would: what the msw handlers and `createMockChatServer` call. */
  async function handle(request: Request): Promise<Response> {
    try {
      return await answer(request)
    } finally {
      if (persist) save()
    }
  }

  async function answer(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const method = request.method.toUpperCase()
    const path = url.pathname.slice(basePath.length)
    const text = await request.text()
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = text
    }
    requests.push({ method, path, query: Object.fromEntries(url.searchParams), body })

    await wait()
    const fault = takeFault(method, path)
    if (fault && !fault.after) {
      const response = await faultResponse(fault)
      if (response) return response
    }
    if (accessToken !== null && request.headers.get('authorization') !== `Bearer ${accessToken}`) {
      return HttpResponse.json(envelope(null, MOCK_ERROR_CODES.unauthorized, 'Missing or invalid access token'), {
        status: 401,
      })
    }
    let response: Response
    try {
      response = route(method, path, body, Object.fromEntries(url.searchParams))
    } catch (error) {
      if (!(error instanceof MockRefusal)) throw error
      response = HttpResponse.json(envelope(null, MOCK_ERROR_CODES[error.reason], error.message), {
        status: error.reason === 'notFound' ? 404 : 200,
      })
    }
    return (fault?.after && (await faultResponse(fault))) || response
  }

  return {
    handlers: [http.all(`${baseURL}*`, ({ request }) => handle(request))],
    handle,
    baseURL,
    requests,
    conversations: () => store.conversations(),
    users: () => store.users(),
    inject: (fault) => {
      faults.push(fault)
    },
    setAccessToken: (token) => {
      accessToken = token
    },
    setLatency: (value) => {
      latency = value
    },
    runAgent: (count) => {
      const applied = store.runAgent(count)
      if (persist) save()
      return applied
    },
    setAgentManual: (manual) => store.setAgentManual(manual),
    reset: () => {
      store = createStore(now, agent, options.onEvent)
      faults = []
      requests.length = 0
      accessToken = initialToken
      latency = options.latency ?? 0
      if (persist) save()
    },
  }
}
