import { createChatClient, createChatSession, createMemoryStorage } from 'socialboards-chat-react/core'

declare function tokenFromMyServer(): Promise<string> // your own, server-side token source

const client = createChatClient({ baseURL: 'https://chat.example.com/api/', accessToken: tokenFromMyServer })
const session = createChatSession({
  client,
  author: { name: 'Ada', customIdentifier: 'customer-42' },
  storage: createMemoryStorage(), // default: localStorage where there is one
})
export const stop = session.subscribe(() => {
  const { status, messages } = session.getSnapshot()
  console.log(
    status,
    messages.map((m) => `${m.status}: ${m.message}`),
  )
})
session.send('Hello from plain TypeScript') // starts the conversation first
// Later: stop(), then session.destroy()
