import { createServer } from 'node:http'
import {
  createChatClient,
  createChatSession,
  IDLE_POLL_INTERVAL,
  type RealtimeConnector,
  type RealtimeHint,
  SAFETY_NET_INTERVAL,
  type Timers,
} from 'socialboards-chat-react/core'
import { MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createMockChatServer, type MockChatServer } from 'socialboards-chat-react/mock/server'
import { createChatHandler, toNodeListener } from 'socialboards-chat-react/server'
import { afterEach, describe, expect, it } from 'vitest'
import { cookieJarFetch } from './cookie-jar'
import { listenOn } from './http-server'
import { until } from './session-until'

const author = { name: 'Ada', email: 'ada@example.com' }
let closers: (() => unknown)[] = []
afterEach(async () => {
  for (const close of closers.reverse()) await close()
  closers = []
})

/** Timers the test fires by hand: the session's polling decisions, seen and driven deterministically. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>()
  let next = 0
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      pending.set(++next, { callback, ms })
      return next
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  }
  return {
    timers,
    /** The delays of the polls now waiting. */
    delays: () => [...pending.values()].map((timer) => timer.ms),
    /** Fires every timer waiting now. */
    fire: () => {
      const due = [...pending.entries()]
      for (const [handle, timer] of due) {
        pending.delete(handle)
        timer.callback()
      }
    },
  }
}

/** A connector the test drives: open, fail, and push hints. */
function scriptedConnector() {
  const state = { connected: [] as number[], closed: 0 }
  let handlers: Parameters<RealtimeConnector['connect']>[1] | undefined
  const connector: RealtimeConnector = {
    connect(id, next) {
      state.connected.push(id)
      handlers = next
      return () => {
        state.closed++
      }
    },
  }
  return {
    connector,
    state,
    open: () => handlers?.onOpen(),
    fail: () => handlers?.onError(),
    hint: (kind: RealtimeHint) => handlers?.onHint(kind),
  }
}

async function mockServer(): Promise<MockChatServer> {
  const mock = await createMockChatServer({ agent: { manual: true } })
  closers.push(() => mock.close())
  return mock
}

describe('a session with a realtime stream', () => {
  it('refreshes at once on a hint, polls only as a safety net while the stream is healthy, and closes it when done', async () => {
    const mock = await mockServer()
    const clock = manualTimers()
    const stream = scriptedConnector()
    const session = createChatSession({
      client: createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN }),
      author,
      pollInterval: 4000,
      realtime: stream.connector,
      timers: clock.timers,
      visibility: { isVisible: () => true, subscribe: () => () => {} },
    })
    closers.push(() => session.destroy())
    await session.start()
    clock.fire() // the first read
    await until(session, (s) => s.status === 'queued', 'queued')
    await expect.poll(() => stream.state.connected).toEqual([254626])
    expect(clock.delays()).toEqual([4000])

    stream.open()
    clock.fire()
    await expect.poll(() => clock.delays()).toEqual([SAFETY_NET_INTERVAL])

    mock.api.runAgent() // the agent joins and greets; the webhook tells the stream
    stream.hint('message')
    expect(clock.delays()).toEqual([0])
    clock.fire()
    const joined = await until(session, (s) => s.status === 'with-agent' && s.messages.length === 1, 'agent joined')
    expect(joined.messages[0]?.message).toMatch(/I'm Anna/)

    // A hint while a poll is on its way is not dropped: one more refresh follows at once.
    stream.hint('takeover')
    clock.fire() // the poll starts and is in flight…
    stream.hint('message')
    clock.fire() // …when the hint's refresh is due
    await expect.poll(() => clock.delays()).toEqual([0])
    clock.fire()
    await expect.poll(() => clock.delays()).toEqual([SAFETY_NET_INTERVAL])

    stream.fail() // the stream broke: normal polling until it is back
    await expect.poll(() => clock.delays()).toEqual([4000])

    await session.close()
    expect(stream.state.closed).toBe(1)
  })

  it('polls slower when nothing happens, and at the fast pace again when the visitor writes', async () => {
    const mock = await mockServer()
    const clock = manualTimers()
    let now = Date.parse('2026-11-27T10:00:00Z')
    const session = createChatSession({
      client: createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN }),
      author,
      pollInterval: 4000,
      timers: clock.timers,
      now: () => now,
      visibility: { isVisible: () => true, subscribe: () => () => {} },
    })
    closers.push(() => session.destroy())
    await session.start()
    clock.fire()
    await until(session, (s) => s.status === 'queued', 'queued')
    await expect.poll(() => clock.delays()).toEqual([4000])
    now += 61_000 // a quiet minute
    clock.fire()
    await expect.poll(() => clock.delays()).toEqual([IDLE_POLL_INTERVAL])
    session.send('Still there?')
    expect(clock.delays()).toContain(4000)
  })
})

describe('realtime end to end in Node: webhook → handler → event stream → session', () => {
  it('shows an agent reply as soon as the webhook arrives, with polling all but off', async () => {
    const mock = await mockServer()
    const handler = createChatHandler({
      apiBaseURL: mock.baseURL,
      accessToken: () => MOCK_ACCESS_TOKEN,
      secret: 'realtime-session-secret-0123456789abcdef',
      cookie: { secure: false },
      webhook: { verifyToken: 'verify' },
    })
    const server = createServer(toNodeListener(handler))
    const port = await listenOn(server, closers)
    const origin = `http://127.0.0.1:${port}`
    const withCookie = cookieJarFetch()
    // EventSource is a browser API; in Node, a small reader of the same stream stands in for it.
    const sseOverFetch: RealtimeConnector = {
      connect(id, { onHint, onOpen, onError }) {
        const abort = new AbortController()
        withCookie(`${origin}/api/chat/chat/conversations/${id}/events`, { signal: abort.signal })
          .then(async (response) => {
            if (!response.ok || !response.body) return onError()
            onOpen()
            const decoder = new TextDecoder()
            let buffer = ''
            const reader = response.body.getReader()
            for (;;) {
              const { done, value } = await reader.read()
              if (done) break
              buffer += decoder.decode(value, { stream: true })
              for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
                const kind = /^event: (\w+)$/m.exec(buffer.slice(0, end))?.[1]
                buffer = buffer.slice(end + 2)
                if (kind === 'message' || kind === 'takeover' || kind === 'closed') onHint(kind)
              }
            }
          })
          .catch(() => onError())
        return () => abort.abort()
      },
    }
    const session = createChatSession({
      client: createChatClient({ baseURL: `${origin}/api/chat/`, fetch: withCookie }),
      author,
      pollInterval: 60_000, // without the stream, a reply would wait a minute
      realtime: sseOverFetch,
      visibility: { isVisible: () => true, subscribe: () => () => {} },
    })
    closers.push(() => session.destroy())
    session.send('Is my parcel on its way?')
    const sent = await until(session, (s) => s.messages[0]?.status === 'sent', 'sent')
    mock.api.runAgent()
    const before = Date.now()
    await fetch(`${origin}/api/chat/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        CommunityName: 'shop',
        EventType: 'conversation_message_added',
        Events: [{ ConversationId: sent.conversationId }],
        TicketId: sent.conversationId,
      }),
    })
    const replied = await until(
      session,
      (s) => s.status === 'with-agent' && s.messages.some((m) => /I'm Anna/.test(m.message)),
      'the reply, and the status with it',
    )
    expect(replied.conversation?.queuePositionInfo?.position).toBe(-1)
    expect(Date.now() - before).toBeLessThan(10_000)
  })
})
