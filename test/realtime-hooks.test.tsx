import { type QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import {
  ChatApiProvider,
  type Conversation,
  chatKeys,
  createChatClient,
  serverEvents,
  useConversation,
  useConversationMessages,
  useTakeover,
} from 'socialboards-chat-react'
import { type RealtimeConnector, type RealtimeHint, SAFETY_NET_INTERVAL } from 'socialboards-chat-react/core'
import { describe, expect, it, vi } from 'vitest'
import { api, baseURL, token } from './support/mock-server'
import { freshQueryClient } from './support/render'

const author = { name: 'Ada', email: 'ada@example.com' }

function scripted() {
  const state = { connected: [] as number[], closed: [] as number[] }
  const handlers = new Map<number, Parameters<RealtimeConnector['connect']>[1]>()
  const connector: RealtimeConnector = {
    connect(id, next) {
      state.connected.push(id)
      handlers.set(id, next)
      return () => state.closed.push(id)
    },
  }
  return {
    connector,
    state,
    open: (id: number) => handlers.get(id)?.onOpen(),
    fail: (id: number) => handlers.get(id)?.onError(),
    hint: (id: number, kind: RealtimeHint) => handlers.get(id)?.onHint(kind),
  }
}

/** The app's QueryClient above a provider whose realtime is `connector`, inline as an app writes it. */
const realtimeWrapper =
  (queryClient: QueryClient, connector: RealtimeConnector) =>
  ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <ChatApiProvider baseURL={baseURL} accessToken={token} realtime={serverEvents(connector)}>
        {children}
      </ChatApiProvider>
    </QueryClientProvider>
  )

describe('<ChatApiProvider realtime> for the lifecycle hooks', () => {
  it('follows the conversations mounted hooks watch, and each hint refreshes exactly what it changed', async () => {
    const client = createChatClient({ baseURL, accessToken: token })
    const { id } = await client.createConversation({ author })
    const stream = scripted()
    const queryClient = freshQueryClient()
    const wrapper = realtimeWrapper(queryClient, stream.connector)
    const { result } = renderHook(
      () => ({
        conversation: useConversation(id, { pollInterval: 60_000 }),
        list: useConversationMessages(id, { pollInterval: 60_000 }),
        takeover: useTakeover(id),
      }),
      { wrapper },
    )
    await waitFor(() => expect(stream.state.connected).toEqual([id]))
    await waitFor(() => expect(result.current.takeover.isSuccess).toBe(true))

    // A message written elsewhere: the hint brings it, with no poll due for a minute.
    await client.addMessages(id, [{ message: 'From elsewhere', author }])
    act(() => stream.hint(id, 'message'))
    await waitFor(() => expect(result.current.list.messages.map((m) => m.message)).toEqual(['From elsewhere']))

    const takeoverReads = () => api.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/takeover')).length
    const before = takeoverReads()
    act(() => stream.hint(id, 'takeover'))
    await waitFor(() => expect(takeoverReads()).toBe(before + 1))

    // While the stream is healthy, polling is a safety net; when it fails, the hook's own pace again.
    const fast = renderHook(() => useConversation(id, { pollInterval: 1000 }), { wrapper })
    const query = queryClient.getQueryCache().find({ queryKey: chatKeys.conversation(id), exact: true })
    const intervals = () =>
      (query?.observers ?? []).map((observer) => {
        const refetch = observer.options.refetchInterval
        return typeof refetch === 'function' ? refetch(query as never) : refetch
      })
    expect(intervals()).toContain(1000)
    act(() => stream.open(id))
    expect(intervals()).not.toContain(1000)
    expect(intervals()).toContain(SAFETY_NET_INTERVAL)
    act(() => stream.fail(id))
    expect(intervals()).toContain(1000)
    fast.unmount()

    // Closed: the stream is let go.
    const closedBefore = stream.state.closed.length // the second provider's stream, closed on unmount
    await client.closeConversation(id)
    act(() => stream.hint(id, 'closed'))
    await waitFor(() => expect(result.current.conversation.data?.isClosed).toBe(true))
    await waitFor(() => expect(stream.state.closed.length).toBe(closedBefore + 1))
  })

  it('opens nothing without realtime, or without a mounted hook', async () => {
    const stream = scripted()
    const queryClient = freshQueryClient()
    renderHook(() => null, { wrapper: realtimeWrapper(queryClient, stream.connector) })
    queryClient.setQueryData(chatKeys.conversation(7), { id: 7, isClosed: false })
    expect(stream.state.connected).toEqual([])
  })
})

describe('adaptive polling for the lifecycle hooks', () => {
  it('polls at the hook’s pace while the conversation changes, at 15 s once quiet or far back in the queue', async () => {
    const client = createChatClient({ baseURL, accessToken: token })
    const { id } = await client.createConversation({ author })
    const queryClient = freshQueryClient()
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={queryClient}>
        <ChatApiProvider baseURL={baseURL} accessToken={token}>
          {children}
        </ChatApiProvider>
      </QueryClientProvider>
    )
    const { result } = renderHook(() => useConversation(id, { pollInterval: 1000 }), { wrapper })
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    const query = queryClient.getQueryCache().find({ queryKey: chatKeys.conversation(id), exact: true })
    const interval = () => {
      const refetch = query?.observers[0]?.options.refetchInterval
      return typeof refetch === 'function' ? refetch(query as never) : refetch
    }
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      expect(interval()).toBe(1000)
      vi.setSystemTime(Date.now() + 61_000) // a quiet minute: nothing changed
      expect(interval()).toBe(15_000)
      const current = query?.state.data as Conversation
      act(() => {
        queryClient.setQueryData(chatKeys.conversation(id), { ...current, totalMessagesCount: 1 })
      })
      expect(interval()).toBe(1000) // something happened: the fast pace again
      act(() => {
        queryClient.setQueryData(chatKeys.conversation(id), {
          ...current,
          totalMessagesCount: 1,
          queuePositionInfo: { position: 9, waitTime: 27 },
        })
      })
      expect(interval()).toBe(15_000) // far back in the queue
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps its streams when an inline serverEvents() is a new object on each render', async () => {
    const client = createChatClient({ baseURL, accessToken: token })
    const { id } = await client.createConversation({ author })
    const stream = scripted()
    const queryClient = freshQueryClient()
    const wrapper = realtimeWrapper(queryClient, stream.connector)
    const { rerender } = renderHook(() => useConversation(id, { pollInterval: 60_000 }), { wrapper })
    await waitFor(() => expect(stream.state.connected).toEqual([id]))
    for (let round = 0; round < 3; round++) rerender()
    expect(stream.state).toEqual({ connected: [id], closed: [] })
  })

  it('says what to pass when realtime is given something else than serverEvents()', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() =>
      renderHook(() => null, {
        wrapper: ({ children }: { children: ReactNode }) => (
          <ChatApiProvider baseURL={baseURL} realtime={true as never}>
            {children}
          </ChatApiProvider>
        ),
      }),
    ).toThrow(/realtime takes serverEvents\(\)/)
    spy.mockRestore()
  })
})
