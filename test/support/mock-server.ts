import { setupServer } from 'msw/node'
import { createMockChatApi, MOCK_ACCESS_TOKEN, MOCK_BASE_URL } from 'socialboards-chat-react/mock'

/** One mock API per test file, reset after every test. */
export const api = createMockChatApi()
export const server = setupServer(...api.handlers)
export { MOCK_ACCESS_TOKEN as token, MOCK_BASE_URL as baseURL }
