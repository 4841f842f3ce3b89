import { setupServer } from 'msw/node'
import { createMockChatApi, MOCK_ACCESS_TOKEN, MOCK_BASE_URL } from 'socialboards-chat-react/mock'

const api = createMockChatApi({ latency: 200 }) // baseURL MOCK_BASE_URL, accepts MOCK_ACCESS_TOKEN
export const server = setupServer(...api.handlers) // server.listen() in your test setup
export const providerProps = { baseURL: MOCK_BASE_URL, accessToken: MOCK_ACCESS_TOKEN } // for <ChatApiProvider>
api.inject({ type: 'status', status: 503 }) // the next request fails
api.conversations() // what the "server" holds
