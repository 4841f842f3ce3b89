import { createMockChatServer } from 'socialboards-chat-react/mock/server'
import { type ChatHandlerOptions, createChatHandler, type VisitorConversation } from 'socialboards-chat-react/server'
import { createRedisConversationIndex } from 'socialboards-chat-react/server/redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
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
