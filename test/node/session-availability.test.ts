import { createChatClient, createMemoryStorage } from 'socialboards-chat-react'
import {
  ChatApiError,
  type ChatSessionOptions,
  type ChatSessionStore,
  createChatSession,
  OFFLINE_TITLE,
  type WeeklySchedule,
} from 'socialboards-chat-react/core'
import { MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createMockChatServer, type MockChatServer } from 'socialboards-chat-react/mock/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { until } from './session-until'

// #24 item 4: opening hours in the session, over real HTTP against the mock server.

const office: WeeklySchedule = {
  timeZone: 'Europe/Oslo',
  hours: { monday: [{ from: '09:00', to: '17:00' }], tuesday: [{ from: '09:00', to: '17:00' }] },
}
// Monday 2026-12-07: 16:59:30 in Oslo (CET, UTC+1) is 15:59:30Z.
const MONDAY_BEFORE_CLOSE = Date.parse('2026-12-07T15:59:30Z')
const MONDAY_NIGHT = Date.parse('2026-12-07T20:00:00Z')

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
  const session = createChatSession({ client: client(), storage: createMemoryStorage(), pollInterval: 30, ...options })
  sessions.push(session)
  return session
}
const creates = () => mock.api.requests.filter((r) => r.method === 'POST' && r.path === 'chat/conversations')

/** Timers run by hand: `advance(ms)` moves the clock and fires what is due. */
function manualTime(start: number) {
  let now = start
  let next = 0
  const due = new Map<number, { at: number; run: () => void }>()
  return {
    now: () => now,
    timers: {
      setTimeout: (run: () => void, ms: number) => {
        due.set(++next, { at: now + ms, run })
        return next
      },
      clearTimeout: (handle: unknown) => void due.delete(handle as number),
    },
    advance(ms: number) {
      const end = now + ms
      for (;;) {
        const first = [...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
        if (!first) break
        due.delete(first[0])
        now = first[1].at
        first[1].run()
      }
      now = end
    },
  }
}

describe('status and availability state', () => {
  it('is offline outside the hours and idle inside, with the next opening', () => {
    const closed = open({ availability: office, now: () => MONDAY_NIGHT })
    expect(closed.getSnapshot().status).toBe('offline')
    expect(closed.getSnapshot().availability).toEqual({
      open: false,
      nextOpening: new Date('2026-12-08T08:00:00Z'),
      repliesByEmail: false,
    })
    const inside = open({ availability: office, now: () => MONDAY_BEFORE_CLOSE })
    expect(inside.getSnapshot().status).toBe('idle')
    expect(inside.getSnapshot().availability).toEqual({ open: true, nextOpening: null, repliesByEmail: false })
    const without = open()
    expect(without.getSnapshot().availability).toEqual({ open: true, nextOpening: null, repliesByEmail: false })
  })

  it('switches to offline at the closing time by itself, without a request', () => {
    const time = manualTime(MONDAY_BEFORE_CLOSE)
    const session = open({ availability: office, now: time.now, timers: time.timers })
    expect(session.getSnapshot().status).toBe('idle')
    time.advance(29_000)
    expect(session.getSnapshot().status).toBe('idle')
    time.advance(2_000)
    expect(session.getSnapshot().status).toBe('offline')
    expect(mock.api.requests).toHaveLength(0)
  })

  it('asks a function again every minute', () => {
    const time = manualTime(MONDAY_NIGHT)
    let staffed = false
    const session = open({ availability: () => staffed, now: time.now, timers: time.timers })
    expect(session.getSnapshot().status).toBe('offline')
    staffed = true
    time.advance(60_001)
    expect(session.getSnapshot().status).toBe('idle')
  })

  it('throws a TypeError for a malformed schedule at creation, before any request', () => {
    expect(() => open({ availability: { timeZone: 'Mars/Olympus', hours: {} }, now: () => MONDAY_NIGHT })).toThrow(
      TypeError,
    )
    expect(() =>
      open({ availability: { timeZone: 'UTC', hours: { monday: [{ from: '9am', to: '17:00' }] } } }),
    ).toThrow(TypeError)
    expect(mock.api.requests).toHaveLength(0)
  })
})

describe('a message left outside opening hours', () => {
  it('without an email: a typed validation error, nothing queued, nothing sent', async () => {
    const session = open({ availability: () => false, author: { name: 'Ada' } })
    let thrown: unknown
    try {
      session.send('Are you there?')
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ChatApiError)
    expect(thrown).toMatchObject({ kind: 'validation', code: 'invalid-input' })
    expect((thrown as ChatApiError).issues).toEqual([
      expect.objectContaining({ path: 'author.email', code: 'required' }),
    ])
    expect(session.getSnapshot().messages).toEqual([])
    expect(session.getSnapshot().status).toBe('offline')
    // Let anything that would have been sent go out.
    await new Promise((resolve) => setImmediate(resolve))
    expect(mock.api.requests).toHaveLength(0)
  })

  it('with an email: the conversation is created with the message and the title, replies come by email', async () => {
    const session = open({ availability: () => false, author: { name: 'Ada' } })
    session.update({ author: { name: 'Ada', email: 'ada@example.com' } })
    session.send('Please call me back')
    const held = await until(session, (s) => s.messages[0]?.id !== undefined, 'left')
    expect(held.availability.repliesByEmail).toBe(true)
    expect(creates()).toHaveLength(1)
    expect(held.status).not.toBe('offline')
    expect(creates()[0]?.body).toMatchObject({ title: OFFLINE_TITLE })
    expect(held.messages.map((m) => m.message)).toEqual(['Please call me back'])
  })

  it('a start that failed and is tried again still says offline in its title and replies by email', async () => {
    const session = open({ availability: () => false, author: { name: 'Ada', email: 'ada@example.com' } })
    mock.api.inject({ type: 'status', status: 400, body: 'no', match: { method: 'POST' } })
    session.send('Please call me back')
    const failed = await until(session, (s) => s.messages[0]?.status === 'failed', 'the start failed')
    session.retry(failed.messages[0]?.localId as number)
    const held = await until(session, (s) => s.messages[0]?.id !== undefined, 'left')
    expect(creates().map((request) => (request.body as { title?: string }).title)).toEqual([
      OFFLINE_TITLE,
      OFFLINE_TITLE,
    ])
    expect(held.availability.repliesByEmail).toBe(true)
  })

  it("keeps the app's title", async () => {
    const session = open({
      availability: () => false,
      author: { name: 'Ada', email: 'ada@example.com' },
      conversation: { title: 'Billing' },
    })
    session.send('Invoice question')
    const held = await until(session, (s) => s.messages[0]?.id !== undefined, 'left')
    expect(held.availability.repliesByEmail).toBe(true)
    expect(creates()[0]?.body).toMatchObject({ title: 'Billing' })
  })

  it('inside opening hours nothing changes: no email needed, no title, replies not by email', async () => {
    const session = open({ availability: () => true, author: { name: 'Ada' } })
    session.send('Hi')
    const held = await until(session, (s) => s.messages[0]?.id !== undefined, 'sent')
    expect(held.availability.repliesByEmail).toBe(false)
    expect(creates()[0]?.body).not.toMatchObject({ title: OFFLINE_TITLE })
  })
})

describe('a conversation in progress', () => {
  it('keeps its status when the schedule closes', async () => {
    let staffed = true
    const session = open({ availability: () => staffed, author: { name: 'Ada', email: 'ada@example.com' } })
    session.send('Hi')
    const before = await until(session, (s) => s.status === 'queued' && s.messages[0]?.id !== undefined, 'queued')
    staffed = false
    session.markSeen() // any change re-reads the clock; the status stays
    const after = await until(session, (s) => !s.availability.open || s !== before, 'republished')
    expect(after.status).not.toBe('offline')
    expect(after.conversationId).toBe(before.conversationId)
  })
})

describe('after a reload', () => {
  const KEY = 'socialboards-chat-react:session'

  it('a conversation left outside opening hours still says replies come by email, even once the hours open', async () => {
    const storage = createMemoryStorage()
    const first = open({ storage, availability: () => false, author: { name: 'Ada', email: 'ada@example.com' } })
    first.send('Please call me back')
    const left = await until(first, (s) => s.messages[0]?.id !== undefined, 'left')
    expect(left.availability.repliesByEmail).toBe(true)
    first.destroy()
    // The page is loaded again the next morning: the schedule is open now.
    const again = open({ storage, availability: () => true, author: { name: 'Ada', email: 'ada@example.com' } })
    expect(again.getSnapshot().conversationId).toBe(left.conversationId)
    expect(again.getSnapshot().availability.repliesByEmail).toBe(true)
    const read = await until(again, (s) => s.messages[0]?.id !== undefined, 'resumed')
    expect(read.availability.repliesByEmail).toBe(true)
    expect(read.status).not.toBe('offline')
  })

  it('a conversation started inside opening hours does not, after a reload while closed', async () => {
    const storage = createMemoryStorage()
    let staffed = true
    const first = open({ storage, availability: () => staffed, author: { name: 'Ada', email: 'ada@example.com' } })
    first.send('Hi')
    const started = await until(first, (s) => s.messages[0]?.id !== undefined, 'sent')
    first.destroy()
    staffed = false
    const again = open({ storage, availability: () => staffed, author: { name: 'Ada', email: 'ada@example.com' } })
    expect(again.getSnapshot().conversationId).toBe(started.conversationId)
    expect(again.getSnapshot().availability).toMatchObject({ open: false, repliesByEmail: false })
  })

  it('reads a record stored before the flag existed (no repliesByEmail): resumed, replies not by email', async () => {
    const seed = client()
    const created = await seed.createConversation({ author: { email: 'ada@example.com' } })
    const storage = createMemoryStorage()
    storage.setItem(KEY, JSON.stringify({ conversationId: created.id, isBotEnabled: false }))
    const session = open({ storage, availability: () => false, author: { email: 'ada@example.com' } })
    expect(session.getSnapshot().conversationId).toBe(created.id)
    expect(session.getSnapshot().availability.repliesByEmail).toBe(false)
    // Garbage in the flag is not a yes.
    storage.setItem(KEY, JSON.stringify({ conversationId: created.id, isBotEnabled: false, repliesByEmail: 'yes' }))
    const other = open({ storage, availability: () => false, author: { email: 'ada@example.com' } })
    expect(other.getSnapshot().availability.repliesByEmail).toBe(false)
  })
})
