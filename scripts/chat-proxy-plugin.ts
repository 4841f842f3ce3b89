// A Vite plugin for the demo and the browser tests: the server half at /api/chat, in front of the mock Chat API on a real port.
import type { Plugin } from 'vite'
import { createMockChatServer } from '../src/mock/server'
import { createChatHandler, createMemoryEventBus, hintOf, toNodeListener } from '../src/server/index'

/** What the page's widget talks to when it uses `baseURL="/api/chat/"`: the real handler, a real cookie. */
export function chatProxyPlugin(): Plugin {
  let mock: Awaited<ReturnType<typeof createMockChatServer>> | undefined
  return {
    name: 'socialboards-chat-proxy',
    async configureServer(server) {
      // What the mock changes reaches the handler's event bus as a webhook's hint would: realtime in the demo.
      const events = createMemoryEventBus()
      mock = await createMockChatServer({
        agent: { queueStepMs: 2000, replyAfterMs: 1500 },
        tickMs: 200,
        onEvent: (event) => {
          const hint = hintOf(event)
          if (hint) void events.publish(hint)
        },
      })
      // Never what keeps the process alive; closed with the dev server below.
      mock.server.unref()
      const handler = createChatHandler({
        apiBaseURL: mock.baseURL,
        // The mock's own token, server-side; a real deployment passes clientId and refreshToken.
        accessToken: () => 'mock-access-token',
        secret: 'demo-only-secret-never-use-this-one-in-production',
        cookie: { secure: false }, // the dev server is plain http
        events,
      })
      server.middlewares.use('/api/chat', toNodeListener(handler))
    },
    async closeBundle() {
      await mock?.close()
      mock = undefined
    },
  }
}
