import { createServer } from 'node:http'
import { type ChatApiError, type ChatClient, createChatClient, isChatApiError } from 'socialboards-chat-react'
import { listMyConversations, type MyConversation, signOutVisitor } from 'socialboards-chat-react/core'
import { createMockChatServer, type MockChatServer } from 'socialboards-chat-react/mock/server'
import { type ChatHandlerOptions, createChatHandler, toNodeListener } from 'socialboards-chat-react/server'
import { createRedisConversationIndex } from 'socialboards-chat-react/server/redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { envelope, listenOn, startServer } from './http-server'
import { type RedisServer, startRedisServer } from './redis-server'

// The client's side of the visitor routes, end to end: a client behind the server half on a real
// port, in front of the mock Chat API on another, each "browser" a cookie-keeping fetch; who is
// signed in on it is the app's own session (a header stands in for it), resolved by resolveVisitor.

const SECRET = 'visitor-client-secret-0123456789abcdef012'
const USERS = {
  a: { id: '6c0f8f7e-2a52-4c55-9f1b-7e1f0f3a1ca1', name: 'Alice' },
  b: { id: '6c0f8f7e-2a52-4c55-9f1b-7e1f0f3a1cb2', name: 'Bruno' },
} as const
type User = keyof typeof USERS

let closers: (() => unknown)[] = []
afterEach(async () => {
  for (const close of closers.reverse()) await close()
  closers = []
})

/** The mock Chat API, and the server half in front of it on a real port. */
async function servers(options: Partial<ChatHandlerOptions> = {}, mock?: MockChatServer) {
  const api = mock ?? (await createMockChatServer({ accessToken: 'mock-token' }))
  if (!mock) closers.push(() => api.close())
  const handler = createChatHandler({
    apiBaseURL: api.baseURL,
    accessToken: () => 'mock-token',
    secret: SECRET,
    cookie: { secure: false },
    log: () => {},
    resolveVisitor: (request) => USERS[request.headers.get('x-app-user') as User] ?? null,
    ...options,
  })
  const port = await listenOn(createServer(toNodeListener(handler)), closers)
  return { mock: api, baseURL: `http://127.0.0.1:${port}/api/chat/` }
}

/**
 * A browser: one cookie jar (dropping a cookie whose `Max-Age` is 0, as browsers do), the app's
 * signed-in user (`user`), and a client over it.
 */
function browser(baseURL: string, user: User | null = null) {
  const state = { user, cookie: '' }
  const jarFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers)
    if (state.cookie) headers.set('cookie', state.cookie)
    if (state.user) headers.set('x-app-user', state.user)
    const response = await fetch(input, { ...init, headers })
    const set = response.headers.getSetCookie()[0]
    if (set) state.cookie = /Max-Age=0/i.test(set) ? '' : (set.split(';')[0] as string)
    return response
  }
  const client = createChatClient({ baseURL, fetch: jarFetch })
  return { state, client, baseURL }
}

// What the page names the visitor; the server half writes its own identity instead.
const author = { name: 'Visitor', customIdentifier: 'page-visitor' }
const start = (client: ChatClient, title: string) =>
  client.createConversation({ author, title }).then((conversation) => conversation.id)
const ids = (list: MyConversation[]) => list.map((item) => item.id)
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a ChatApiError'),
    (error: unknown) => {
      expect(isChatApiError(error)).toBe(true)
      return error as ChatApiError
    },
  )
/** Requests that reached the Chat API for conversation `id`. */
const upstreamFor = (mock: MockChatServer, id: number) =>
  mock.api.requests.filter((request) => request.path.startsWith(`chat/conversations/${id}`)).length

describe('listMyConversations behind the server half', () => {
  it('lists the visitor’s own conversations newest first, each with its last message and who wrote it', async () => {
    const { baseURL } = await servers()
    const { client } = browser(baseURL)
    const first = await start(client, 'Parcel')
    await client.addMessages(first, [{ message: 'Where is my parcel?', author }])
    await client.closeConversation(first)
    const second = await start(client, 'Refund')
    const list = await client.listMyConversations()
    expect(ids(list)).toEqual([second, first])
    expect(list[0]).toMatchObject({ id: second, isClosed: false, lastMessage: null })
    expect(list[1]).toMatchObject({
      id: first,
      isClosed: true,
      lastMessage: { message: 'Where is my parcel?', role: 'visitor' },
    })
    for (const item of list) {
      expect(Number.isNaN(Date.parse(item.creationTime))).toBe(false)
      expect(Number.isNaN(Date.parse(item.lastModifiedTime))).toBe(false)
    }
    // The endpoint function is the same call.
    expect(ids(await listMyConversations(client))).toEqual([second, first])
    // Another browser has none of it.
    expect(await browser(baseURL).client.listMyConversations()).toEqual([])
  })

  it('two users on one browser: after A signs out, B lists none of A’s conversations and cannot read one (403, nothing sent upstream)', async () => {
    const { baseURL, mock } = await servers()
    const shared = browser(baseURL, 'a')
    const aliceChat = await start(shared.client, 'Card')
    await shared.client.addMessages(aliceChat, [{ message: 'My card number ends in 4242', author }])
    expect(ids(await shared.client.listMyConversations())).toEqual([aliceChat])

    await shared.client.signOutVisitor()
    expect(shared.state.cookie).toBe('')
    shared.state.user = 'b' // the app signs Alice out and Bruno in
    expect(await shared.client.listMyConversations()).toEqual([])
    const before = upstreamFor(mock, aliceChat)
    const refused = await failure(shared.client.getConversation(aliceChat))
    expect(refused).toMatchObject({ kind: 'http', status: 403 })
    expect((await failure(shared.client.listMessages(aliceChat))).status).toBe(403)
    const write = await failure(shared.client.addMessages(aliceChat, [{ message: 'Hi', author }]))
    expect(write.status).toBe(403)
    expect(upstreamFor(mock, aliceChat)).toBe(before)

    const brunoChat = await start(shared.client, 'Mine')
    expect(ids(await shared.client.listMyConversations())).toEqual([brunoChat])
    expect(
      mock.api
        .conversations()
        .find((c) => c.id === aliceChat)
        ?.messages?.map((m) => m.message),
    ).toEqual(['My card number ends in 4242'])
  })

  it('a user switch without sign-out: the cookie minted for A grants B (or no one) nothing, and nothing is sent upstream', async () => {
    const { baseURL, mock } = await servers()
    const shared = browser(baseURL, 'a')
    const aliceChat = await start(shared.client, 'Card')
    const kept = shared.state.cookie
    expect(kept).not.toBe('')
    const before = upstreamFor(mock, aliceChat)
    for (const next of ['b', null] as const) {
      shared.state.user = next
      shared.state.cookie = kept
      expect(await shared.client.listMyConversations()).toEqual([])
      expect((await failure(shared.client.getConversation(aliceChat))).status).toBe(403)
    }
    expect(upstreamFor(mock, aliceChat)).toBe(before)
    shared.state.user = 'a'
    expect(ids(await shared.client.listMyConversations())).toEqual([aliceChat])
  })

  it('an anonymous visitor after signOutVisitor reaches none of the old conversations', async () => {
    const { baseURL, mock } = await servers()
    const { client, state } = browser(baseURL)
    const old = await start(client, 'Old')
    expect(ids(await client.listMyConversations())).toEqual([old])
    await client.signOutVisitor()
    expect(state.cookie).toBe('')
    expect(await client.listMyConversations()).toEqual([])
    const before = upstreamFor(mock, old)
    expect((await failure(client.getConversation(old))).status).toBe(403)
    expect((await failure(client.listMessages(old))).status).toBe(403)
    expect(upstreamFor(mock, old)).toBe(before)
    // Signing out twice (no cookie left) is fine: the route always answers 204.
    await expect(client.signOutVisitor()).resolves.toBeUndefined()
    // The next conversation is a new visitor's: only it is listed.
    const next = await start(client, 'New')
    expect(ids(await client.listMyConversations())).toEqual([next])
  })

  it('two browsers for one signed-in user list the same conversations, with the index in memory', async () => {
    const { baseURL } = await servers()
    const laptop = browser(baseURL, 'a')
    const phone = browser(baseURL, 'a')
    const first = await start(laptop.client, 'On the laptop')
    const second = await start(phone.client, 'On the phone')
    const third = await start(laptop.client, 'Laptop again')
    const onLaptop = await laptop.client.listMyConversations()
    expect(ids(onLaptop)).toEqual([third, second, first])
    expect(await phone.client.listMyConversations()).toEqual(onLaptop)
    expect((await phone.client.getConversation(first)).id).toBe(first)
    // Another user on a third browser sees none of it.
    expect(await browser(baseURL, 'b').client.listMyConversations()).toEqual([])
  })

  describe('with the index on Redis, two instances of the handler', () => {
    let redis: RedisServer
    beforeAll(async () => {
      redis = await startRedisServer()
    })
    afterAll(async () => {
      await redis?.stop()
    })

    it('the phone on one instance lists what the laptop started on the other, and reads it', async () => {
      const index = async () => {
        const created = await createRedisConversationIndex({ url: redis.url, prefix: 'visitor-client' })
        closers.push(() => created.close())
        return created
      }
      const one = await servers({ conversations: await index() })
      const two = await servers({ conversations: await index() }, one.mock)
      const laptop = browser(one.baseURL, 'a')
      const phone = browser(two.baseURL, 'a')
      const first = await start(laptop.client, 'Laptop')
      const second = await start(phone.client, 'Phone')
      const list = await phone.client.listMyConversations()
      expect(ids(list)).toEqual([second, first])
      expect(await laptop.client.listMyConversations()).toEqual(list)
      expect((await phone.client.getConversation(first)).id).toBe(first)
      expect(await browser(two.baseURL, 'b').client.listMyConversations()).toEqual([])
    })
  })
})

describe('listMyConversations does not hammer the Chat API', () => {
  it('one upstream call per conversation, none on a repeat; over the history budget a 429 error with nothing sent', async () => {
    const { baseURL, mock } = await servers({ limits: { createsPerMinute: 100 } })
    const { client } = browser(baseURL)
    const created: number[] = []
    for (let index = 0; index < 3; index++) created.push(await start(client, `Chat ${index}`))
    const reads = () => created.reduce((sum, id) => sum + upstreamFor(mock, id), 0)
    const before = reads()
    expect(ids(await client.listMyConversations())).toEqual([...created].reverse())
    expect(reads() - before).toBe(created.length)
    expect(ids(await client.listMyConversations())).toEqual([...created].reverse())
    expect(reads() - before).toBe(created.length)
    // Reads that fail are not kept, so each list asks again, until the visitor's history budget is spent.
    for (let index = 0; index < 100; index++)
      mock.api.inject({
        type: 'envelope',
        errorCode: 1002,
        match: { method: 'GET', path: /^chat\/conversations\/\d+$/ },
      })
    for (const id of created) await client.addMessages(id, [{ message: 'Hi', author }])
    let refused: ChatApiError | undefined
    for (let attempt = 0; attempt < 40 && !refused; attempt++)
      refused = await client.listMyConversations().then(
        () => undefined,
        (error: ChatApiError) => error,
      )
    expect(refused).toMatchObject({ kind: 'http', status: 429 })
    const spent = reads()
    await failure(client.listMyConversations())
    expect(reads()).toBe(spent)
  })
})

describe('the visitor calls on the wire', () => {
  it('with an accessToken nothing is sent: the list is a validation error, sign-out a no-op', async () => {
    const server = await startServer((_request, res) => envelope(res, []))
    closers.push(server.close)
    const client = createChatClient({ baseURL: server.baseURL, accessToken: 'a-token' })
    const refused = await failure(client.listMyConversations())
    expect(refused.kind).toBe('validation')
    expect(refused.issues?.[0]?.path).toBe('accessToken')
    expect(refused.message).not.toContain('a-token')
    await expect(client.signOutVisitor()).resolves.toBeUndefined()
    await expect(signOutVisitor(client)).resolves.toBeUndefined()
    expect(server.requests).toEqual([])
  })

  it('sends DELETE {baseURL}/visitor and GET {baseURL}/visitor/conversations, with no Authorization and no body', async () => {
    const server = await startServer((request, res) => {
      if (request.method === 'DELETE') {
        res.writeHead(204, { 'set-cookie': 'sb_chat=; Max-Age=0' })
        res.end()
      } else envelope(res, [])
    })
    closers.push(server.close)
    const client = createChatClient({ baseURL: server.baseURL })
    await client.signOutVisitor()
    await client.listMyConversations()
    expect(server.requests.map((r) => [r.method, r.url, r.headers.authorization, r.body])).toEqual([
      ['DELETE', '/api/visitor', undefined, ''],
      ['GET', '/api/visitor/conversations', undefined, ''],
    ])
  })

  it('answers that are not a sign-out or not a list are typed errors', async () => {
    let answer: Parameters<typeof startServer>[0] = () => {}
    const server = await startServer((request, res) => answer(request, res))
    closers.push(server.close)
    const client = createChatClient({ baseURL: server.baseURL })
    // An app's catch-all page (200 HTML) is not a sign-out.
    answer = (_request, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!doctype html><p>Shop</p>')
    }
    expect((await failure(client.signOutVisitor())).kind).toBe('parse')
    expect((await failure(client.listMyConversations())).kind).toBe('parse')
    // No such route: a 404 that says where the route lives.
    answer = (_request, res) => {
      res.writeHead(404)
      res.end()
    }
    const missing = await failure(client.listMyConversations())
    expect(missing).toMatchObject({ kind: 'http', status: 404 })
    expect(missing.message).toContain('server half (createChatHandler)')
    expect((await failure(client.signOutVisitor())).status).toBe(404)
    // A refusal (another site) is an http error, not a success.
    answer = (_request, res) => envelope(res, null, 403)
    expect((await failure(client.signOutVisitor())).status).toBe(403)
    // A list whose items are not conversations.
    const good = {
      id: 7,
      title: null,
      creationTime: '2026-12-01T10:00:00+00:00',
      lastModifiedTime: '2026-12-01T10:00:00+00:00',
      isClosed: false,
      lastMessage: { message: 'Hi', creationTime: '2026-12-01T10:00:00+00:00', role: 'agent' },
    }
    answer = (_request, res) => envelope(res, [good])
    expect(await client.listMyConversations()).toEqual([good])
    for (const bad of [
      { ...good, id: '7' },
      { ...good, isClosed: 'no' },
      { ...good, creationTime: 5 },
      { ...good, lastMessage: { ...good.lastMessage, role: 'admin' } },
      { ...good, lastMessage: undefined },
    ]) {
      answer = (_request, res) => envelope(res, [good, bad])
      expect((await failure(client.listMyConversations())).kind).toBe('parse')
    }
    answer = (_request, res) => envelope(res, { data: [good] })
    expect((await failure(client.listMyConversations())).kind).toBe('parse')
  })

  it('a cancelled call is an aborted error; a bad signal a validation error before sending', async () => {
    const server = await startServer((_request, res) => envelope(res, []))
    closers.push(server.close)
    const client = createChatClient({ baseURL: server.baseURL })
    const controller = new AbortController()
    controller.abort()
    expect((await failure(client.listMyConversations({ signal: controller.signal }))).kind).toBe('aborted')
    expect((await failure(client.signOutVisitor({ signal: controller.signal }))).kind).toBe('aborted')
    const bad = { signal: 'soon' as unknown as AbortSignal }
    expect((await failure(client.listMyConversations(bad))).kind).toBe('validation')
    expect(server.requests).toEqual([])
  })
})
