import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query'
import { render, renderHook, screen } from '@testing-library/react'
import { ChatApiProvider, type ChatClient, createChatClient, useChatClient } from 'socialboards-chat-react'
import { describe, expect, it, vi } from 'vitest'
import { api, baseURL, server, token } from './support/mock-server'

const input = { author: { email: 'ada@example.com' } }

describe('ChatApiProvider', () => {
  it('tells how to fix a missing provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => renderHook(() => useChatClient())).toThrow(/no <ChatApiProvider> above this component. Wrap your app/)
  })

  it('passes every client option on, paths included', async () => {
    const { result } = renderHook(() => useChatClient(), {
      wrapper: ({ children }) => (
        <ChatApiProvider
          baseURL={baseURL}
          accessToken={token}
          paths={{ closeConversation: { method: 'PATCH', path: 'chat/conversations/{id}/finish' } }}
          headers={{ 'X-App': 'shop' }}
        >
          {children}
        </ChatApiProvider>
      ),
    })
    const { id } = await result.current.createConversation(input)
    const error = await result.current.closeConversation(id).catch((reason: unknown) => reason)
    expect(api.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `chat/conversations/${id}/finish` })
    // The mock does not serve that path: the hint names the override that was in fact used.
    expect(String(error)).toMatch(/HTTP 404/)
  })

  it('hands out the client it is given', () => {
    const client = createChatClient({ baseURL, accessToken: token })
    const { result } = renderHook(() => useChatClient(), {
      wrapper: ({ children }) => <ChatApiProvider client={client}>{children}</ChatApiProvider>,
    })
    expect(result.current).toBe(client)
  })

  it('keeps one client across renders with an inline token function, and rebuilds it for a new baseURL', () => {
    const clients = new Set<ChatClient>()
    function Probe() {
      clients.add(useChatClient())
      return null
    }
    const { rerender } = render(
      <ChatApiProvider baseURL={baseURL} accessToken={() => token}>
        <Probe />
      </ChatApiProvider>,
    )
    rerender(
      <ChatApiProvider baseURL={baseURL} accessToken={() => token}>
        <Probe />
      </ChatApiProvider>,
    )
    expect(clients.size).toBe(1)
    rerender(
      <ChatApiProvider baseURL="https://other.example.test/" accessToken={() => token}>
        <Probe />
      </ChatApiProvider>,
    )
    expect(clients.size).toBe(2)
    expect([...clients][1]?.baseURL).toBe('https://other.example.test/')
  })

  it('sends the newest token string without rebuilding the client', async () => {
    const seen: (string | null)[] = []
    server.events.on('request:start', ({ request }) => {
      seen.push(request.headers.get('authorization'))
    })
    let current: ChatClient | undefined
    function Probe() {
      current = useChatClient()
      return null
    }
    const { rerender } = render(
      <ChatApiProvider baseURL={baseURL} accessToken="old-token">
        <Probe />
      </ChatApiProvider>,
    )
    const first = current
    api.setAccessToken(null)
    await current?.createConversation(input)
    rerender(
      <ChatApiProvider baseURL={baseURL} accessToken="new-token">
        <Probe />
      </ChatApiProvider>,
    )
    await current?.createConversation(input)
    server.events.removeAllListeners()
    expect(current).toBe(first)
    expect(seen).toEqual(['Bearer old-token', 'Bearer new-token'])
  })

  it('uses the app’s QueryClient when there is one', () => {
    const queryClient = new QueryClient()
    const { result } = renderHook(() => useQueryClient(), {
      wrapper: ({ children }) => (
        <QueryClientProvider client={queryClient}>
          <ChatApiProvider baseURL={baseURL}>{children}</ChatApiProvider>
        </QueryClientProvider>
      ),
    })
    expect(result.current).toBe(queryClient)
  })

  it('creates and keeps its own QueryClient when the app has none', () => {
    const { result, rerender } = renderHook(() => useQueryClient(), {
      wrapper: ({ children }) => <ChatApiProvider baseURL={baseURL}>{children}</ChatApiProvider>,
    })
    const own = result.current
    expect(own).toBeInstanceOf(QueryClient)
    rerender()
    expect(result.current).toBe(own)
  })

  it('renders its children', () => {
    render(
      <ChatApiProvider baseURL={baseURL}>
        <p>chat here</p>
      </ChatApiProvider>,
    )
    expect(screen.getByText('chat here')).toBeTruthy()
  })
})
