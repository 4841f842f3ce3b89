import { http } from 'msw'
import type { ReactNode } from 'react'
import { ChatApiProvider } from 'socialboards-chat-react'
import { createMockChatApi, MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createChatHandler } from 'socialboards-chat-react/server'
import { server } from './mock-server'
import { freshQueryClient } from './render'

// useMyConversations behind the server half: msw hands the page's requests to the handler, which
// keeps its visitor cookie in a jar the way a browser does; the handler talks to the mock API.

/**
 * The page behind the server half: msw hands its `/api/chat/*` requests to a handler (in front of
 * a mock API), keeping the visitor cookie in a jar the way a browser does (an expired one dropped).
 */
export function behindHandler() {
  const api = createMockChatApi({ baseURL: 'https://chat-api.example.com/' })
  const handler = createChatHandler({
    apiBaseURL: api.baseURL,
    accessToken: () => MOCK_ACCESS_TOKEN,
    secret: 'a-test-secret-of-at-least-32-characters',
    cookie: { secure: false },
    log: () => {},
  })
  const seen: string[] = []
  let cookie = ''
  server.use(
    http.all('/api/chat/*', async ({ request }) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}`)
      const headers: Record<string, string> = Object.fromEntries(request.headers)
      if (cookie) headers.cookie = cookie
      const body = request.method === 'GET' ? undefined : (await request.text()) || undefined
      const response = await handler.fetch(new Request(request.url, { method: request.method, headers, body }))
      const set = response.headers.get('set-cookie')
      if (set) cookie = /Max-Age=0/.test(set) ? '' : (set.split(';')[0] as string)
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
  const lists = () => seen.filter((line) => line === 'GET /api/chat/visitor/conversations').length
  return { api, wrapper, queryClient, lists, seen }
}
