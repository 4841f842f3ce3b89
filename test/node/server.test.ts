import { createServer, type Server } from 'node:http'
import { createChatClient } from 'socialboards-chat-react/core'
import { createMockChatServer, type MockChatServer } from 'socialboards-chat-react/mock/server'
import { type ChatHandlerOptions, createChatHandler, toNodeListener } from 'socialboards-chat-react/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { listenOn, type ReceivedRequest, startServer } from './http-server'

// The server half against real servers: the handler on node:http, the mock Chat API on a real
// port as the upstream, and a token endpoint of our own. Every secret carries a marker, so a
// leak anywhere is one search away.

const MARK = 'SECRET'
const REFRESH = `refresh-${MARK}-r1`
const CLIENT_ID = `client-${MARK}-c1`
const COOKIE_SECRET = `cookie-${MARK}-0123456789abcdef0123456789abcdef`
const minted = (n: number) => `minted-${n}-${MARK}`
const author = { name: 'Ada', email: 'ada@example.com' }

interface Setup {
  /** The token endpoint's base URL. */
  tokenBase: string
  mock: MockChatServer
  base: string
  tokenRequests: ReceivedRequest[]
  handler: ReturnType<typeof createChatHandler>
  /** Everything any visitor received: statuses, headers, bodies. */
  seen: string[]
}

let closers: (() => Promise<void>)[] = []
afterEach(async () => {
  vi.useRealTimers()
  for (const close of closers.reverse()) await close()
  closers = []
})

const listen = (server: Server) => listenOn(server, closers)

async function setup(
  options: Partial<ChatHandlerOptions> = {},
  tokens: { rotate?: boolean; status?: number } = {},
): Promise<Setup> {
  const mock = await createMockChatServer({ accessToken: minted(1) })
  closers.push(() => mock.close())
  const tokenRequests: ReceivedRequest[] = []
  const tokenServer = await startServer((request, res) => {
    tokenRequests.push(request)
    const n = tokenRequests.length
    if (tokens.status) {
      res.writeHead(tokens.status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: 'invalid_grant', refresh: REFRESH }))
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        access_token: minted(n),
        token_type: 'bearer',
        expires_in: 3599,
        refresh_token: tokens.rotate ? `rotated-${n}-${MARK}` : REFRESH,
      }),
    )
  })
  closers.push(() => tokenServer.close())
  const handler = createChatHandler({
    apiBaseURL: mock.baseURL,
    clientId: CLIENT_ID,
    refreshToken: REFRESH,
    tokenURL: `${tokenServer.baseURL}token`,
    secret: COOKIE_SECRET,
    cookie: { secure: false },
    ...options,
  })
  const port = await listen(createServer(toNodeListener(handler)))
  return {
    tokenBase: tokenServer.baseURL,
    mock,
    base: `http://127.0.0.1:${port}/api/chat/`,
    tokenRequests,
    handler,
    seen: [],
  }
}

/** A browser: its own cookie jar, and a record of all it received. */
function browser(setup: Setup) {
  let cookie = ''
  const record = async (response: Response) => {
    const text = await response.clone().text()
    setup.seen.push(`${response.status}\n${[...response.headers].map((h) => h.join(': ')).join('\n')}\n${text}`)
    const set = response.headers.getSetCookie()[0]
    if (set) cookie = set.split(';')[0] as string
    return response
  }
  const fetchWithCookies: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers)
    if (cookie) headers.set('cookie', cookie)
    return record(await fetch(input, { ...init, headers }))
  }
  return {
    client: createChatClient({ baseURL: setup.base, fetch: fetchWithCookies }),
    async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await fetchWithCookies(`${setup.base}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      })
      const text = await response.text()
      let parsed: unknown = text
      try {
        parsed = text ? JSON.parse(text) : undefined
      } catch {}
      return { status: response.status, headers: response.headers, body: parsed as { errorText?: string } }
    },
    get cookie() {
      return cookie
    },
    set cookie(value: string) {
      cookie = value
    },
  }
}

const upstreamCalls = (setup: Setup) => setup.mock.api.requests.length

describe('createChatHandler: a whole visit through the proxy', () => {
  it('serves the Chat API paths to the browser with no token, only a signed httpOnly cookie', async () => {
    const s = await setup()
    const ada = browser(s)
    const created = await ada.client.createConversation({ author, title: 'Parcel' })
    const setCookie = s.seen[0] as string
    expect(setCookie).toMatch(
      /set-cookie: sb_chat=[\w-]+\.[\w-]+; Path=\/api\/chat; HttpOnly; SameSite=Lax; Max-Age=2592000/,
    )
    await ada.client.addMessages(created.id, [{ message: 'Where is it?', author }])
    expect(await ada.client.getConversation(created.id)).toMatchObject({ id: created.id, totalMessagesCount: 1 })
    expect((await ada.client.listMessages(created.id)).map((m) => m.message)).toEqual(['Where is it?'])
    expect(await ada.client.getTakeover(created.id)).toEqual({ isAssignedToBot: false })
    await ada.client.updateFeedback(created.id, { isPositive: true, text: 'Quick' })
    await ada.client.updateLatestUrl(created.id, 'https://shop.example/cart')
    await ada.client.closeConversation(created.id)
    expect(s.mock.api.conversations()[0]).toMatchObject({ isClosed: true, feedback: { isPositive: true } })
    expect(s.tokenRequests).toHaveLength(1)
    const form = new URLSearchParams(s.tokenRequests[0]?.body)
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: REFRESH,
      client_id: CLIENT_ID,
    })
    expect(s.tokenRequests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded')
  })

  it('never shows a token, the refresh token or the client id to a browser, across every path and error', async () => {
    const s = await setup({ limits: { requestsPerMinute: 40, bodyBytes: 1000 } })
    const ada = browser(s)
    const bob = browser(s)
    const { id } = await ada.client.createConversation({ author })
    await ada.call('GET', `chat/conversations/${id}`)
    await ada.call('POST', `chat/conversations/${id}/messages`, [{ message: 'Hi', author }])
    await bob.call('GET', `chat/conversations/${id}`)
    await ada.call('POST', `chat/conversations/${id}/previousMessages`, [{ message: 'x', author }])
    await ada.call('POST', `chat/conversations/${id}/messages`, 'x'.repeat(5000))
    await ada.call('POST', `chat/conversations/${id}/messages`, '{not json')
    await ada.call('GET', 'chat/nowhere')
    await ada.call('DELETE', `chat/conversations/${id}`)
    s.mock.api.inject({ type: 'status', status: 500, body: 'upstream trouble' })
    await ada.call('GET', `chat/conversations/${id}`)
    // An upstream that echoes the token it was sent: the browser still never sees it.
    s.mock.api.inject({ type: 'status', status: 500, body: `trouble with Bearer ${minted(1)}` })
    await ada.call('GET', `chat/conversations/${id}`)
    s.mock.api.setAccessToken('never-minted')
    await ada.call('GET', `chat/conversations/${id}`) // refused twice upstream: 502
    for (let i = 0; i < 45; i++) await ada.call('GET', `chat/conversations/${id}`)
    const all = s.seen.join('\n')
    expect(s.seen.length).toBeGreaterThan(50)
    expect(all).not.toContain(MARK)
    expect(all).toMatch(/^429/m)
    expect(all).toMatch(/^502/m)
  })

  it('answers a fast 503 with Retry-After while the token endpoint fails, and asks again only after a back-off', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const s = await setup({ limits: { createsPerMinute: 100 } }, { status: 400 })
    const ada = browser(s)
    const failed = await ada.call('POST', 'chat/conversations', { author })
    expect(failed.status).toBe(503)
    expect(failed.body.errorText).toBe('The chat service is not available right now')
    expect(Number(failed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    // In the back-off: refused at once, the token endpoint left alone.
    for (let i = 0; i < 20; i++) expect((await ada.call('POST', 'chat/conversations', { author })).status).toBe(503)
    expect(s.tokenRequests).toHaveLength(1)
    vi.setSystemTime(Date.now() + 1001)
    await ada.call('POST', 'chat/conversations', { author })
    expect(s.tokenRequests).toHaveLength(2)
    // Failed again: the next wait is longer (between 1 and 2 s), so one more second is not enough.
    vi.setSystemTime(Date.now() + 999)
    await ada.call('POST', 'chat/conversations', { author })
    expect(s.tokenRequests).toHaveLength(2)
    expect(s.seen.join('\n')).not.toContain(MARK)
    expect(upstreamCalls(s)).toBe(0)
  })
})

describe('token custody', () => {
  it('1,000 simultaneous requests on a cold start mint one token', { timeout: 60_000 }, async () => {
    const s = await setup()
    const ada = browser(s)
    const { id } = await ada.client.createConversation({ author })
    // A second instance (same secret, so the cookie holds there too) that has minted nothing yet.
    const cold = createChatHandler({
      apiBaseURL: s.mock.baseURL,
      clientId: CLIENT_ID,
      refreshToken: REFRESH,
      tokenURL: `${s.tokenBase}token`,
      secret: COOKIE_SECRET,
      limits: { requestsPerMinute: 5000, addressRequestsPerMinute: 5000 },
    })
    s.mock.api.setAccessToken(null) // whichever token the cold instance mints
    const minted = s.tokenRequests.length
    const answers = await Promise.all(
      Array.from({ length: 1000 }, () =>
        cold.fetch(new Request(`${s.base}chat/conversations/${id}`, { headers: { cookie: ada.cookie } })),
      ),
    )
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200]))
    expect(s.tokenRequests.length - minted).toBe(1)
  })

  it('after a 401 mints once more and repeats once; a create is made once', async () => {
    const s = await setup()
    const ada = browser(s)
    await ada.client.createConversation({ author })
    s.mock.api.setAccessToken(minted(2)) // the first token has expired upstream
    const second = await ada.client.createConversation({ author })
    expect(second.id).toBeGreaterThan(0)
    expect(s.tokenRequests).toHaveLength(2)
    expect(s.mock.api.conversations()).toHaveLength(2)
  })

  it('uses a rotated refresh token from then on, and hands it to onRefreshToken', async () => {
    const rotated: string[] = []
    const s = await setup({ onRefreshToken: (token) => void rotated.push(token) }, { rotate: true })
    const ada = browser(s)
    await ada.client.createConversation({ author })
    s.mock.api.setAccessToken(minted(2))
    await ada.client.createConversation({ author })
    expect(rotated).toEqual([`rotated-1-${MARK}`, `rotated-2-${MARK}`])
    expect(new URLSearchParams(s.tokenRequests[1]?.body).get('refresh_token')).toBe(`rotated-1-${MARK}`)
  })
})

describe('visitor scope', () => {
  it("refuses another visitor's conversation with 403 and no upstream call", async () => {
    const s = await setup()
    const ada = browser(s)
    const bob = browser(s)
    const { id } = await ada.client.createConversation({ author })
    await bob.client.createConversation({ author: { name: 'Bob', email: 'bob@example.com' } })
    const before = upstreamCalls(s)
    for (const [method, path, body] of [
      ['GET', `chat/conversations/${id}`],
      ['GET', `chat/conversations/${id}/messages`],
      ['POST', `chat/conversations/${id}/messages`, [{ message: 'Mine now', author }]],
      ['PATCH', `chat/conversations/${id}/close`],
      ['PATCH', `chat/conversations/${id}/feedback`, { isPositive: false }],
    ] as [string, string, unknown?][]) {
      const answer = await bob.call(method, path, body)
      expect(answer.status).toBe(403)
      expect(answer.body.errorText).toBe('This conversation is not yours')
    }
    expect(upstreamCalls(s)).toBe(before)
  })

  it('refuses forged, tampered, foreign and expired cookies', async () => {
    const s = await setup()
    const other = await setup({ secret: `another-${MARK}-0123456789abcdef0123456789abcdef` })
    const ada = browser(s)
    const { id } = await ada.client.createConversation({ author })
    const good = ada.cookie
    const [payload, signature] = good.slice('sb_chat='.length).split('.') as [string, string]
    const state = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...state, conversations: [id, id + 1] })).toString('base64url')
    const mallory = browser(s)
    for (const cookie of [
      `sb_chat=${forged}.${signature}`,
      `sb_chat=${payload}.${signature.slice(0, -2)}AA`,
      `sb_chat=${payload}`,
      'sb_chat=garbage',
    ]) {
      mallory.cookie = cookie
      expect((await mallory.call('GET', `chat/conversations/${id}`)).status).toBe(403)
    }
    // A cookie signed by another deployment's secret.
    const foreign = browser(other)
    await foreign.client.createConversation({ author })
    mallory.cookie = foreign.cookie
    expect((await mallory.call('GET', 'chat/conversations/254626')).status).toBe(403)
    // Thirty-one days later the cookie has expired.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31 * 24 * 3600 * 1000 })
    expect((await ada.call('GET', `chat/conversations/${id}`)).status).toBe(403)
  })

  it('posts only as the visitor: never as staff, a bot or someone else', async () => {
    const s = await setup()
    const ada = browser(s)
    const { id } = await ada.client.createConversation({ author })
    const before = s.mock.api.requests.length
    const answer = await ada.call('POST', `chat/conversations/${id}/messages`, [
      { message: 'As staff', author, isByTeam: true },
      { message: 'As the bot', author: { isBot: true } },
      { message: 'As Bob', author: { email: 'bob@example.com', id: '00000000-0000-4000-8000-00000000b0b0' } },
    ])
    expect(answer.status).toBe(200)
    const sent = s.mock.api.requests[before]?.body as { author: object; isByTeam: boolean }[]
    for (const message of sent) {
      expect(message.isByTeam).toBe(false)
      expect(message.author).toEqual({ ...author, customIdentifier: expect.stringMatching(/^visitor-/) })
    }
    const stored = s.mock.api.conversations()[0]?.messages ?? []
    expect(new Set(stored.map((m) => m.author.id)).size).toBe(1)
    expect(stored.every((m) => m.author.email === 'ada@example.com' && !m.author.isBot)).toBe(true)
  })

  it('creates as the app’s own user with resolveVisitor, whatever the browser sends', async () => {
    const s = await setup({ resolveVisitor: () => ({ name: 'Signed In', email: 'signed.in@example.com' }) })
    const mallory = browser(s)
    const { id } = await mallory.client.createConversation({ author: { email: 'ceo@example.com', isBot: true } })
    await mallory.client.addMessages(id, [{ message: 'Hello', author: { email: 'ceo@example.com' } }])
    const conversation = s.mock.api.conversations()[0]
    expect(conversation?.author.email).toBe('signed.in@example.com')
    expect(conversation?.messages?.[0]?.author.email).toBe('signed.in@example.com')
  })

  it('gives an anonymous visitor a customIdentifier kept in the cookie: a returning visitor is the same person', async () => {
    const s = await setup()
    // No identifier at all: the browser's own client would refuse that, so the raw request.
    const anonymous = browser(s)
    expect((await anonymous.call('POST', 'chat/conversations', { author: { name: 'Guest' } })).status).toBe(200)
    expect((await anonymous.call('POST', 'chat/conversations', { author: { name: 'Guest' } })).status).toBe(200)
    const [first, second] = s.mock.api.conversations()
    expect(first?.author.customIdentifier).toMatch(/^visitor-/)
    expect(second?.author.id).toBe(first?.author.id)
    const stranger = browser(s)
    await stranger.call('POST', 'chat/conversations', { author: { name: 'Guest' } })
    expect(s.mock.api.conversations()[2]?.author.id).not.toBe(first?.author.id)
  })

  it('refuses importing history, and any takeover but asking for a human', async () => {
    const s = await setup()
    const ada = browser(s)
    const { id } = await ada.client.createConversation({ author })
    const before = upstreamCalls(s)
    const imported = await ada.call('POST', `chat/conversations/${id}/previousMessages`, [
      { message: 'Earlier', author, creationTime: '2023-01-01T00:00:00Z' },
    ])
    expect(imported.status).toBe(403)
    expect((await ada.call('PATCH', `chat/conversations/${id}/takeover`, { isAssignedToBot: true })).status).toBe(403)
    const assignee = { isAssignedToBot: false, assigneeId: '00000000-0000-4000-8000-000000000001' }
    expect((await ada.call('PATCH', `chat/conversations/${id}/takeover`, assignee)).status).toBe(403)
    expect(upstreamCalls(s)).toBe(before)
    // Asking for a human is for a conversation the bot has: otherwise it would jump the queue.
    const queued = await ada.call('PATCH', `chat/conversations/${id}/takeover`, { isAssignedToBot: false })
    expect(queued.status).toBe(409)
    expect(s.mock.api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0)
    const withBot = await ada.client.createConversation({ author, isBotEnabled: true })
    const asked = await ada.call('PATCH', `chat/conversations/${withBot.id}/takeover`, { isAssignedToBot: false })
    expect(asked.status).toBe(200)
    expect(await ada.client.getTakeover(withBot.id)).toEqual({ isAssignedToBot: false })
    // Once a human has it, asking again is refused too.
    expect(
      (await ada.call('PATCH', `chat/conversations/${withBot.id}/takeover`, { isAssignedToBot: false })).status,
    ).toBe(409)
  })

  it('refuses writes from another site', async () => {
    const s = await setup()
    const ada = browser(s)
    await ada.client.createConversation({ author })
    const answer = await ada.call('POST', 'chat/conversations', { author }, { origin: 'https://evil.example' })
    expect(answer.status).toBe(403)
    expect((await ada.call('POST', 'chat/conversations', { author }, { origin: 'not a url' })).status).toBe(403)
    expect(s.mock.api.conversations()).toHaveLength(1)
    expect((await ada.call('POST', 'chat/conversations', { author }, { origin: 'null' })).status).toBe(403)
    // A client-chosen X-Forwarded-Host does not make its origin this site: no proxy was trusted.
    const forwarded = {
      origin: 'https://shop.example',
      'x-forwarded-host': 'shop.example',
      'x-forwarded-proto': 'https',
    }
    expect((await ada.call('POST', 'chat/conversations', { author }, forwarded)).status).toBe(403)
    expect(s.mock.api.conversations()).toHaveLength(1)
    // Behind a proxy the app trusts, the page's host arrives as X-Forwarded-Host: that is this site.
    const behindProxy = await setup({ trustProxy: true })
    const bob = browser(behindProxy)
    expect((await bob.call('POST', 'chat/conversations', { author }, forwarded)).status).toBe(200)
    // And a configured origin is this site, whatever Host says.
    const configured = await setup({ origin: 'https://shop.example' })
    const cleo = browser(configured)
    expect((await cleo.call('POST', 'chat/conversations', { author }, { origin: 'https://shop.example' })).status).toBe(
      200,
    )
    expect(
      (await cleo.call('POST', 'chat/conversations', { author }, { origin: configured.base.replace(/\/api.*$/, '') }))
        .status,
    ).toBe(403)
  })
})

describe('limits', () => {
  it('caps bodies (413), takes JSON only (415, 400), and knows its paths (404, 405)', async () => {
    const s = await setup({ limits: { bodyBytes: 2048 } })
    const ada = browser(s)
    const { id } = await ada.client.createConversation({ author })
    const huge = [{ message: 'x'.repeat(10 * 1024 * 1024), author }]
    expect((await ada.call('POST', `chat/conversations/${id}/messages`, huge)).status).toBe(413)
    const form = await ada.call('POST', `chat/conversations/${id}/messages`, 'message=hi', {
      'content-type': 'application/x-www-form-urlencoded',
    })
    expect(form.status).toBe(415)
    expect((await ada.call('POST', `chat/conversations/${id}/messages`, '[{"message":')).status).toBe(400)
    expect((await ada.call('GET', 'chat/tickets')).status).toBe(404)
    expect((await ada.call('GET', 'elsewhere')).status).toBe(404)
    expect((await ada.call('PUT', `chat/conversations/${id}`)).status).toBe(405)
    expect(s.mock.api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toHaveLength(0)
  })

  it('checks bodies with the same rules as the client before calling upstream', async () => {
    const s = await setup()
    const ada = browser(s)
    const { id } = await ada.client.createConversation({ author })
    const before = upstreamCalls(s)
    const answer = await ada.call('POST', `chat/conversations/${id}/messages`, [{ message: '' }])
    expect(answer.status).toBe(400)
    expect(answer.body.errorText).toMatch(/messages\[0\]\.message must not be empty/)
    expect(upstreamCalls(s)).toBe(before)
  })

  it('limits requests per visitor with Retry-After, without touching other visitors', async () => {
    const s = await setup({ limits: { requestsPerMinute: 3 } })
    const ada = browser(s)
    const { id } = await ada.client.createConversation({ author }) // counted before the visitor had a cookie
    for (let i = 0; i < 3; i++) expect((await ada.call('GET', `chat/conversations/${id}`)).status).toBe(200)
    const limited = await ada.call('GET', `chat/conversations/${id}`)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    const bob = browser(s)
    expect((await bob.call('POST', 'chat/conversations', { author })).status).toBe(200)
  })

  it('answers 504 when the Chat API is slow, and 502 when it is down', async () => {
    const s = await setup({ limits: { upstreamTimeout: 100 } })
    const ada = browser(s)
    const { id } = await ada.client.createConversation({ author })
    s.mock.api.inject({ type: 'delay', ms: 1000 })
    expect((await ada.call('GET', `chat/conversations/${id}`)).status).toBe(504)
    await s.mock.close()
    expect((await ada.call('GET', `chat/conversations/${id}`)).status).toBe(502)
  })
})

describe('createChatHandler options', () => {
  it('builds without its secrets (a route module at build time); at run time answers 500 and logs once which option is missing, never its value', async () => {
    const base = { apiBaseURL: 'https://chat.example/api/', clientId: CLIENT_ID, refreshToken: REFRESH }
    const lines: string[] = []
    const log = (line: string) => lines.push(line)
    const weak = createChatHandler({ ...base, secret: `short-${MARK}`, log })
    const missing = createChatHandler({ apiBaseURL: base.apiBaseURL, secret: COOKIE_SECRET, log })
    const request = () => new Request('http://localhost/api/chat/chat/conversations/1')
    for (let i = 0; i < 3; i++) {
      const answer = await weak.fetch(request())
      expect(answer.status).toBe(500)
      expect(await answer.text()).not.toContain(MARK)
    }
    expect((await missing.fetch(request())).status).toBe(500)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/secret must be a string of at least 32/)
    expect(lines[1]).toMatch(/clientId is required.*refreshToken is required/)
    expect(lines.join('\n')).not.toContain(MARK)
    await expect(weak.probe()).rejects.toThrow(/secret must be/)
    const fine = createChatHandler({
      apiBaseURL: base.apiBaseURL,
      secret: COOKIE_SECRET,
      accessToken: () => minted(1),
      log,
    })
    expect((await fine.fetch(request())).status).toBe(403)
    expect(lines.filter((line) => /required|must be/.test(line))).toHaveLength(2)
  })
})
