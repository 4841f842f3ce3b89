// In the browser: first copy msw's service worker into your public folder, once:
//   npx msw init public/
import { setupWorker } from 'msw/browser'
import { createMockChatApi, MOCK_ACCESS_TOKEN, MOCK_BASE_URL } from 'socialboards-chat-react/mock'

const api = createMockChatApi({ agent: { queueStepMs: 2000, replyAfterMs: 1500 } }) // an agent answers
export const worker = setupWorker(...api.handlers)
await worker.start({ onUnhandledRequest: 'bypass' }) // before the app renders
export const providerProps = { baseURL: MOCK_BASE_URL, accessToken: MOCK_ACCESS_TOKEN } // for <ChatApiProvider>
