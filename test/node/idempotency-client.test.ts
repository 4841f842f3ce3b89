import type { ServerResponse } from 'node:http'
import { type ChatApiError, createChatClient, createMemoryStorage, isChatApiError } from 'socialboards-chat-react'
import { type ChatSessionStore, connect, createChatSession, createOutbox } from 'socialboards-chat-react/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { envelope, type ReceivedRequest, startServer } from './http-server'
import { until } from './session-until'

// Idempotency keys on the wire: which writes carry `Idempotency-Key`, and what the outbox and a
// session do with them against a server that honours them (the server half's protocol).

const author = { name: 'Ada', email: 'ada@example.com' }
const user = { id: '00000000-0000-4000-8000-000000000001', isBot: false, status: 'client', email: 'ada@example.com' }
const conversation = (id = 7, totalMessagesCount = 0) => ({
  id,
  author: user,
  creationTime: new Date().toISOString(),
  isClosed: false,
  isTakeoverEnabled: true,
  totalMessagesCount,
})
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

let closers: (() => unknown)[] = []
afterEach(async () => {
  for (const close of closers.reverse()) await close()
  closers = []
})
async function serve(answer: Parameters<typeof startServer>[0]) {
  const server = await startServer(answer)
  closers.push(server.close)
  return server
}

/** A server that stores nothing: a conversation for a create, the messages sent for an add, `{}` else. */
const echo = () =>
  serve((request, res) => {
    if (request.url.endsWith('/messages'))
      envelope(
        res,
        (JSON.parse(request.body) as { message: string }[]).map((m, i) => ({ id: 100 + i, author: user, ...m })),
      )
    else if (request.url.endsWith('/conversations')) envelope(res, conversation())
    else envelope(res, request.method === 'GET' ? conversation() : {})
  })

const keyOf = (request: ReceivedRequest | undefined) => request?.headers['idempotency-key']

describe('Idempotency-Key on the wire', () => {
  it('without an accessToken (the server half), a create and an add carry a fresh UUID each; other calls none', async () => {
    const server = await echo()
    const client = createChatClient({ baseURL: server.baseURL })
    expect(client.idempotencyKeys).toBe(true)
    await client.createConversation({ author })
    await client.createConversation({ author })
    await client.addMessages(7, [{ message: 'Hello', author }])
    await client.getConversation(7)
    await client.addMessageContext(7, [{ message: 'Earlier', author }]).catch(() => {})
    await client.updateFeedback(7, { isPositive: true }).catch(() => {})
    const [create1, create2, add, get, context, feedback] = server.requests.map(keyOf)
    expect(create1).toMatch(uuid)
    expect(create2).toMatch(uuid)
    expect(create2).not.toBe(create1)
    expect(add).toMatch(uuid)
    expect(add).not.toBe(create1)
    expect([get, context, feedback]).toEqual([undefined, undefined, undefined])
  })

  it('makes UUIDs from getRandomValues where there is no crypto.randomUUID (a page not served over https)', async () => {
    const server = await echo()
    const client = createChatClient({ baseURL: server.baseURL })
    // An own property hides the prototype's method, as an insecure page has none.
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true })
    try {
      expect(globalThis.crypto.randomUUID).toBeUndefined()
      for (let i = 0; i < 20; i++) await client.createConversation({ author })
    } finally {
      Reflect.deleteProperty(globalThis.crypto, 'randomUUID')
    }
    expect(typeof globalThis.crypto.randomUUID).toBe('function')
    const keys = server.requests.map(keyOf)
    for (const key of keys) expect(key).toMatch(uuid)
    expect(new Set(keys).size).toBe(20)
  })

  it('sends the caller’s key as given, so every try of one logical write shares it', async () => {
    const server = await echo()
    const client = createChatClient({ baseURL: server.baseURL })
    const idempotencyKey = 'my-write-1'
    await client.createConversation({ author }, { idempotencyKey })
    await client.createConversation({ author }, { idempotencyKey })
    await client.addMessages(7, [{ message: 'Hello', author }], { idempotencyKey: 'my-add-1' })
    expect(server.requests.map(keyOf)).toEqual(['my-write-1', 'my-write-1', 'my-add-1'])
  })

  it('with an accessToken (the Chat API itself), sends no key, not even the caller’s', async () => {
    const server = await echo()
    for (const accessToken of ['a-token', () => 'a-token']) {
      const client = createChatClient({ baseURL: server.baseURL, accessToken })
      expect(client.idempotencyKeys).toBe(false)
      await client.createConversation({ author }, { idempotencyKey: 'ignored' })
      await client.addMessages(7, [{ message: 'Hello', author }])
    }
    expect(server.requests).toHaveLength(4)
    for (const request of server.requests) expect(request.headers).not.toHaveProperty('idempotency-key')
  })

  it('the idempotencyKeys option overrides the default either way', async () => {
    const server = await echo()
    const off = createChatClient({ baseURL: server.baseURL, idempotencyKeys: false })
    const on = createChatClient({ baseURL: server.baseURL, accessToken: 'a-token', idempotencyKeys: true })
    expect([off.idempotencyKeys, on.idempotencyKeys]).toEqual([false, true])
    await off.createConversation({ author })
    await on.createConversation({ author })
    expect(server.requests.map(keyOf)).toEqual([undefined, expect.stringMatching(uuid)])
  })

  it('is decided per request from the token a provider holds now', async () => {
    const server = await echo()
    let token: string | undefined
    const connection = connect({ baseURL: server.baseURL }, () => token)
    expect(connection.idempotencyKeys).toBe(true)
    token = 'given-later'
    expect(connection.idempotencyKeys).toBe(false)
  })

  it('repeats the same key with the one repeat after a 401', async () => {
    const server = await serve((request, res) => {
      if (request.headers.authorization === 'Bearer old') {
        res.writeHead(401)
        res.end()
      } else envelope(res, conversation())
    })
    let token = 'old'
    const client = createChatClient({
      baseURL: server.baseURL,
      idempotencyKeys: true,
      accessToken: () => {
        const current = token
        token = 'new'
        return current
      },
    })
    await client.createConversation({ author })
    expect(server.requests).toHaveLength(2)
    expect(keyOf(server.requests[1])).toBe(keyOf(server.requests[0]))
  })

  it('refuses a key no header can carry, before anything is sent', async () => {
    const server = await echo()
    const client = createChatClient({ baseURL: server.baseURL })
    for (const idempotencyKey of ['', 'with space', 'line\nbreak', 'é', 'x'.repeat(256), 42 as never]) {
      const error = await client.createConversation({ author }, { idempotencyKey }).then(
        () => expect.unreachable('should fail'),
        (reason: ChatApiError) => reason,
      )
      expect(isChatApiError(error) && error.kind).toBe('validation')
      expect(error.issues?.[0]?.path).toBe('idempotencyKey')
    }
    expect(server.requests).toHaveLength(0)
  })
})

/**
 * The server half's idempotency protocol in miniature, in front of a tiny Chat API. Each key's
 * answer is kept, and a request with a known key gets it again (`Idempotent-Replayed: true`),
 * or HTTP 422 when its body differs. `loseAnswer(request)` picks requests whose connection is
 * destroyed before the answer, after they were processed (or their answer replayed).
 */
async function keyedApi(loseAnswer: (request: ReceivedRequest) => boolean) {
  const answers = new Map<string, { body: string; text: string }>()
  const conversations: { id: number; messages: { id: number; message: string }[] }[] = []
  let nextId = 100
  const answer = (res: ServerResponse, text: string, replayed = false) => {
    res.writeHead(200, { 'content-type': 'application/json', ...(replayed ? { 'idempotent-replayed': 'true' } : {}) })
    res.end(text)
  }
  const server = await serve((request, res) => {
    const key = request.headers['idempotency-key'] as string | undefined
    const known = key === undefined ? undefined : answers.get(key)
    if (known && known.body !== request.body) return envelope(res, null, 422)
    if (known) return loseAnswer(request) ? res.socket?.destroy() : answer(res, known.text, true)
    const url = new URL(request.url, 'http://x')
    const [, id, messages] = url.pathname.match(/^\/api\/chat\/conversations(?:\/(\d+)(\/messages)?)?$/) ?? []
    const found = conversations.find((c) => c.id === Number(id))
    let data: unknown
    if (!id && request.method === 'POST') {
      const created = conversation(conversations.length + 7)
      conversations.push({ id: created.id, messages: [] })
      data = created
    } else if (!found) return envelope(res, null, 404)
    else if (!messages) data = conversation(found.id, found.messages.length)
    else if (request.method === 'POST') {
      const sent = (JSON.parse(request.body) as { message: string }[]).map((m) => ({
        ...m,
        id: nextId++,
        author: user,
      }))
      found.messages.push(...sent)
      data = sent
    } else {
      const skip = Number(url.searchParams.get('skip') ?? 0)
      const take = Number(url.searchParams.get('take') ?? 100)
      data = [...found.messages].reverse().slice(skip, skip + take)
    }
    const text = JSON.stringify({ data, errorCode: -1, errorText: null })
    if (key !== undefined) answers.set(key, { body: request.body, text })
    if (loseAnswer(request)) res.socket?.destroy()
    else answer(res, text)
  })
  return { ...server, conversations }
}

const adds = (request: ReceivedRequest) => request.method === 'POST' && request.url.endsWith('/messages')
const creates = (request: ReceivedRequest) => request.method === 'POST' && request.url.endsWith('/conversations')

describe('behind a server that honours the keys', () => {
  it('the outbox stores a message whose answer was lost once, shows it sent within about a second, with one key', async () => {
    let lost = 0
    const api = await keyedApi((request) => adds(request) && ++lost === 1)
    api.conversations.push({ id: 7, messages: [] })
    const client = createChatClient({ baseURL: api.baseURL })
    const box = createOutbox({ client, author, storage: createMemoryStorage(), key: 'idempotent-outbox' })
    closers.push(box.destroy)
    box.setConversation(7)
    const started = Date.now()
    box.add('Only once, please')
    await vi.waitFor(() => expect(box.getSnapshot().entries[0]?.sent).toBeDefined(), { timeout: 10_000, interval: 20 })
    // The back-off's first step (1 s), far from the 30 s landing window of the look-before-resend protocol.
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(api.conversations[0]?.messages.map((m) => m.message)).toEqual(['Only once, please'])
    const sends = api.requests.filter(adds)
    expect(sends).toHaveLength(2)
    expect(keyOf(sends[0])).toMatch(uuid)
    expect(keyOf(sends[1])).toBe(keyOf(sends[0]))
    expect(sends[1]?.body).toBe(sends[0]?.body)
    expect(api.requests.filter((r) => r.method === 'GET')).toEqual([])
  })

  it('a session whose create answer was lost tries again with the same key: one conversation, the message in it once', async () => {
    let lost = 0
    const api = await keyedApi((request) => creates(request) && ++lost === 1)
    const session: ChatSessionStore = createChatSession({
      client: createChatClient({ baseURL: api.baseURL }),
      author,
      storage: createMemoryStorage(),
      pollInterval: 50,
    })
    closers.push(session.destroy)
    session.send('Hello')
    await until(
      session,
      (state) => state.messages.length === 1 && state.messages.every((m) => m.status === 'sent'),
      'the message stored',
    )
    expect(api.conversations).toHaveLength(1)
    expect(api.conversations[0]?.messages.map((m) => m.message)).toEqual(['Hello'])
    expect(session.getSnapshot().conversationId).toBe(api.conversations[0]?.id)
    const tries = api.requests.filter(creates)
    expect(tries).toHaveLength(2)
    expect(keyOf(tries[0])).toMatch(uuid)
    expect(keyOf(tries[1])).toBe(keyOf(tries[0]))
  })

  it('a session without keys still tries a create once: its failure shows', async () => {
    const api = await keyedApi(creates)
    const session = createChatSession({
      client: createChatClient({ baseURL: api.baseURL, idempotencyKeys: false }),
      author,
      storage: createMemoryStorage(),
      pollInterval: false,
    })
    closers.push(session.destroy)
    await expect(session.start()).rejects.toMatchObject({ kind: 'network' })
    expect(api.requests.filter(creates)).toHaveLength(1)
    expect(session.getSnapshot().status).toBe('error')
  })

  it('a session gives up after three tries (1 s, then 2 s apart) whose fate stays unknown, and says so', async () => {
    const api = await keyedApi(creates)
    // The back-off's waits are recorded, and cut short.
    const waits: number[] = []
    const session = createChatSession({
      client: createChatClient({ baseURL: api.baseURL }),
      author,
      storage: createMemoryStorage(),
      pollInterval: false,
      timers: {
        setTimeout: (callback, ms) => {
          waits.push(ms)
          return setTimeout(callback, 0)
        },
        clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      },
    })
    closers.push(session.destroy)
    await expect(session.start()).rejects.toMatchObject({ kind: 'network' })
    expect(session.getSnapshot().status).toBe('error')
    expect(waits).toEqual([1000, 2000])
    const tries = api.requests.filter(creates)
    expect(tries).toHaveLength(3)
    expect(new Set(tries.map(keyOf)).size).toBe(1)
    // All three were the same write: the server made one conversation.
    expect(api.conversations).toHaveLength(1)
  })
})
