// The server half inside the page: `createChatHandler` behind msw at /api/chat, in front of the stateful mock Chat
// API (which msw answers too). Nothing runs on the dev server, so the static Storybook build plays these stories too.
import { type HttpHandler, http } from 'msw'
import {
  createMockChatApi,
  MOCK_ACCESS_TOKEN,
  type MockAgentScript,
  type MockChatApi,
} from 'socialboards-chat-react/mock'
import { createChatHandler, createMemoryEventBus, hintOf } from 'socialboards-chat-react/server'

/** Where the page's widget finds the server half: `<ChatApiProvider baseURL="/api/chat/">`. */
export const SERVER_BASE_PATH = '/api/chat'

/** "The Chat API" the handler talks to: the story's mock, which msw answers like any other host. */
const UPSTREAM_BASE_URL = 'https://upstream.chat.mock.socialboards.test/api/'

export interface InPageChatServerOptions {
  /** The mock's latency, in milliseconds. */
  latency: number
  /** The mock's scripted agent. */
  agent: MockAgentScript | false
}

export interface InPageChatServer {
  /** msw handlers: the server half at /api/chat, and the mock Chat API behind it. */
  readonly handlers: HttpHandler[]
  /** The mock behind the handler (the conversations it holds, faults, `runAgent`). */
  readonly api: MockChatApi
  /** Stops the mock's clock and the event bus, and gives the page its own `Response` back. */
  close(): void
}

// Browsers drop `Set-Cookie` from every Response a page builds (a forbidden response header), so the
// handler, running here in the page, would lose its cookie on the way out. While an in-page server is
// up, `Response` is this subclass: it behaves as the browser's, and keeps what `Set-Cookie` the handler
// put in its init aside for the msw handler below. `instanceof Response` still holds for every response.
const setCookies = new WeakMap<Response, string[]>()
const BrowserResponse = globalThis.Response
class ServerResponse extends BrowserResponse {
  static override [Symbol.hasInstance](value: unknown) {
    return value instanceof BrowserResponse
  }
  constructor(body?: BodyInit | null, init?: ResponseInit) {
    super(body, init)
    // A Headers object of its own (no guard) keeps `Set-Cookie`; the response's own headers do not.
    const cookies = init?.headers === undefined ? [] : new Headers(init.headers).getSetCookie()
    if (cookies.length) setCookies.set(this, cookies)
  }
}
let serversUp = 0

/** The cookies the handler set, as `name=value` by name; `Max-Age=0` (or less) forgets one. */
function keep(jar: Map<string, string>, setCookie: string) {
  const [pair = '', ...attributes] = setCookie.split(';')
  const index = pair.indexOf('=')
  if (index <= 0) return
  const name = pair.slice(0, index).trim()
  const expired = attributes.some((attribute) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(attribute))
  if (expired) jar.delete(name)
  else jar.set(name, pair.slice(index + 1).trim())
}

/**
 * The server half of the secure deployment, run inside this page: what `npm run example` serves from Node, here
 * behind msw so a static Storybook build needs no server. The mock tells the handler's event bus of every change, as
 * Socialboards' webhooks would, so the handler's event streams push replies (realtime).
 */
export function createInPageChatServer({ latency, agent }: InPageChatServerOptions): InPageChatServer {
  const events = createMemoryEventBus()
  const api = createMockChatApi({
    baseURL: UPSTREAM_BASE_URL,
    latency,
    agent,
    onEvent: (event) => {
      const hint = hintOf(event)
      if (hint) void events.publish(hint)
    },
  })
  // Reading every conversation applies the scripted agent's due events, so it acts (and tells the bus) unread.
  const ticker = agent ? setInterval(() => api.conversations(), 200) : undefined
  const handler = createChatHandler({
    apiBaseURL: UPSTREAM_BASE_URL,
    basePath: SERVER_BASE_PATH,
    // The mock's own token, server-side; a real deployment passes clientId and refreshToken.
    accessToken: () => MOCK_ACCESS_TOKEN,
    secret: 'demo-only-secret-never-use-this-one-in-production',
    cookie: { secure: false }, // the demo may be served over plain http
    // The stories poll every 300 ms (a real widget polls every few seconds).
    limits: { requestsPerMinute: 1_000 },
    events,
    // A browser's `fetch` throws "Illegal invocation" when called as another object's method, as the handler calls
    // its default (`globalThis.fetch`): this one calls it as a plain function. (msw answers it from the mock.)
    fetch: (input, init) => fetch(input, init),
  })

  // The visitor's cookies, kept in this page's memory: msw cannot set a real (httpOnly) cookie for the page, and the
  // browser does not hand one to msw either. So the Set-Cookie the handler answers with is kept here and added to
  // the later requests that would carry it (all but `credentials: 'omit'`), as the browser does with a real server.
  // No script on the page can read it (`document.cookie` never holds it), as with the real httpOnly cookie.
  const jar = new Map<string, string>()

  const serverHalf = http.all(`${SERVER_BASE_PATH}/*`, async ({ request }) => {
    // What the browser sends a real server, which the page's `Request` cannot hold (forbidden request headers):
    // the Host, the Origin of a write (same-origin, so the handler's Origin check passes), the cookie.
    const headers = new Headers(request.headers)
    headers.set('host', location.host)
    const write = request.method !== 'GET' && request.method !== 'HEAD'
    if (write) headers.set('origin', location.origin)
    if (request.credentials !== 'omit' && jar.size)
      headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '))
    const body = write ? await request.arrayBuffer() : undefined
    const forwarded = new Request(request.url, {
      method: request.method,
      body: body?.byteLength ? body : undefined,
      signal: request.signal,
    })
    Object.defineProperty(forwarded, 'headers', { value: headers })
    const response = await handler.fetch(forwarded, { clientAddress: '127.0.0.1' })
    for (const cookie of setCookies.get(response) ?? []) keep(jar, cookie)
    return response
  })

  if (serversUp++ === 0) globalThis.Response = ServerResponse
  let closed = false
  return {
    handlers: [serverHalf, ...api.handlers],
    api,
    close() {
      if (closed) return
      closed = true
      clearInterval(ticker)
      void events.close()
      if (--serversUp === 0) globalThis.Response = BrowserResponse
    },
  }
}
