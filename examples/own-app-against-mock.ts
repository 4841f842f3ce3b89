// Your own app against the mock, with nothing of Socialboards needed: the mock Chat API on a free port, the
// server half in front of it at /api/chat, and every change the mock makes posted to the handler as the
// webhook Socialboards would send, so realtime works too. Point your app's <ChatApiProvider baseURL="/api/chat/">
// (or its dev proxy) at this server.
import { createServer } from 'node:http'
import { MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createMockChatServer } from 'socialboards-chat-react/mock/server'
import { createChatHandler, toNodeListener } from 'socialboards-chat-react/server'

const port = Number(process.env.PORT ?? 3001)
const webhook = { verifyToken: 'dev-only-verify-token', path: 'webhooks/dev-secret' }

const mock = await createMockChatServer({
  agent: { queueStepMs: 2000, replyAfterMs: 1500 }, // the queue moves, an agent joins and answers
  tickMs: 200,
  // The payload Socialboards posts (PascalCase; only conversation_created's is documented): a hint to refetch.
  onEvent: (event) =>
    void fetch(`http://127.0.0.1:${port}/api/chat/${webhook.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        CommunityName: 'dev',
        EventType: event.type, // conversation_message_added, conversation_takeover_state_changed, conversation_closed
        Events: [{ ConversationId: event.conversationId, EventTime: new Date().toISOString() }],
        TicketId: event.conversationId,
      }),
    }).catch(() => {}),
})

const handler = createChatHandler({
  apiBaseURL: mock.baseURL,
  accessToken: () => MOCK_ACCESS_TOKEN, // the mock's token; a real deployment passes clientId and refreshToken
  secret: 'dev-only-secret-of-at-least-32-characters',
  cookie: { secure: false }, // plain http in development
  webhook,
})

export const server = createServer(toNodeListener(handler)).listen(port, '127.0.0.1')
export const close = () => Promise.all([mock.close(), new Promise((done) => server.close(done))])
