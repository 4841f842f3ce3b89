import { act, renderHook, waitFor } from '@testing-library/react'
import { http } from 'msw'
import type { ReactNode } from 'react'
import { ChatApiProvider, useAddMessages, useConversation, useCreateConversation } from 'socialboards-chat-react'
import { createMockChatApi, MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createChatHandler } from 'socialboards-chat-react/server'
import { describe, expect, it } from 'vitest'
import { server } from './support/mock-server'
import { freshQueryClient } from './support/render'

describe('the message hooks behind the server half', () => {
  it('a retry after a lost answer finds the message the proxy stored under its own visitor identity', async () => {
    const api = createMockChatApi({ baseURL: 'https://chat-api.example.com/' })
    const handler = createChatHandler({
      apiBaseURL: api.baseURL,
      accessToken: () => MOCK_ACCESS_TOKEN,
      secret: 'a-test-secret-of-at-least-32-characters',
      cookie: { secure: false },
    })
    // The browser's cookie jar, for the visitor cookie the handler sets.
    let cookie = ''
    server.use(
      http.all('/api/chat/*', async ({ request }) => {
        const headers: Record<string, string> = Object.fromEntries(request.headers)
        if (cookie) headers.cookie = cookie
        const body = request.method === 'GET' ? undefined : await request.text()
        const response = await handler.fetch(new Request(request.url, { method: request.method, headers, body }))
        const set = response.headers.get('set-cookie')
        if (set) cookie = set.split(';')[0] as string
        return response
      }),
      ...api.handlers,
    )
    const queryClient = freshQueryClient()
    const wrapper = ({ children }: { children: ReactNode }) => (
      <ChatApiProvider baseURL="/api/chat/" queryClient={queryClient}>
        {children}
      </ChatApiProvider>
    )
    // The app names the visitor its own way; the proxy writes its own identifier instead.
    const author = { name: 'Guest', customIdentifier: 'app-guest-7' }
    const start = renderHook(() => useCreateConversation(), { wrapper })
    const { id } = await act(() => start.result.current.mutateAsync({ author }))
    const { result } = renderHook(
      () => ({ send: useAddMessages(id, { author }), conversation: useConversation(id, { pollInterval: false }) }),
      { wrapper },
    )
    await waitFor(() => expect(result.current.conversation.data?.id).toBe(id))
    // Stored upstream; the answer never comes back.
    api.inject({ type: 'network', after: true, match: { method: 'POST', path: /messages$/ } })
    act(() => {
      result.current.send.send('Once')
    })
    await waitFor(() => expect(result.current.send.outbox[0]?.status).toBe('failed'))
    act(() => result.current.send.retry(result.current.send.outbox[0]?.localId as number))
    await waitFor(() => expect(result.current.send.outbox[0]?.status).toBe('sent'))
    const stored = api.conversations()[0]?.messages ?? []
    expect(stored.map((m) => m.message)).toEqual(['Once'])
    expect(stored[0]?.author.customIdentifier).not.toBe('app-guest-7')
  })
})
