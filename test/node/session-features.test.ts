import { createChatClient, createMemoryStorage } from 'socialboards-chat-react'
import {
  type ChatMessage,
  type ChatSessionOptions,
  type ChatSessionStatus,
  type ChatSessionStorage,
  type ChatSessionStore,
  createChatSession,
  DEFAULT_SESSION_KEY,
  type PageSignal,
  pageLock,
} from 'socialboards-chat-react/core'
import { MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createMockChatServer, type MockChatServer } from 'socialboards-chat-react/mock/server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cookieJarFetch } from './cookie-jar'
import { until } from './session-until'

// What a chat UI needs from the session (#13), over real HTTP against the mock server.

const author = { name: 'Ada', email: 'ada@example.com' }

let mock: MockChatServer
let sessions: ChatSessionStore[] = []
beforeEach(async () => {
  mock = await createMockChatServer({ agent: { manual: true } })
})
afterEach(async () => {
  for (const session of sessions) session.destroy()
  sessions = []
  await mock.close()
})

const client = () => createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
function open(options: Partial<ChatSessionOptions> = {}) {
  const session = createChatSession({ client: client(), author, pollInterval: 30, ...options })
  sessions.push(session)
  return session
}
/** Once the visitor's latest message is stored, the scripted bot or agent answers it. */
async function answered(session: ChatSessionStore, count: number) {
  await until(session, (s) => s.messages.length === count - 1 && s.messages.at(-1)?.id !== undefined, 'sent')
  mock.api.runAgent()
  return until(session, (s) => s.messages.length === count, 'answered')
}
/** Every telling decided: the tabs' announce lock is free (the tabs of one page share it). */
const allTold = () => pageLock(`${DEFAULT_SESSION_KEY}:announce`, async () => {})
const requests = (method: string, suffix: string) =>
  mock.api.requests.filter((request) => request.method === method && request.path.endsWith(suffix))

describe('who wrote each message', () => {
  it('visitor, agent and bot, from the data', async () => {
    const session = open({ conversation: { isBotEnabled: true } })
    session.send('Hi bot')
    const withBot = await answered(session, 2)
    expect(withBot.messages.map((m) => m.role)).toEqual(['visitor', 'bot'])
    await session.requestHuman()
    mock.api.runAgent()
    const withAgent = await until(session, (s) => s.messages.some((m) => /I'm Anna/.test(m.message)), 'agent')
    expect(withAgent.messages.find((m) => /I'm Anna/.test(m.message))?.role).toBe('agent')
  })
})

describe('unread count and seen marks', () => {
  it('counts agent and bot messages not seen, shares the mark with other tabs, and keeps it across a reload', async () => {
    const storage = createMemoryStorage()
    const tab = open({ storage, conversation: { isBotEnabled: true } })
    tab.send('one')
    await answered(tab, 2)
    await until(tab, (s) => s.unreadCount === 1, 'the bot answer is unread')
    const other = open({ storage })
    await until(other, (s) => s.unreadCount === 1 && s.messages.length === 2, 'the other tab agrees')
    tab.markSeen()
    expect(tab.getSnapshot().unreadCount).toBe(0)
    await until(other, (s) => s.unreadCount === 0, 'seen in the other tab too')
    tab.send('two')
    await answered(tab, 4)
    await until(tab, (s) => s.unreadCount === 1, 'a new answer')
    tab.destroy()
    other.destroy()
    const reloaded = open({ storage })
    const resumed = await until(reloaded, (s) => s.messages.length === 4, 'resumed')
    expect(resumed.unreadCount).toBe(1)
  })

  it('history loaded on a resume with no seen mark counts as seen', async () => {
    const storage = createMemoryStorage()
    const first = open({ storage, conversation: { isBotEnabled: true } })
    first.send('hello')
    await answered(first, 2)
    first.destroy()
    storage.removeItem('socialboards-chat-react:session:marks')
    const second = open({ storage })
    const resumed = await until(second, (s) => s.messages.length === 2, 'resumed')
    expect(resumed.unreadCount).toBe(0)
  })
})

describe('events', () => {
  it('tells each new agent or bot message once, across tabs, and never for history on resume', async () => {
    const storage = createMemoryStorage()
    const told: string[] = []
    const onMessage = (message: ChatMessage) => told.push(message.message)
    const tab = open({ storage, conversation: { isBotEnabled: true }, onMessage })
    const other = open({ storage, onMessage })
    tab.send('first')
    await answered(tab, 2)
    await until(other, (s) => s.messages.length === 2, 'the other tab has it')
    tab.send('second')
    await answered(tab, 4)
    await until(other, (s) => s.messages.length === 4, 'the other tab has it again')
    await allTold()
    expect(told).toEqual([
      'I\'m the bot. You said "first". Ask for a human any time.',
      expect.stringContaining('"second"'),
    ])
    tab.destroy()
    other.destroy()
    const reloaded: string[] = []
    const third = open({ storage, onMessage: (message) => reloaded.push(message.message) })
    await until(third, (s) => s.messages.length === 4, 'resumed')
    third.send('third')
    await answered(third, 6)
    await allTold()
    expect(reloaded).toEqual([expect.stringContaining('"third"')])
  })

  it('tells a message once even when one tab sees the other tab’s mark late (as a browser may)', async () => {
    // Two tabs' views of one storage: a write shows in the other view 200 ms later, as writes to
    // localStorage reach another tab's process a moment later. Both tabs poll every 30 ms.
    const views = [new Map<string, string>(), new Map<string, string>()]
    const view = (mine: Map<string, string>, theirs: Map<string, string>): ChatSessionStorage => ({
      getItem: (key) => mine.get(key) ?? null,
      setItem: (key, value) => {
        mine.set(key, value)
        setTimeout(() => theirs.set(key, value), 200)
      },
      removeItem: (key) => {
        mine.delete(key)
        setTimeout(() => theirs.delete(key), 200)
      },
    })
    const [a = new Map(), b = new Map()] = views
    const told: string[] = []
    const onMessage = (message: ChatMessage) => told.push(message.message)
    const tab = open({ storage: view(a, b), conversation: { isBotEnabled: true }, onMessage })
    tab.send('first')
    await until(tab, (s) => s.messages.at(-1)?.id !== undefined, 'sent')
    await new Promise<void>((resolve) => {
      const check = () => (b.has(DEFAULT_SESSION_KEY) ? resolve() : setImmediate(check))
      check()
    })
    const listed = requests('GET', '/messages').length
    const other = open({ storage: view(b, a), onMessage })
    await until(other, (s) => s.messages.length === 1, 'the other tab resumed')
    await vi.waitFor(() => expect(requests('GET', '/messages').length).toBeGreaterThan(listed)) // its history read
    mock.api.runAgent()
    await until(tab, (s) => s.messages.length === 2, 'answered')
    await until(other, (s) => s.messages.length === 2, 'the other tab has it')
    await allTold()
    expect(told).toEqual(['I\'m the bot. You said "first". Ask for a human any time.'])
  })

  it('tells status changes, the agent joining, the close and errors', async () => {
    const statuses: [ChatSessionStatus, ChatSessionStatus][] = []
    const seen: string[] = []
    const session = open({
      onStatusChange: (status, previous) => statuses.push([status, previous]),
      onAgentJoined: () => seen.push('joined'),
      onClosed: () => seen.push('closed'),
      onError: (error) => seen.push(`error:${error.kind}`),
    })
    session.send('Hello')
    await until(session, (s) => s.status === 'queued', 'queued')
    mock.api.runAgent()
    await until(session, (s) => s.status === 'with-agent', 'agent')
    await session.close()
    await until(session, (s) => s.status === 'closed', 'closed')
    expect(statuses).toEqual([
      ['starting', 'idle'],
      ['queued', 'starting'],
      ['with-agent', 'queued'],
      ['closed', 'with-agent'],
    ])
    expect(seen).toEqual(['joined', 'closed'])
    session.reset()
    mock.api.inject({ type: 'status', status: 400, body: 'no', match: { method: 'POST' } })
    session.start().catch(() => {})
    await until(session, (s) => s.status === 'error', 'a failed start')
    expect(seen).toEqual(['joined', 'closed', 'error:http'])
  })
})

describe('the whole lifecycle', () => {
  it('requestHuman hands the bot conversation to a human; the status follows', async () => {
    const session = open({ conversation: { isBotEnabled: true } })
    await session.start()
    await until(session, (s) => s.status === 'with-bot', 'with the bot')
    await expect(session.requestHuman()).resolves.toEqual({ isAssignedToBot: false })
    expect(session.getSnapshot().status).not.toBe('with-bot')
    await until(session, (s) => s.status === 'with-agent', 'with a human')
    expect(requests('PATCH', '/takeover')).toHaveLength(1)
  })

  it('tracks pages: the first URL with the create, each later change once, nothing after the close', async () => {
    let url = 'https://shop.example/products'
    const listeners = new Set<() => void>()
    const page: PageSignal = {
      current: () => url,
      subscribe: (listener) => {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    }
    const navigate = (next: string) => {
      url = next
      for (const listener of listeners) listener()
    }
    const storage = createMemoryStorage()
    const session = open({ trackPages: true, page, storage })
    await session.start()
    const id = session.getSnapshot().conversationId as number
    expect(mock.api.conversations()[0]).toMatchObject({ id, initialPageUrl: 'https://shop.example/products' })
    navigate('https://shop.example/checkout')
    await until(session, (s) => s.conversation?.latestPageUrl === 'https://shop.example/checkout', 'tracked')
    navigate('https://shop.example/checkout')
    await session.trackPage('https://shop.example/checkout')
    expect(requests('PATCH', '/latestUrl')).toHaveLength(1)
    // A reload on the same page: the conversation already has it, nothing is sent again.
    session.destroy()
    const reloaded = open({ trackPages: true, page, storage })
    await until(reloaded, (s) => s.conversation?.id === id, 'resumed')
    expect(requests('PATCH', '/latestUrl')).toHaveLength(1)
    await reloaded.close()
    navigate('https://shop.example/thanks')
    await reloaded.trackPage('https://shop.example/thanks')
    expect(requests('PATCH', '/latestUrl')).toHaveLength(1)
  })
})

describe('scrollback', () => {
  it('loads the newest page first and older pages on request', async () => {
    const api = client()
    const visitor = await api.createConversation({ author })
    for (let index = 0; index < 130; index++) await api.addMessages(visitor.id, [{ message: `m${index}`, author }])
    const storage = createMemoryStorage()
    storage.setItem('socialboards-chat-react:session', JSON.stringify({ conversationId: visitor.id }))
    mock.api.requests.length = 0
    const session = open({ storage, pollInterval: false })
    const first = await until(session, (s) => s.messages.length === 100, 'the newest page')
    expect(first.messages[0]?.message).toBe('m30')
    expect(first.hasOlder).toBe(true)
    expect(requests('GET', '/messages')).toHaveLength(1)
    const kept = first.messages[50]
    await session.loadOlder()
    const all = session.getSnapshot()
    expect(all.messages.map((m) => m.message)).toEqual(Array.from({ length: 130 }, (_, index) => `m${index}`))
    expect(all.hasOlder).toBe(false)
    expect(all.messages.find((m) => m.key === kept?.key)).toBe(kept)
  })
})

describe('anonymous visitors', () => {
  it('get a generated customIdentifier, kept in storage and reused', async () => {
    const storage = createMemoryStorage()
    const first = open({ storage, author: { name: 'Guest' } })
    await first.start()
    const created = mock.api.conversations()[0]
    const generated = created?.author.customIdentifier
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    first.reset()
    const second = open({ storage, author: undefined })
    await second.start()
    expect(mock.api.conversations()[1]?.author.customIdentifier).toBe(generated)
  })
})

describe('behind the server half', () => {
  it('an anonymous visitor whose identifier the proxy replaced still has a lost answer recognised, never stored twice', async () => {
    const { createChatHandler, toNodeListener } = await import('socialboards-chat-react/server')
    const { createServer } = await import('node:http')
    const handler = createChatHandler({
      apiBaseURL: mock.baseURL,
      accessToken: () => MOCK_ACCESS_TOKEN,
      secret: 'a-secret-of-at-least-thirty-two-characters',
      cookie: { secure: false },
    })
    const proxy = createServer(toNodeListener(handler))
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const browserFetch = cookieJarFetch()
    try {
      const { port } = proxy.address() as { port: number }
      const session = open({
        client: createChatClient({ baseURL: `http://127.0.0.1:${port}/api/chat/`, fetch: browserFetch }),
        author: { name: 'Guest' },
        recheckDelay: 20,
        landingWindow: 400,
      })
      await session.start()
      // The message is stored upstream, and the answer is lost on the way back.
      mock.api.inject({ type: 'network', after: true, match: { method: 'POST', path: /messages$/ } })
      session.send('Only once, please')
      // Settled: nothing pending (a resend after the landing window would show a second message).
      await until(
        session,
        (s) => s.messages.length > 0 && s.messages.every((m) => m.status === 'sent' && m.localId === undefined),
        'recognised as stored, nothing left in the outbox',
      )
      const stored = mock.api.conversations()[0]?.messages ?? []
      expect(stored.map((m) => m.message)).toEqual(['Only once, please'])
      // The proxy wrote the visitor's own identifier, not the one the browser made up.
      expect(stored[0]?.author.customIdentifier).toMatch(/^visitor-/)
    } finally {
      await new Promise((resolve) => {
        proxy.closeAllConnections()
        proxy.close(resolve)
      })
    }
  })
})
