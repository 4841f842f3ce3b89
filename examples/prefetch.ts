import { QueryClient } from '@tanstack/react-query'
import { chatKeys, conversationQueryOptions, createChatClient } from 'socialboards-chat-react'

const client = createChatClient({ baseURL: 'https://chat-api.example.com/', accessToken: 'short-lived-token' })
const queryClient = new QueryClient()
await queryClient.prefetchQuery(conversationQueryOptions(client, 254626))
queryClient.invalidateQueries({ queryKey: chatKeys.messages(254626) })
