import { act, renderHook, waitFor } from '@testing-library/react'
import { renderToString } from 'react-dom/server'
import {
  ChatApiProvider,
  type ChatSessionStorage,
  createChatClient,
  createMemoryStorage,
  type UseChatSessionOptions,
  useChatSession,
  useMyConversations,
} from 'socialboards-chat-react'
import { createMockChatApi } from 'socialboards-chat-react/mock'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { behindHandler } from './support/behind-handler'
import { api, baseURL, server, token } from './support/mock-server'
import { providerWrapper } from './support/render'

const author = { name: 'Ada', email: 'ada@example.com' }
const key = 'socialboards-chat-react:session'

/** One browser tab: its own QueryClient, the given storage. */
function tab(storage: ChatSessionStorage, options: Partial<UseChatSessionOptions> = {}) {
  const { wrapper } = providerWrapper()
  return renderHook(() => useChatSession({ author, storage, pollInterval: 50, ...options }), { wrapper })
}

describe('useChatSession', () => {
  it('starts a conversation, keeps only its id (and a digest of who started it), and reports the queue', async () => {
    const storage = createMemoryStorage()
    const { result } = tab(storage)
    await waitFor(() => expect(result.current.status).toBe('idle'))
    await act(() => result.current.start({ title: 'Billing' }))
    await waitFor(() => expect(result.current.status).toBe('queued'))
    expect(result.current.queue).toEqual({ position: 1, waitTime: 3, isWithAgent: false })
    const id = result.current.conversationId
    const saved = JSON.parse(storage.getItem(key) ?? '')
    expect(saved).toEqual({
      conversationId: id,
      isBotEnabled: false,
      clockOffset: expect.any(Number),
      visitor: expect.stringMatching(/^[0-9a-f]{8}$/),
    })
    expect(storage.getItem(key)).not.toContain(token)
    expect(storage.getItem(key), 'no identifier of the visitor in clear').not.toContain('@')
  })

  it('starts the conversation first when the visitor writes before it exists, then sends in order', async () => {
    const { result } = tab(createMemoryStorage())
    await waitFor(() => expect(result.current.status).toBe('idle'))
    act(() => {
      result.current.send('Hello')
      result.current.send('Is anyone there?')
    })
    expect(result.current.status).toBe('starting')
    expect(result.current.messages.map((m) => `${m.message}:${m.status}`)).toEqual([
      'Hello:pending',
      'Is anyone there?:pending',
    ])
    await waitFor(() =>
      expect(result.current.messages.map((m) => `${m.message}:${m.status}`)).toEqual([
        'Hello:sent',
        'Is anyone there?:sent',
      ]),
    )
    expect(api.conversations()).toHaveLength(1)
    expect(api.conversations()[0]?.messages?.map((m) => m.message)).toEqual(['Hello', 'Is anyone there?'])
  })

  it('resumes the conversation and its history after a reload', async () => {
    const storage = createMemoryStorage()
    const first = tab(storage)
    await act(() => first.result.current.start())
    act(() => first.result.current.send('Before the reload'))
    await waitFor(() => expect(first.result.current.messages[0]?.status).toBe('sent'))
    const id = first.result.current.conversationId
    first.unmount()

    const reloaded = tab(storage)
    await waitFor(() => expect(reloaded.result.current.status).toBe('queued'))
    expect(reloaded.result.current.conversationId).toBe(id)
    await waitFor(() => expect(reloaded.result.current.messages.map((m) => m.message)).toEqual(['Before the reload']))
    expect(api.conversations()).toHaveLength(1)
  })

  it('lets go of a stored conversation that was closed, with the reason', async () => {
    const client = createChatClient({ baseURL, accessToken: token })
    const closed = await client.createConversation({ author })
    await client.closeConversation(closed.id)
    const storage = createMemoryStorage()
    storage.setItem(key, JSON.stringify({ conversationId: closed.id, isBotEnabled: false }))
    const { result } = tab(storage)
    await waitFor(() => expect(result.current.endReason).toEqual({ kind: 'closed', conversationId: closed.id }))
    expect(result.current.status).toBe('idle')
    expect(storage.getItem(key)).toBeNull()
  })

  it('lets go of a stored conversation the server no longer has', async () => {
    const storage = createMemoryStorage()
    storage.setItem(key, JSON.stringify({ conversationId: 999_999, isBotEnabled: false }))
    const { result } = tab(storage)
    await waitFor(() => expect(result.current.endReason?.kind).toBe('missing'))
    expect(result.current.endReason?.error?.status).toBe(404)
    expect(result.current.status).toBe('idle')
    expect(storage.getItem(key)).toBeNull()
  })

  it('ignores stored values that are not a conversation id', async () => {
    const storage = createMemoryStorage()
    storage.setItem(key, '{"conversationId":"254626"}')
    const { result } = tab(storage)
    await waitFor(() => expect(result.current.status).toBe('idle'))
    expect(api.requests).toHaveLength(0)
  })

  it('shares one conversation between two tabs that start at once', async () => {
    api.setLatency(60)
    const storage = createMemoryStorage()
    const one = tab(storage)
    const two = tab(storage)
    await act(() => Promise.all([one.result.current.start(), two.result.current.start()]))
    await waitFor(() => expect(two.result.current.conversationId).toBe(one.result.current.conversationId))
    expect(api.conversations()).toHaveLength(1)
  })

  it('joins the conversation another tab started', async () => {
    const storage = createMemoryStorage()
    const one = tab(storage)
    const two = tab(storage)
    await act(() => one.result.current.start())
    await waitFor(() => expect(two.result.current.conversationId).toBe(one.result.current.conversationId))
    await waitFor(() => expect(two.result.current.status).toBe('queued'))
  })

  it('follows the conversation to an agent, feedback and close, then resets', async () => {
    let now = Date.parse('2026-03-01T09:00:00Z')
    const mock = createMockChatApi({ agent: { queueStepMs: 1000, replyAfterMs: 100 }, now: () => new Date(now) })
    server.use(...mock.handlers)
    const storage = createMemoryStorage()
    const { result } = tab(storage)
    await act(() => result.current.start())
    await waitFor(() => expect(result.current.status).toBe('queued'))
    now += 1000
    await waitFor(() => expect(result.current.status).toBe('with-agent'))
    await waitFor(() => expect(result.current.messages[0]?.message).toMatch(/I'm Anna/))

    await act(() => result.current.leaveFeedback({ isPositive: true }))
    await act(() => result.current.close())
    await waitFor(() => expect(result.current.status).toBe('closed'))
    expect(mock.conversations()[0]).toMatchObject({ isClosed: true, feedback: { isPositive: true } })

    act(() => result.current.reset())
    await waitFor(() => expect(result.current.status).toBe('idle'))
    expect(storage.getItem(key)).toBeNull()
  })

  it('is with the bot until a human takes over', async () => {
    const mock = createMockChatApi({ agent: { queueStepMs: 1000, replyAfterMs: 10 } })
    server.use(...mock.handlers)
    const { result } = tab(createMemoryStorage(), { conversation: { isBotEnabled: true } })
    await act(() => result.current.start())
    await waitFor(() => expect(result.current.status).toBe('with-bot'))
  })

  it('keeps one session when the storage and author are written inline', async () => {
    let renders = 0
    const { wrapper } = providerWrapper()
    const { result } = renderHook(
      () => {
        renders++
        return useChatSession({ author: { ...author }, storage: createMemoryStorage(), pollInterval: 50 })
      },
      { wrapper },
    )
    await act(() => result.current.start())
    await waitFor(() => expect(result.current.status).toBe('queued'))
    expect(renders).toBeLessThan(30)
    expect(api.conversations()).toHaveLength(1)
  })

  it('reads no storage during a server render', () => {
    const storage = { ...createMemoryStorage(), getItem: vi.fn(() => null) }
    function Widget() {
      return <p>{useChatSession({ author, storage }).status}</p>
    }
    const html = renderToString(
      <ChatApiProvider baseURL={baseURL} accessToken={token}>
        <Widget />
      </ChatApiProvider>,
    )
    expect(html).toBe('<p>idle</p>')
    expect(storage.getItem).not.toHaveBeenCalled()
  })
})

describe('useChatSession keeps what it cannot be sure of', () => {
  it('keeps a stored conversation through an ambiguous error, and resumes it when the server answers', async () => {
    const client = createChatClient({ baseURL, accessToken: token })
    const kept = await client.createConversation({ author })
    const storage = createMemoryStorage()
    storage.setItem(key, JSON.stringify({ conversationId: kept.id, isBotEnabled: false }))
    api.inject({ type: 'envelope', errorCode: 5, errorText: 'Try later', match: { method: 'GET' } })
    api.inject({ type: 'status', status: 503, match: { method: 'GET' } })
    const { result } = tab(storage)
    await waitFor(() => expect(result.current.status).toBe('queued'))
    expect(result.current.conversationId).toBe(kept.id)
    expect(result.current.endReason).toBeNull()
    expect(JSON.parse(storage.getItem(key) ?? '{}').conversationId).toBe(kept.id)
  })

  it('sends a message the storage refused to keep, and says the storage failed', async () => {
    const storage = createMemoryStorage()
    const full: ChatSessionStorage = {
      ...storage,
      setItem: (name, value) => {
        if (name.endsWith(':outbox')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
        storage.setItem(name, value)
      },
    }
    const { result } = tab(full)
    await waitFor(() => expect(result.current.status).toBe('idle'))
    expect(() => act(() => result.current.send('x'.repeat(100_000)))).not.toThrow()
    await waitFor(() => expect(result.current.persistError?.name).toBe('QuotaExceededError'))
    await waitFor(() => expect(result.current.messages.map((m) => m.status)).toEqual(['sent']))
    expect(api.conversations()[0]?.messages?.[0]?.message).toHaveLength(100_000)
  })
})

describe('useChatSession offline', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('sends while navigator.onLine says offline: only the offline event stops it (browsers report false negatives)', async () => {
    const spy = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    try {
      const { result } = tab(createMemoryStorage())
      act(() => result.current.send('Sent anyway'))
      await waitFor(() => expect(result.current.messages.map((m) => m.status)).toEqual(['sent']))
    } finally {
      spy.mockRestore()
    }
  })

  it('holds messages written offline and sends them, in order, when the network is back', async () => {
    // The browser's own signal (no option given): the window's offline and online events.
    const setOnline = (value: boolean) => window.dispatchEvent(new Event(value ? 'online' : 'offline'))
    // Fake time that also flows by itself: "nothing is sent while offline" is checked across minutes.
    vi.useFakeTimers({
      shouldAdvanceTime: true,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    })
    const { result } = tab(createMemoryStorage())
    await act(() => result.current.start())
    await waitFor(() => expect(result.current.status).toBe('queued'))
    api.requests.length = 0
    act(() => setOnline(false))
    try {
      act(() => {
        result.current.send('Written offline')
        result.current.send('Also offline')
      })
      await waitFor(() => expect(result.current.messages.map((m) => m.status)).toEqual(['pending', 'pending']))
      await act(() => vi.advanceTimersByTimeAsync(5 * 60_000)) // past every back-off and recheck
      expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0)
    } finally {
      act(() => setOnline(true))
    }
    await waitFor(() =>
      expect(result.current.messages.map((m) => `${m.message}:${m.status}`)).toEqual([
        'Written offline:sent',
        'Also offline:sent',
      ]),
    )
    expect(api.conversations()[0]?.messages?.map((m) => m.message)).toEqual(['Written offline', 'Also offline'])
  })
})

describe('useChatSession refusals', () => {
  it('marks a refused message failed, sends the rest, and retries or discards it on request', async () => {
    const { result } = tab(createMemoryStorage())
    await act(() => result.current.start())
    await waitFor(() => expect(result.current.status).toBe('queued'))
    api.inject({ type: 'envelope', errorCode: 77, errorText: 'Rejected', match: { method: 'POST', path: /messages$/ } })
    act(() => result.current.send('Refused once'))
    act(() => result.current.send('Goes through'))
    await waitFor(() =>
      expect(result.current.messages.map((m) => `${m.message}:${m.status}`)).toEqual([
        'Goes through:sent',
        'Refused once:failed',
      ]),
    )
    const failed = result.current.messages.find((m) => m.status === 'failed')
    act(() => result.current.retry(failed?.localId as number))
    await waitFor(() =>
      expect(result.current.messages.map((m) => `${m.message}:${m.status}`)).toEqual([
        'Goes through:sent',
        'Refused once:sent',
      ]),
    )
    expect(api.conversations()[0]?.messages?.map((m) => m.message)).toEqual(['Goes through', 'Refused once'])
  })

  it('keeps what was waiting for a stored conversation that has ended, failed with the reason', async () => {
    const client = createChatClient({ baseURL, accessToken: token })
    const closed = await client.createConversation({ author })
    await client.closeConversation(closed.id)
    const storage = createMemoryStorage()
    storage.setItem(key, JSON.stringify({ conversationId: closed.id, isBotEnabled: false }))
    storage.setItem(
      `${key}:outbox`,
      JSON.stringify([{ localId: 1, message: 'Too late', creationTime: new Date().toISOString(), uncertain: true }]),
    )
    const { result } = tab(storage)
    await waitFor(() => expect(result.current.endReason?.kind).toBe('closed'))
    await waitFor(() =>
      expect(result.current.messages).toMatchObject([{ message: 'Too late', status: 'failed', localId: 1 }]),
    )
    expect(result.current.status).toBe('idle')
    expect(closed.id).toBe(api.conversations()[0]?.id)
    expect(api.conversations()[0]?.messages).toEqual([])

    // Sent again on request, it starts a new conversation rather than being lost.
    act(() => result.current.retry(1))
    await waitFor(() => expect(result.current.messages).toMatchObject([{ message: 'Too late', status: 'sent' }]))
    expect(api.conversations()).toHaveLength(2)
    expect(api.conversations()[1]?.messages?.map((m) => m.message)).toEqual(['Too late'])
  })

  it('gives the chat UI its events, unread count and a way to a human, with the latest inline callbacks', async () => {
    const mock = createMockChatApi({ agent: { manual: true } })
    server.use(...mock.handlers)
    const told: string[] = []
    const { wrapper } = providerWrapper()
    let label = 'first render'
    const { result, rerender } = renderHook(
      () =>
        useChatSession({
          storage: createMemoryStorage(),
          pollInterval: 30,
          conversation: { isBotEnabled: true },
          onMessage: (message) => told.push(`${label}: ${message.role}`),
          onAgentJoined: () => told.push(`${label}: joined`),
        }),
      { wrapper },
    )
    act(() => result.current.send('Hello'))
    await waitFor(() => expect(result.current.messages[0]?.status).toBe('sent'))
    label = 'later render'
    rerender()
    mock.runAgent()
    await waitFor(() => expect(result.current.unreadCount).toBe(1))
    expect(told).toEqual(['later render: bot'])
    // Anonymous: the generated identifier is the conversation's author.
    expect(mock.conversations()[0]?.author.customIdentifier).toMatch(/^[0-9a-f-]{36}$/)
    expect(result.current.messages.map((m) => m.role)).toEqual(['visitor', 'bot'])
    act(() => result.current.markSeen())
    expect(result.current.unreadCount).toBe(0)
    await act(() => result.current.requestHuman())
    await waitFor(() => expect(result.current.status).toBe('with-agent'))
    // The agent's greeting is news too.
    await waitFor(() => expect(told).toEqual(['later render: bot', 'later render: joined', 'later render: agent']))
  })
})

describe('useChatSession behind the server half', () => {
  it('signOut forgets the visitor on the server half and resets what the app’s queries cached of them', async () => {
    const { wrapper, seen } = behindHandler()
    const { result } = renderHook(
      () => ({
        chat: useChatSession({ author, storage: createMemoryStorage(), pollInterval: false }),
        mine: useMyConversations(),
      }),
      { wrapper },
    )
    await waitFor(() => expect(result.current.mine.data).toEqual([]))
    await act(() => result.current.chat.start())
    const id = result.current.chat.conversationId
    await act(() => result.current.mine.refetch())
    await waitFor(() => expect(result.current.mine.data?.map((item) => item.id)).toEqual([id]))
    await act(() => result.current.chat.signOut())
    expect(seen).toContain('DELETE /api/chat/visitor')
    expect(result.current.chat.status).toBe('idle')
    await waitFor(() => expect(result.current.mine.data, 'sign-out: the cached history is reset').toEqual([]))
  })
})
