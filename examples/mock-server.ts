import { createChatClient } from 'socialboards-chat-react/core'
import { MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createMockChatServer } from 'socialboards-chat-react/mock/server'

const mock = await createMockChatServer({ agent: { queueStepMs: 2000, replyAfterMs: 1500 } }) // a free port
const client = createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
console.log(await client.createConversation({ author: { email: 'ada@example.com' } }))
await mock.close()
