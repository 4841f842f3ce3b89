import { act, renderHook, waitFor } from '@testing-library/react'
import { type ReactNode, version as reactVersion } from 'react'
import {
  type ChatClient,
  type Conversation,
  chatKeys,
  createChatClient,
  useAddMessageContext,
  useAddMessages,
  useChangeTakeover,
  useCloseConversation,
  useConversation,
  useConversationMessages,
  useQueuePosition,
  useTakeover,
  useUpdateFeedback,
  useUpdateLatestUrl,
} from 'socialboards-chat-react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { api, baseURL, token } from './support/mock-server'
import { providerWrapper } from './support/render'

const author = { name: 'Ada', email: 'ada@example.com' }
let client: ChatClient
let id: number

beforeEach(async () => {
  client = createChatClient({ baseURL, accessToken: token })
  id = (await client.createConversation({ author, url: 'https://shop.example/' })).id
  api.requests.length = 0
})

const requests = (method: string, path: string) => api.requests.filter((r) => r.method === method && r.path === path)
const gets = () => requests('GET', `chat/conversations/${id}`)
// "Nothing happens" is checked on fake time that also flows on its own (so the mock and waitFor
// keep working): install it before rendering, then jump far past every interval that could act.
const fakeTime = () =>
  vi.useFakeTimers({
    shouldAdvanceTime: true,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  })
const elapse = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms))
afterEach(() => {
  vi.useRealTimers()
})

describe('useConversation', () => {
  it('loads the conversation and polls it while it is open', async () => {
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useConversation(id, { pollInterval: 40 }), { wrapper })
    await waitFor(() => expect(result.current.data?.id).toBe(id))
    await waitFor(() => expect(gets().length).toBeGreaterThanOrEqual(3))
  })

  it('waits while there is no id', async () => {
    fakeTime()
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useConversation(undefined), { wrapper })
    await elapse(60_000)
    expect(result.current.fetchStatus).toBe('idle')
    expect(result.current.status).toBe('pending') // never tried: no error either
    expect(api.requests).toHaveLength(0)
  })

  it('stops polling once closed, and the cached conversation says so at once', async () => {
    fakeTime()
    const { wrapper } = providerWrapper()
    const { result } = renderHook(
      () => ({ conversation: useConversation(id, { pollInterval: 30 }), close: useCloseConversation(id) }),
      { wrapper },
    )
    await waitFor(() => expect(result.current.conversation.data?.isClosed).toBe(false))
    await act(() => result.current.close.mutateAsync())
    await waitFor(() => expect(result.current.conversation.data?.isClosed).toBe(true))
    const after = gets().length
    await elapse(60_000) // 2,000 poll intervals
    expect(gets().length).toBe(after)
  })

  it('retries a read after a 503 but not after a 404', async () => {
    const { wrapper } = providerWrapper()
    api.inject({ type: 'status', status: 503, match: { method: 'GET' } })
    const { result } = renderHook(() => useConversation(id, { pollInterval: false }), { wrapper })
    await waitFor(() => expect(result.current.status).toBe('success'), { timeout: 4000 })
    expect(gets()).toHaveLength(2)

    const missing = renderHook(() => useConversation(999_999, { pollInterval: false }), { wrapper })
    await waitFor(() => expect(missing.result.current.status).toBe('error'))
    expect(missing.result.current.error?.status).toBe(404)
    expect(requests('GET', 'chat/conversations/999999')).toHaveLength(1)
  })
})

describe('useQueuePosition', () => {
  it('derives position, wait and agent state from the conversation query, with no request of its own', async () => {
    await client.createConversation({ author: { email: 'second@example.com' } })
    api.requests.length = 0
    const { wrapper } = providerWrapper()
    const { result } = renderHook(
      () => ({
        conversation: useConversation(id, { pollInterval: false }),
        queue: useQueuePosition(id, { pollInterval: false }),
      }),
      { wrapper },
    )
    await waitFor(() => expect(result.current.queue.data).toEqual({ position: 1, waitTime: 3, isWithAgent: false }))
    expect(gets()).toHaveLength(1)
  })

  it('reports an agent when the position is -1', async () => {
    const { wrapper, queryClient } = providerWrapper()
    const { result } = renderHook(() => useQueuePosition(id, { pollInterval: false }), { wrapper })
    await waitFor(() => expect(result.current.data?.isWithAgent).toBe(false))
    act(() => {
      queryClient.setQueryData<Conversation>(chatKeys.conversation(id), (c) =>
        c ? { ...c, queuePositionInfo: { position: -1, waitTime: null } } : c,
      )
    })
    await waitFor(() => expect(result.current.data).toEqual({ position: -1, waitTime: null, isWithAgent: true }))
  })
})

describe('useConversationMessages', () => {
  it('loads the newest page first, in one request, and older pages on request', async () => {
    for (const text of ['one', 'two', 'three', 'four', 'five'])
      await client.addMessages(id, [{ message: text, author }])
    api.requests.length = 0
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useConversationMessages(id, { pageSize: 2, pollInterval: false }), { wrapper })
    await waitFor(() => expect(result.current.messages.map((m) => m.message)).toEqual(['four', 'five']))
    await waitFor(() => expect(result.current.hasOlder).toBe(true))
    expect(result.current.messages.every((m) => m.status === 'sent' && typeof m.id === 'number')).toBe(true)
    // loadOlder settles once its page is rendered: what the component shows then already has it
    // (an app keeps its scroll position right after `await loadOlder()`). React 18's act renders
    // nothing until its callback settles, so there it settles first and the page shows after.
    const shownWhenSettled = () => result.current.loadOlder().then(() => result.current.messages.map((m) => m.message))
    const older = async (expected: string[]) => {
      if (reactVersion.startsWith('18.')) {
        await act(() => result.current.loadOlder())
        await waitFor(() => expect(result.current.messages.map((m) => m.message)).toEqual(expected))
      } else await expect(act(shownWhenSettled)).resolves.toEqual(expected)
    }
    await older(['two', 'three', 'four', 'five'])
    await older(['one', 'two', 'three', 'four', 'five'])
    expect(result.current.hasOlder).toBe(false)
    const pages = requests('GET', `chat/conversations/${id}/messages`).map((r) => r.query)
    expect(pages).toEqual([
      { orderBy: 'creation_time_desc', skip: '0', take: '2' },
      { orderBy: 'creation_time_desc', skip: '2', take: '2' },
      { orderBy: 'creation_time_desc', skip: '4', take: '2' },
    ])
  })

  it('loadOlder settles when the list unmounts before its page is shown', async () => {
    for (const text of ['one', 'two', 'three']) await client.addMessages(id, [{ message: text, author }])
    const { wrapper } = providerWrapper()
    const { result, unmount } = renderHook(() => useConversationMessages(id, { pageSize: 2, pollInterval: false }), {
      wrapper,
    })
    await waitFor(() => expect(result.current.hasOlder).toBe(true))
    const pending = result.current.loadOlder()
    unmount()
    await expect(pending).resolves.toBeUndefined()
  })

  it('picks up new messages by polling, fetching only what is new, and keeps every other message object', async () => {
    await client.addMessages(id, [{ message: 'first', author }])
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useConversationMessages(id, { pollInterval: 30 }), { wrapper })
    await waitFor(() => expect(result.current.messages.map((m) => m.message)).toEqual(['first']))
    const before = result.current.messages[0]
    api.requests.length = 0
    await client.addMessages(id, [
      { message: 'from the agent', author: { email: 'agent@example.com' }, isByTeam: true },
    ])
    await waitFor(() => expect(result.current.messages.map((m) => m.message)).toEqual(['first', 'from the agent']))
    expect(result.current.messages[0]).toBe(before)
    const lists = requests('GET', `chat/conversations/${id}/messages`).map((r) => r.query)
    expect(lists).toEqual([{ orderBy: 'creation_time_desc', skip: '0', take: '100' }])
    // A full refetch brings new objects from the server; unchanged messages keep the ones shown.
    const shown = result.current.messages
    await act(() => result.current.refetch())
    expect(result.current.messages).toHaveLength(2)
    for (const [index, message] of result.current.messages.entries()) expect(message).toBe(shown[index])
  })

  it('mounts with one request when the count arrives after the page, and what came between shows at the next poll', async () => {
    for (const text of ['one', 'two', 'three']) await client.addMessages(id, [{ message: text, author }])
    api.requests.length = 0
    // The conversation (and its count) answers late: the page is read first.
    api.inject({ type: 'delay', ms: 150, match: { method: 'GET', path: `chat/conversations/${id}` } })
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useConversationMessages(id, { pollInterval: 60 }), { wrapper })
    await waitFor(() => expect(result.current.messages).toHaveLength(3))
    await client.addMessages(id, [{ message: 'four', author }])
    await waitFor(() => expect(result.current.messages.map((m) => m.message)).toContain('four'))
    const lists = requests('GET', `chat/conversations/${id}/messages`)
    expect(lists).toHaveLength(2)
    expect(lists.every((r) => r.query.skip === '0')).toBe(true)
  })

  it('with polling off, still shows a message that arrived between the page and the count', {
    timeout: 20_000,
  }, async () => {
    for (const text of ['one', 'two', 'three']) await client.addMessages(id, [{ message: text, author }])
    api.requests.length = 0
    // The conversation (and its count) answers late; 'four' lands after the page was read.
    api.inject({ type: 'delay', ms: 2000, match: { method: 'GET', path: `chat/conversations/${id}` } })
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useConversationMessages(id, { pollInterval: false }), { wrapper })
    await waitFor(() => expect(result.current.messages).toHaveLength(3))
    await client.addMessages(id, [{ message: 'four', author }])
    await waitFor(() => expect(result.current.messages.map((m) => m.message)).toContain('four'), { timeout: 10_000 })
    expect(gets()).toHaveLength(1) // no poll brought it
    expect(requests('GET', `chat/conversations/${id}/messages`)).toHaveLength(2)
  })

  it('shows the last message of a chat that closed between the page and the count', { timeout: 20_000 }, async () => {
    for (const text of ['one', 'two', 'three']) await client.addMessages(id, [{ message: text, author }])
    api.requests.length = 0
    api.inject({ type: 'delay', ms: 2000, match: { method: 'GET', path: `chat/conversations/${id}` } })
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useConversationMessages(id), { wrapper })
    await waitFor(() => expect(result.current.messages).toHaveLength(3))
    await client.addMessages(id, [{ message: 'bye', author }])
    await client.closeConversation(id) // a closed conversation is not polled again
    await waitFor(() => expect(result.current.messages.map((m) => m.message)).toContain('bye'), { timeout: 10_000 })
    expect(gets()).toHaveLength(1)
  })

  it('says who wrote each message, by the identifier precedence, for a visitor known only by customIdentifier', async () => {
    const visitor = { name: 'Kim', customIdentifier: 'CUS-42' }
    const own = await client.createConversation({ author: visitor })
    await client.addMessages(own.id, [{ message: 'mine', author: visitor }])
    await client.addMessages(own.id, [{ message: 'staff', author: { email: 'anna@shop.example' }, isByTeam: true }])
    await client.addMessages(own.id, [{ message: 'robot', author: { isBot: true } }])
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useConversationMessages(own.id, { pollInterval: false }), { wrapper })
    await waitFor(() =>
      expect(result.current.messages.map((m) => `${m.message}:${m.role}`)).toEqual([
        'mine:visitor',
        'staff:agent',
        'robot:bot',
      ]),
    )
  })
})

describe('useAddMessages', () => {
  const render = () => {
    const { wrapper, queryClient } = providerWrapper()
    const hook = renderHook(
      () => ({
        send: useAddMessages(id, { author }),
        list: useConversationMessages(id, { pollInterval: false }),
        conversation: useConversation(id, { pollInterval: false }),
      }),
      { wrapper },
    )
    return { ...hook, queryClient }
  }

  it('shows a message at once as pending, then sent with the server’s id, and counts it', async () => {
    api.setLatency(400)
    const { result } = render()
    await waitFor(() => expect(result.current.conversation.data?.totalMessagesCount).toBe(0))
    act(() => result.current.send.send('Hello!'))
    await waitFor(() => expect(result.current.list.messages).toMatchObject([{ message: 'Hello!', status: 'pending' }]))
    await waitFor(() =>
      expect(result.current.list.messages).toMatchObject([
        { message: 'Hello!', status: 'sent', id: expect.any(Number) },
      ]),
    )
    expect(result.current.conversation.data?.totalMessagesCount).toBe(1)
    expect(requests('POST', `chat/conversations/${id}/messages`)).toHaveLength(1)
  })

  it('keeps a failed message with its error, sends nothing by itself, and retries on request', async () => {
    fakeTime()
    api.inject({ type: 'status', status: 500, body: 'down', match: { method: 'POST' } })
    const { result } = render()
    act(() => result.current.send.send('Are you there?'))
    await waitFor(() =>
      expect(result.current.list.messages).toMatchObject([{ status: 'failed', message: 'Are you there?' }]),
    )
    const failed = result.current.list.messages[0]
    expect(failed?.error?.status).toBe(500)
    await elapse(10 * 60_000) // past every back-off and the outbox's landing window
    expect(requests('POST', `chat/conversations/${id}/messages`)).toHaveLength(1)

    act(() => result.current.send.retry(failed?.localId as number))
    await waitFor(() =>
      expect(result.current.list.messages).toMatchObject([{ status: 'sent', message: 'Are you there?' }]),
    )
    expect(result.current.list.messages).toHaveLength(1)
    expect(api.conversations()[0]?.messages?.map((m) => m.message)).toEqual(['Are you there?'])
  })

  it('discards a failed message when asked', async () => {
    api.inject({ type: 'network', match: { method: 'POST' } })
    const { result } = render()
    act(() => result.current.send.send('Lost?'))
    await waitFor(() => expect(result.current.send.outbox).toMatchObject([{ status: 'failed' }]))
    act(() => result.current.send.discard(result.current.send.outbox[0]?.localId as number))
    await waitFor(() => expect(result.current.send.outbox).toEqual([]))
    expect(result.current.list.messages).toEqual([])
  })

  it('sends concurrent messages one after another, in order', async () => {
    api.setLatency([5, 40])
    const { result } = render()
    act(() => {
      for (const text of ['a', 'b', 'c', 'd']) result.current.send.send(text)
    })
    await waitFor(
      () =>
        expect(result.current.list.messages.map((m) => `${m.message}:${m.status}`)).toEqual([
          'a:sent',
          'b:sent',
          'c:sent',
          'd:sent',
        ]),
      { timeout: 3000 },
    )
    expect(api.conversations()[0]?.messages?.map((m) => m.message)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('shares one outbox between hooks, and a failed send is still there after they unmount and mount again', async () => {
    api.inject({ type: 'status', status: 400, body: 'refused', match: { method: 'POST' } })
    const { wrapper: Provider } = providerWrapper()
    let shown = true
    const wrapper = ({ children }: { children: ReactNode }) => <Provider>{shown ? children : null}</Provider>
    const { result, rerender } = renderHook(
      () => ({ sender: useAddMessages(id, { author }), list: useConversationMessages(id, { pollInterval: false }) }),
      { wrapper },
    )
    act(() => {
      result.current.sender.send('kept')
    })
    await waitFor(() => expect(result.current.list.messages).toMatchObject([{ message: 'kept', status: 'failed' }]))
    shown = false
    rerender()
    // The release check runs on the next macrotask after unmount: let it run.
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)))
    shown = true
    rerender()
    expect(result.current.list.messages).toMatchObject([{ message: 'kept', status: 'failed', role: 'visitor' }])
    expect(requests('POST', `chat/conversations/${id}/messages`)).toHaveLength(1)
  })

  it('fails a send at once, unsent, while there is no conversation id', async () => {
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useAddMessages(undefined, { author }), { wrapper })
    act(() => {
      result.current.send('Too early')
    })
    await waitFor(() => expect(result.current.outbox[0]?.status).toBe('failed'))
    expect(result.current.outbox[0]?.error).toMatchObject({ kind: 'validation', issues: [{ path: 'id' }] })
    expect(result.current.error?.kind).toBe('validation')
    expect(api.requests).toHaveLength(0)
  })

  it('shows an invalid send as failed, with the validation issue, and sends nothing', async () => {
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useAddMessages(id), { wrapper })
    // The types forbid text without an author; from plain JavaScript it still fails safely, unsent.
    act(() => result.current.send('no author given' as never))
    await waitFor(() => expect(result.current.outbox[0]?.status).toBe('failed'))
    expect(result.current.outbox[0]?.error?.issues?.[0]?.path).toBe('messages[0].author')
    expect(api.requests).toHaveLength(0)
  })
})

describe('cache coherence after mutations', () => {
  it('shows feedback and the latest URL on the cached conversation without refetching', async () => {
    const { wrapper } = providerWrapper()
    const { result } = renderHook(
      () => ({
        conversation: useConversation(id, { pollInterval: false }),
        feedback: useUpdateFeedback(id),
        latestUrl: useUpdateLatestUrl(id),
      }),
      { wrapper },
    )
    await waitFor(() => expect(result.current.conversation.data?.feedback).toBeNull())
    await act(() => result.current.feedback.mutateAsync({ isPositive: true, text: 'Great help' }))
    await act(() => result.current.latestUrl.mutateAsync('https://shop.example/checkout'))
    await waitFor(() =>
      expect(result.current.conversation.data).toMatchObject({
        feedback: { isPositive: true, text: 'Great help' },
        latestPageUrl: 'https://shop.example/checkout',
      }),
    )
    expect(gets()).toHaveLength(1)
  })

  it('updates the takeover state and refreshes the conversation', async () => {
    const bot = await client.createConversation({ author, isBotEnabled: true })
    api.requests.length = 0
    const { wrapper } = providerWrapper()
    const { result } = renderHook(
      () => ({
        takeover: useTakeover(bot.id),
        change: useChangeTakeover(bot.id),
        conversation: useConversation(bot.id, { pollInterval: false }),
      }),
      { wrapper },
    )
    await waitFor(() => expect(result.current.takeover.data).toEqual({ isAssignedToBot: true }))
    await waitFor(() => expect(result.current.conversation.data?.isTakeoverEnabled).toBe(false))
    await act(() => result.current.change.mutateAsync({ isAssignedToBot: false }))
    await waitFor(() => expect(result.current.takeover.data).toEqual({ isAssignedToBot: false }))
    await waitFor(() => expect(result.current.conversation.data?.isTakeoverEnabled).toBe(true))
    expect(requests('GET', `chat/conversations/${bot.id}/takeover`)).toHaveLength(1)
  })

  it('reloads the history after context messages are attached', async () => {
    await client.addMessages(id, [{ message: 'Now', author }])
    const { wrapper } = providerWrapper()
    const { result } = renderHook(
      () => ({ list: useConversationMessages(id, { pollInterval: false }), context: useAddMessageContext(id) }),
      { wrapper },
    )
    await waitFor(() => expect(result.current.list.messages.map((m) => m.message)).toEqual(['Now']))
    await act(() =>
      result.current.context.mutateAsync([
        { message: 'By email, earlier', author, creationTime: '2023-10-19T10:00:58.84+00:00' },
      ]),
    )
    await waitFor(() =>
      expect(result.current.list.messages.map((m) => m.message)).toEqual(['By email, earlier', 'Now']),
    )
    // The same input shape as useAddMessages: { messages }.
    await act(() =>
      result.current.context.mutateAsync({
        messages: [{ message: 'By phone, earliest', author, creationTime: '2023-10-18T10:00:00+00:00' }],
      }),
    )
    await waitFor(() =>
      expect(result.current.list.messages.map((m) => m.message)).toEqual([
        'By phone, earliest',
        'By email, earlier',
        'Now',
      ]),
    )
  })
})

describe('one option shape for the query hooks', () => {
  it('useTakeover selects and, with pollInterval, follows the takeover state', async () => {
    const { wrapper } = providerWrapper()
    const { result } = renderHook(
      () => useTakeover(id, { pollInterval: 30, select: (takeover) => (takeover.isAssignedToBot ? 'bot' : 'human') }),
      { wrapper },
    )
    await waitFor(() => expect(result.current.data).toBe('human'))
    await waitFor(() => expect(requests('GET', `chat/conversations/${id}/takeover`).length).toBeGreaterThanOrEqual(2))
  })

  it('useConversationMessages and useQueuePosition send nothing while enabled is false', async () => {
    const { wrapper } = providerWrapper()
    const { result } = renderHook(
      () => ({
        list: useConversationMessages(id, { enabled: false }),
        queue: useQueuePosition(id, { enabled: false }),
        conversation: useConversation(id, { enabled: false }),
      }),
      { wrapper },
    )
    expect(result.current.list.fetchStatus).toBe('idle')
    expect(result.current.queue.fetchStatus).toBe('idle')
    expect(result.current.conversation.fetchStatus).toBe('idle')
    expect(api.requests).toHaveLength(0)
  })
})
