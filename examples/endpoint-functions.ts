import { addMessages, connect, createConversation } from 'socialboards-chat-react/core'

declare function tokenFromMyServer(): Promise<string> // your own, server-side token source

// One connection; each endpoint is a function of it, so a bundle carries only the endpoints it calls.
const chat = connect({ baseURL: 'https://chat.example.com/api/', accessToken: tokenFromMyServer })

export async function openTicket(email: string, text: string) {
  const conversation = await createConversation(chat, { author: { email }, title: 'From the shop' })
  await addMessages(chat, conversation.id, [{ message: text, author: { email } }])
  return conversation.id
}
