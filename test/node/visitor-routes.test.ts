import { createMockChatServer } from 'socialboards-chat-react/mock/server'
import { type ChatHandlerOptions, createChatHandler, type VisitorConversation } from 'socialboards-chat-react/server'
import { createRedisConversationIndex } from 'socialboards-chat-react/server/redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { HISTORY_CALLS_PER_MINUTE, HISTORY_CONCURRENCY, HISTORY_LIMIT } from '../../src/server/proxy/visitor'
import { type RedisServer, startRedisServer } from './redis-server'

// Sign-out and "my conversations" on the server half, against the mock Chat API on a real port:
// browsers as cookie jars, signed-in users through resolveVisitor.

const SECRET = 'visitor-routes-secret-0123456789abcdef01'
const USER_X = { id: '5b0f8f7e-2a52-4c55-9f1b-7e1f0f3a1c01', name: 'Xena' }
const USER_Y = { id: '5b0f8f7e-2a52-4c55-9f1b-7e1f0f3a1c02', name: 'Yuri' }

let closers: (() => Promise<unknown> | unknown)[] = []
afterEach(async () => {
  for (const close of closers.reverse()) await close()
  closers = []
})

async function setup(options: Partial<ChatHandlerOptions> = {}) {
  const mock = await createMockChatServer({ accessToken: 'mock-token' })
  closers.push(() => mock.close())
  const handler = createChatHandler({
    apiBaseURL: mock.baseURL,
    accessToken: () => 'mock-token',
    secret: SECRET,
    cookie: { secure: false },
    log: () => {},
    // The app's session: who is signed in on this browser (a header stands in for the app's own cookie).
    resolveVisitor: (request) => {
      const user = request.headers.get('x-test-user')
      return user === 'x' ? USER_X : user === 'y' ? USER_Y : null
    },
    ...options,
  })
  return { mock, handler }
}

/** A browser: its cookie jar (honouring expiry), and who is signed in on it. */
function browser(handler: ReturnType<typeof createChatHandler>, user: 'x' | 'y' | null = null) {
  let cookie = ''
  const state = { user }
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await handler.fetch(
      new Request(`http://shop.example/api/chat/${path}`, {
        method,
        headers: {
          host: 'shop.example',
          ...(method === 'GET' ? {} : { origin: 'http://shop.example' }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(cookie ? { cookie } : {}),
          ...(state.user ? { 'x-test-user': state.user } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      { clientAddress: '203.0.113.5' },
    )
    const set = response.headers.getSetCookie()[0]
    if (set) cookie = /Max-Age=0/.test(set) ? '' : (set.split(';')[0] as string)
    return response
  }
  return {
    state,
    call,
    async create(title = 'Parcel') {
      const response = await call('POST', 'chat/conversations', { author: { name: 'Ada' }, title })
      return ((await response.json()) as { data: { id: number } }).data.id
    },
    async history() {
      const response = await call('GET', 'visitor/conversations')
      expect(response.status).toBe(200)
      const body = (await response.json()) as { data: VisitorConversation[]; errorCode: number; errorText: null }
      expect(body.errorCode).toBe(-1)
      return body.data
    },
    get cookie() {
      return cookie
    },
  }
}

describe('DELETE {basePath}/visitor', () => {
  it('answers 204 with a cookie that expires, after which that browser reaches none of its conversations', async () => {
    const { handler } = await setup()
    const ada = browser(handler)
    const id = await ada.create()
    const kept = ada.cookie
    expect((await ada.call('GET', `chat/conversations/${id}`)).status).toBe(200)
    const signedOut = await ada.call('DELETE', 'visitor')
    expect(signedOut.status).toBe(204)
    expect(signedOut.headers.getSetCookie()[0]).toMatch(
      /^sb_chat=; Path=\/api\/chat; HttpOnly; SameSite=Lax; Max-Age=0/,
    )
    expect(ada.cookie).toBe('')
    expect((await ada.call('GET', `chat/conversations/${id}`)).status).toBe(403)
    expect(await ada.history()).toEqual([])
    expect(kept).not.toBe('')
  })

  it('is refused from another site (a page elsewhere cannot sign the visitor out)', async () => {
    const { handler } = await setup()
    const ada = browser(handler)
    await ada.create()
    const forged = await ada.call('DELETE', 'visitor', undefined, { origin: 'https://evil.example' })
    expect(forged.status).toBe(403)
    expect(ada.cookie).not.toBe('')
    expect((await ada.call('GET', 'visitor')).status).toBe(405)
  })
})

describe('GET {basePath}/visitor/conversations', () => {
  it('lists an anonymous visitor’s conversations from the cookie, newest first, with the last message and who wrote it', async () => {
    const { handler } = await setup()
    const ada = browser(handler)
    const first = await ada.create('First')
    await ada.call('POST', `chat/conversations/${first}/messages`, [{ message: 'Where is my parcel?' }])
    await ada.call('PATCH', `chat/conversations/${first}/close`)
    const second = await ada.create('Second')
    const list = await ada.history()
    expect(list.map((item) => item.id)).toEqual([second, first])
    expect(list[1]).toMatchObject({
      id: first,
      isClosed: true,
      lastMessage: { message: 'Where is my parcel?', role: 'visitor' },
    })
    expect(list[0]).toMatchObject({ id: second, isClosed: false, lastMessage: null })
    expect(typeof list[0]?.creationTime).toBe('string')
    expect(typeof list[0]?.lastModifiedTime).toBe('string')
    // Another browser has nothing.
    expect(await browser(handler).history()).toEqual([])
  })

  it('follows a signed-in visitor to any browser; another user, or no one, sees none of it', async () => {
    const { handler } = await setup()
    const laptop = browser(handler, 'x')
    const id = await laptop.create()
    const phone = browser(handler, 'x')
    expect((await phone.history()).map((item) => item.id)).toEqual([id])
    expect((await phone.call('GET', `chat/conversations/${id}`)).status).toBe(200)
    const other = browser(handler, 'y')
    expect(await other.history()).toEqual([])
    expect((await other.call('GET', `chat/conversations/${id}`)).status).toBe(403)
    // The laptop's cookie while Y (or no one) is signed in on it grants nothing.
    laptop.state.user = 'y'
    expect((await laptop.call('GET', `chat/conversations/${id}`)).status).toBe(403)
    expect(await laptop.history()).toEqual([])
    laptop.state.user = null
    expect((await laptop.call('GET', `chat/conversations/${id}`)).status).toBe(403)
    laptop.state.user = 'x'
    expect((await laptop.call('GET', `chat/conversations/${id}`)).status).toBe(200)
  })
})

/** Conversation reads (`GET chat/conversations/{id}`, with or without a suffix) that reached the mock. */
const conversationReads = (mock: Awaited<ReturnType<typeof createMockChatServer>>) =>
  mock.api.requests.filter((request) => request.method === 'GET' && /^chat\/conversations\/\d+/.test(request.path))

describe('GET {basePath}/visitor/conversations cannot be used to hammer the Chat API', () => {
  const roomy = { limits: { createsPerMinute: 100 } }

  it('makes one upstream call per conversation, and none for a repeat within the cache time, from any browser of the same user', async () => {
    const { handler, mock } = await setup(roomy)
    const laptop = browser(handler, 'x')
    const created: number[] = []
    for (let index = 0; index < 5; index++) created.push(await laptop.create(`Chat ${index}`))
    await laptop.call('POST', `chat/conversations/${created[2]}/messages`, [{ message: 'Still there?' }])
    const before = conversationReads(mock).length
    const list = await laptop.history()
    expect(list.map((item) => item.id)).toEqual([...created].reverse())
    expect(list.find((item) => item.id === created[2])?.lastMessage).toMatchObject({
      message: 'Still there?',
      role: 'visitor',
    })
    const reads = conversationReads(mock).slice(before)
    expect(reads).toHaveLength(created.length)
    expect(new Set(reads.map((request) => request.path)).size).toBe(created.length)
    // The same list again, on this browser or another where the user is signed in: nothing upstream.
    expect(await laptop.history()).toEqual(list)
    expect(await browser(handler, 'x').history()).toEqual(list)
    expect(conversationReads(mock).length - before).toBe(created.length)
  })

  it('what the visitor changes through the handler shows in their next history at once, for one more call', async () => {
    const { handler, mock } = await setup(roomy)
    const ada = browser(handler)
    const first = await ada.create('First')
    const second = await ada.create('Second')
    expect((await ada.history()).map((item) => item.lastMessage)).toEqual([null, null])
    await ada.call('POST', `chat/conversations/${first}/messages`, [{ message: 'Any news?' }])
    await ada.call('PATCH', `chat/conversations/${first}/close`)
    const reads = conversationReads(mock).length
    const list = await ada.history()
    expect(list.find((item) => item.id === first)).toMatchObject({
      isClosed: true,
      lastMessage: { message: 'Any news?', role: 'visitor' },
    })
    expect(list.find((item) => item.id === second)).toMatchObject({ isClosed: false, lastMessage: null })
    // Only the changed conversation was read again.
    expect(
      conversationReads(mock)
        .slice(reads)
        .map((request) => request.path),
    ).toEqual([`chat/conversations/${first}`])
  })

  it('a visitor asking for history in a loop gets 429 once the history budget is spent, the chat itself still works', async () => {
    const { handler, mock } = await setup(roomy)
    const ada = browser(handler)
    const created: number[] = []
    for (let index = 0; index < 5; index++) created.push(await ada.create())
    // Nothing can be kept: every read of a conversation fails, so each history asks again.
    for (let index = 0; index < 200; index++)
      mock.api.inject({
        type: 'envelope',
        errorCode: 1002,
        match: { method: 'GET', path: /^chat\/conversations\/\d+$/ },
      })
    const before = conversationReads(mock).length
    let refused: Response | undefined
    let answered = 0
    for (let attempt = 0; attempt < 50 && !refused; attempt++) {
      const response = await ada.call('GET', 'visitor/conversations')
      if (response.status === 429) refused = response
      else {
        expect(response.status).toBe(200)
        answered++
      }
    }
    expect(refused?.status).toBe(429)
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(answered).toBe(Math.floor(HISTORY_CALLS_PER_MINUTE / created.length))
    expect(conversationReads(mock).length - before).toBeLessThanOrEqual(HISTORY_CALLS_PER_MINUTE)
    // A refused history sends nothing, and the visitor can still chat (a budget of its own).
    const spent = conversationReads(mock).length
    expect((await ada.call('GET', 'visitor/conversations')).status).toBe(429)
    expect(conversationReads(mock).length).toBe(spent)
    const sent = await ada.call('POST', `chat/conversations/${created[0]}/messages`, [{ message: 'Hello?' }])
    expect(sent.status).toBe(200)
  })

  it(`has at most ${HISTORY_CONCURRENCY} upstream calls in flight for one history of ${HISTORY_LIMIT}`, async () => {
    let inFlight = 0
    let most = 0
    const { handler } = await setup({
      ...roomy,
      fetch: async (input, init) => {
        most = Math.max(most, ++inFlight)
        try {
          // Each call yields to the event loop first, so a history that started more would have them all in flight.
          await new Promise((resolve) => setImmediate(resolve))
          return await globalThis.fetch(input, init)
        } finally {
          inFlight--
        }
      },
    })
    const ada = browser(handler)
    for (let index = 0; index < HISTORY_LIMIT; index++) await ada.create()
    most = 0
    expect((await ada.history()).length).toBe(HISTORY_LIMIT)
    expect(most).toBe(HISTORY_CONCURRENCY)
  })

  it('a conversation whose latest messages are over limits.upstreamBytes is still listed, without its last message', async () => {
    const { handler, mock } = await setup({ limits: { createsPerMinute: 100, upstreamBytes: 8 * 1024 } })
    const ada = browser(handler)
    const long = await ada.create('Long')
    for (let index = 0; index < 4; index++)
      await ada.call('POST', `chat/conversations/${long}/messages`, [{ message: 'x'.repeat(3000) }])
    const short = await ada.create('Short')
    await ada.call('POST', `chat/conversations/${short}/messages`, [{ message: 'Hi' }])
    const before = conversationReads(mock).length
    const list = await ada.history()
    expect(list.map((item) => [item.id, item.lastMessage?.message ?? null])).toEqual([
      [short, 'Hi'],
      [long, null],
    ])
    // The long one was read twice (with its messages, then without), the short one once.
    expect(conversationReads(mock).length - before).toBe(3)
  })
})

describe('the event stream of a signed-in visitor on a browser without the cookie', () => {
  it('opens for a conversation found through the conversation index (no 500), and counts per identity', async () => {
    const { handler } = await setup({ stream: { perVisitor: 1 } })
    const laptop = browser(handler, 'x')
    const id = await laptop.create()
    const phone = browser(handler, 'x')
    expect(phone.cookie).toBe('')
    const opened = await phone.call('GET', `chat/conversations/${id}/events`)
    expect(opened.status).toBe(200)
    expect(opened.headers.get('content-type')).toMatch(/^text\/event-stream/)
    // The identity's cap holds on any cookieless browser of that user.
    const second = await browser(handler, 'x').call('GET', `chat/conversations/${id}/events`)
    expect(second.status).toBe(429)
    await opened.body?.cancel()
    // Someone else gets 403, as before.
    expect((await browser(handler, 'y').call('GET', `chat/conversations/${id}/events`)).status).toBe(403)
  })
})

describe('the conversation index on Redis', () => {
  let redis: RedisServer
  beforeAll(async () => {
    redis = await startRedisServer()
  })
  afterAll(async () => {
    await redis?.stop()
  })

  it('shares a signed-in visitor’s conversations between instances, newest first, bounded and expiring', async () => {
    const a = await createRedisConversationIndex({
      url: redis.url,
      prefix: 'index-test',
      perIdentity: 3,
      ttlSeconds: 60,
    })
    const b = await createRedisConversationIndex({
      url: redis.url,
      prefix: 'index-test',
      perIdentity: 3,
      ttlSeconds: 60,
    })
    closers.push(
      () => a.close(),
      () => b.close(),
    )
    for (const id of [10, 11, 12, 13]) await a.add('digest-x', id)
    expect(await b.list('digest-x', 10)).toEqual([13, 12, 11])
    expect(await b.list('digest-x', 2)).toEqual([13, 12])
    expect(await b.list('digest-y', 10)).toEqual([])
    const { createClient } = await import('redis')
    const client = createClient({ url: redis.url })
    await client.connect()
    closers.push(() => client.quit())
    const ttl = await client.ttl('index-test:conversations:digest-x')
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(60)
  })

  it('serves the handler: the phone sees what the laptop started on another instance', async () => {
    const { handler: first, mock } = await setup({
      conversations: await createRedisConversationIndex({ url: redis.url, prefix: 'handler-test' }),
    })
    const second = createChatHandler({
      apiBaseURL: mock.baseURL,
      accessToken: () => 'mock-token',
      secret: SECRET,
      cookie: { secure: false },
      log: () => {},
      resolveVisitor: (request) => (request.headers.get('x-test-user') === 'x' ? USER_X : null),
      conversations: await createRedisConversationIndex({ url: redis.url, prefix: 'handler-test' }),
    })
    const id = await browser(first, 'x').create()
    const phone = browser(second, 'x')
    expect((await phone.history()).map((item) => item.id)).toEqual([id])
  })
})
