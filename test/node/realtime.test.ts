import { createServer, type Server } from 'node:http'
import { createMockChatServer, type MockChatServer } from 'socialboards-chat-react/mock/server'
import {
  type ChatHandlerOptions,
  createChatHandler,
  type EventBus,
  hintOf,
  parseWebhook,
  toNodeListener,
  WebhookParseError,
} from 'socialboards-chat-react/server'
import { createRedisEventBus } from 'socialboards-chat-react/server/redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { listenOn } from './http-server'
import { type RedisServer, startRedisServer } from './redis-server'

// Webhooks in, Server-Sent Events out, against real servers: the handler on node:http, the mock
// Chat API on a real port, and a real redis-server for the bus shared by two instances.

const SECRET = 'realtime-test-secret-0123456789abcdef'
const VERIFY = 'verify-token-for-tests'

let closers: (() => Promise<unknown> | unknown)[] = []
afterEach(async () => {
  for (const close of closers.reverse()) await close()
  closers = []
})

const listen = (server: Server) => listenOn(server, closers)

async function instance(mock: MockChatServer, options: Partial<ChatHandlerOptions> = {}) {
  const handler = createChatHandler({
    apiBaseURL: mock.baseURL,
    accessToken: () => 'mock-access-token',
    secret: SECRET,
    cookie: { secure: false },
    webhook: { verifyToken: VERIFY, path: 'hooks/s3cr3t' },
    ...options,
  })
  const port = await listen(createServer(toNodeListener(handler)))
  return { base: `http://127.0.0.1:${port}/api/chat/`, origin: `http://127.0.0.1:${port}` }
}

async function upstream() {
  const mock = await createMockChatServer()
  closers.push(() => mock.close())
  return mock
}

/** A visitor with a conversation of their own: the cookie and the id. */
async function visitorWithConversation(base: string) {
  const response = await fetch(`${base}chat/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author: { name: 'Ada', email: 'ada@example.com' } }),
  })
  const cookie = (response.headers.getSetCookie()[0] ?? '').split(';')[0] as string
  const { data } = (await response.json()) as { data: { id: number } }
  return { cookie, id: data.id }
}

/** An open event stream, read as text; `until` waits for what it needs, never for a fixed time. */
async function openStream(url: string, headers: Record<string, string>) {
  const abort = new AbortController()
  const response = await fetch(url, { headers, signal: abort.signal })
  closers.push(() => abort.abort())
  const reader = response.body?.getReader()
  let text = ''
  let ended = false
  const decoder = new TextDecoder()
  return {
    response,
    get text() {
      return text
    },
    get ended() {
      return ended
    },
    async until(condition: (text: string) => boolean, what: string, timeout = 10_000) {
      const deadline = Date.now() + timeout
      while (!condition(text)) {
        if (ended) throw new Error(`the stream ended while waiting for ${what}:\n${text}`)
        const left = deadline - Date.now()
        if (left <= 0 || !reader) throw new Error(`still waiting for ${what}:\n${text}`)
        let timer: ReturnType<typeof setTimeout> | undefined
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`still waiting for ${what}:\n${text}`)), left)
          }),
        ]).finally(() => clearTimeout(timer))
        if (chunk.done) ended = true
        else text += decoder.decode(chunk.value, { stream: true })
      }
      return text
    },
    close: () => abort.abort(),
  }
}

const webhook = (origin: string, body: unknown) =>
  fetch(`${origin}/api/chat/hooks/s3cr3t`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
const payload = (type: string, conversationId: number, extra: object = {}) => ({
  CommunityName: 'yourCompanyName',
  EventType: type,
  Events: [{ ConversationId: conversationId, EventTime: '2023-10-25T13:39:57.2844587+03:00', ...extra }],
  TicketId: conversationId,
})
const ids = (text: string) => [...text.matchAll(/^id: (.+)$/gm)].map((match) => match[1] as string)

describe('hintOf', () => {
  it('turns a chat event (a webhook’s, or the mock’s onEvent) into the hint streams carry; a create into none', () => {
    expect(hintOf({ type: 'conversation_message_added', conversationId: 4 })).toEqual({
      conversationId: 4,
      kind: 'message',
    })
    expect(hintOf({ type: 'conversation_takeover_state_changed', conversationId: 4 })?.kind).toBe('takeover')
    expect(hintOf({ type: 'conversation_closed', conversationId: 4 })?.kind).toBe('closed')
    expect(hintOf({ type: 'conversation_created', conversationId: 4 })).toBeNull()
  })
})

describe('parseWebhook', () => {
  it('reads the documented payload into typed camelCase events', () => {
    expect(
      parseWebhook({
        CommunityName: 'yourCompanyName',
        EventType: 'conversation_created',
        Events: [{ ConversationId: 2555100, Conversation: { Id: 2555100 }, EventTime: '2023-10-25T13:39:57+03:00' }],
        TicketId: 2555100,
      }),
    ).toEqual([
      {
        type: 'conversation_created',
        communityName: 'yourCompanyName',
        conversationId: 2555100,
        eventTime: '2023-10-25T13:39:57+03:00',
      },
    ])
    // The other events' payloads are not documented: the conversation is the TicketId then.
    expect(parseWebhook({ EventType: 'conversation_closed', Events: [{}], TicketId: 7 })[0]).toMatchObject({
      type: 'conversation_closed',
      conversationId: 7,
    })
  })

  it('ignores unknown event types and refuses what is not a payload', () => {
    expect(parseWebhook({ EventType: 'ticket_created', Events: [{ TicketId: 1 }], TicketId: 1 })).toEqual([])
    for (const body of [null, [], 'x', { EventType: 'conversation_closed' }, { Events: [] }])
      expect(() => parseWebhook(body)).toThrow(WebhookParseError)
  })
})

describe('webhooks in', () => {
  it('answers the verification handshake only for the right token', async () => {
    const { origin } = await instance(await upstream())
    const good = await fetch(`${origin}/api/chat/hooks/s3cr3t?challenge=2135675231&verifyToken=${VERIFY}`)
    expect([good.status, await good.text()]).toEqual([200, '2135675231'])
    const bad = await fetch(`${origin}/api/chat/hooks/s3cr3t?challenge=2135675231&verifyToken=nope`)
    expect(bad.status).toBe(403)
    expect(await bad.text()).not.toContain('2135675231')
    // Without the secret path segment there is no webhook endpoint at all.
    expect((await fetch(`${origin}/api/chat/webhooks?challenge=1&verifyToken=${VERIFY}`)).status).toBe(404)
  })

  it('refuses malformed bodies with 400, and calls nothing upstream', async () => {
    const mock = await upstream()
    const { origin } = await instance(mock)
    expect((await webhook(origin, { nope: true })).status).toBe(400)
    const bad = await fetch(`${origin}/api/chat/hooks/s3cr3t`, { method: 'POST', body: '{' })
    expect(bad.status).toBe(400)
    expect((await webhook(origin, payload('conversation_message_added', 254626))).status).toBe(200)
    expect(mock.api.requests).toHaveLength(0)
  })
})

describe('Server-Sent Events out', () => {
  it('streams a hint per event to the visitor who owns the conversation, and nothing of its content', async () => {
    const mock = await upstream()
    const { base, origin } = await instance(mock)
    const ada = await visitorWithConversation(base)
    const bob = await visitorWithConversation(base)
    const stream = await openStream(`${base}chat/conversations/${ada.id}/events`, { cookie: ada.cookie })
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    await stream.until((text) => text.startsWith('retry: '), 'the retry hint first')
    const bobs = await openStream(`${base}chat/conversations/${bob.id}/events`, { cookie: bob.cookie })
    await bobs.until((text) => text.startsWith('retry: '), "bob's stream")

    const before = mock.api.requests.length
    await webhook(origin, payload('conversation_message_added', ada.id, { Message: { Message: 'private words' } }))
    await webhook(origin, payload('conversation_takeover_state_changed', ada.id))
    await webhook(origin, payload('conversation_message_added', bob.id))
    const text = await stream.until((t) => t.includes('event: takeover'), 'both hints')
    expect(text).toMatch(
      new RegExp(
        `id: \\d{16}-\\d{16}\\nevent: message\\ndata: \\{"conversationId":${ada.id},"kind":"message"\\}\\n\\n`,
      ),
    )
    expect(text).not.toContain('private words')
    // Bob's stream got his own hint only.
    const bobText = await bobs.until((t) => t.includes('event: message'), "bob's hint")
    expect(bobText).toContain(`"conversationId":${bob.id}`)
    expect(bobText).not.toContain(`"conversationId":${ada.id}`)
    expect(mock.api.requests.length).toBe(before)
  })

  it("refuses a stream without the cookie, or of someone else's conversation", async () => {
    const { base } = await instance(await upstream())
    const ada = await visitorWithConversation(base)
    const bob = await visitorWithConversation(base)
    expect((await fetch(`${base}chat/conversations/${ada.id}/events`)).status).toBe(403)
    expect(
      (await fetch(`${base}chat/conversations/${ada.id}/events`, { headers: { cookie: bob.cookie } })).status,
    ).toBe(403)
  })

  it('replays what a reconnecting stream missed (Last-Event-ID), and ends after closed', async () => {
    const { base, origin } = await instance(await upstream())
    const ada = await visitorWithConversation(base)
    const url = `${base}chat/conversations/${ada.id}/events`
    const first = await openStream(url, { cookie: ada.cookie })
    await first.until((t) => t.startsWith('retry: '), 'open')
    await webhook(origin, payload('conversation_message_added', ada.id))
    const [seen] = ids(await first.until((t) => ids(t).length === 1, 'the first hint'))
    first.close()
    await webhook(origin, payload('conversation_message_added', ada.id))
    await webhook(origin, payload('conversation_closed', ada.id))
    // A client that reopens the stream itself passes the id in the query (an EventSource cannot set headers).
    const again = await openStream(`${url}?lastEventId=${seen}`, { cookie: ada.cookie })
    const text = await again.until((t) => t.includes('event: closed'), 'the missed hints')
    expect(text.match(/^event: .+$/gm)).toEqual(['event: message', 'event: closed'])
    expect(ids(text).every((id) => id > (seen as string))).toBe(true)
    await again.until(() => again.ended, 'the end after closed')
    expect(again.ended).toBe(true)
  })

  it('sends heartbeat comments, and caps the streams one visitor holds open', async () => {
    const { base } = await instance(await upstream(), { stream: { heartbeatMs: 30, perVisitor: 1 } })
    const ada = await visitorWithConversation(base)
    const url = `${base}chat/conversations/${ada.id}/events`
    const stream = await openStream(url, { cookie: ada.cookie })
    await stream.until((t) => t.includes(': heartbeat\n\n'), 'a heartbeat')
    const second = await fetch(url, { headers: { cookie: ada.cookie } })
    expect(second.status).toBe(429)
    stream.close()
  })
})

describe('fan-out on Redis', () => {
  let redis: RedisServer | undefined
  let url = ''
  beforeAll(async () => {
    redis = await startRedisServer()
    url = redis.url
  }, 20_000)
  afterAll(async () => {
    await redis?.stop()
  })

  it('a webhook received by one instance reaches a stream held by another', async () => {
    const mock = await upstream()
    const buses: EventBus[] = [
      await createRedisEventBus({ url, prefix: 'test-a' }),
      await createRedisEventBus({ url, prefix: 'test-a' }),
    ]
    closers.push(() => Promise.all(buses.map((bus) => bus.close())))
    const one = await instance(mock, { events: buses[0] })
    const two = await instance(mock, { events: buses[1] })
    const ada = await visitorWithConversation(one.base) // the cookie holds on both: same secret
    const stream = await openStream(`${two.base}chat/conversations/${ada.id}/events`, { cookie: ada.cookie })
    await stream.until((t) => t.startsWith('retry: '), 'open on instance two')
    await webhook(one.origin, payload('conversation_message_added', ada.id))
    await stream.until((t) => t.includes('event: message'), 'the hint, through Redis')

    // Replay across instances: ids come from one epoch and counter in Redis.
    const [seen] = ids(stream.text)
    stream.close()
    await webhook(two.origin, payload('conversation_takeover_state_changed', ada.id))
    const again = await openStream(`${one.base}chat/conversations/${ada.id}/events`, {
      cookie: ada.cookie,
      'last-event-id': seen as string,
    })
    const text = await again.until((t) => t.includes('event: takeover'), 'the missed hint, from Redis')
    expect(text.match(/^event: .+$/gm)).toEqual(['event: takeover'])
  })
})
