import { focusManager, QueryClient } from '@tanstack/react-query'
import {
  addMessageContextMutationOptions,
  addMessagesMutationOptions,
  type ChatClient,
  type Conversation,
  changeTakeoverMutationOptions,
  chatKeys,
  closeConversationMutationOptions,
  conversationQueryOptions,
  createChatClient,
  messagesInfiniteQueryOptions,
  takeoverQueryOptions,
  updateFeedbackMutationOptions,
  updateLatestUrlMutationOptions,
} from 'socialboards-chat-react'
import { beforeEach, describe, expect, it } from 'vitest'
import { baseURL, token } from './support/mock-server'

const author = { email: 'ada@example.com' }
let client: ChatClient
let queryClient: QueryClient
let id: number

beforeEach(async () => {
  client = createChatClient({ baseURL, accessToken: token })
  queryClient = new QueryClient()
  id = (await client.createConversation({ author, isBotEnabled: true })).id
})

// Runs a mutation's options outside React, as a user composing TanStack themselves would.
const run = <TVariables>(options: object, variables: TVariables) =>
  queryClient.getMutationCache().build(queryClient, options).execute(variables)

describe('query and mutation options for composing TanStack yourself', () => {
  it('prefetches a conversation, its messages and its takeover state', async () => {
    await client.addMessages(id, [{ message: 'Hi', author }])
    const conversation = await queryClient.fetchQuery(conversationQueryOptions(client, id))
    expect(conversation.totalMessagesCount).toBe(1)
    const messages = await queryClient.fetchInfiniteQuery(messagesInfiniteQueryOptions(client, id, { pageSize: 10 }))
    expect(messages.pages[0]?.map((m) => m.message)).toEqual(['Hi'])
    expect(await queryClient.fetchQuery(takeoverQueryOptions(client, id))).toEqual({ isAssignedToBot: true })
    expect(queryClient.getQueryData(chatKeys.takeover(id))).toEqual({ isAssignedToBot: true })
  })

  it('keeps polling in a hidden tab, at the idle pace (#24 attention)', () => {
    const options = conversationQueryOptions(client, id, { pollInterval: 1000 })
    expect(options.refetchInterval, 'hidden tabs still refetch').toBeTypeOf('function')
    expect(options.refetchIntervalInBackground).toBe(true)
    const interval = options.refetchInterval as (query: { state: { data?: Partial<Conversation> } }) => unknown
    focusManager.setFocused(false)
    try {
      expect(interval({ state: { data: { isClosed: false } } })).toBe(15_000)
    } finally {
      focusManager.setFocused(undefined)
    }
  })

  it('stops polling a closed conversation', () => {
    const options = conversationQueryOptions(client, id, { pollInterval: 1000 })
    const interval = options.refetchInterval as (query: { state: { data?: Partial<Conversation> } }) => unknown
    expect(interval({ state: { data: { isClosed: false } } })).toBe(1000)
    expect(interval({ state: { data: { isClosed: true } } })).toBe(false)
    const off = conversationQueryOptions(client, id, { pollInterval: false }).refetchInterval as typeof interval
    expect(off({ state: { data: { isClosed: false } } })).toBe(false)
  })

  it('runs every mutation and keeps the cached conversation coherent', async () => {
    await queryClient.fetchQuery(conversationQueryOptions(client, id))
    const cached = () => queryClient.getQueryData<Conversation>(chatKeys.conversation(id))

    await run(addMessagesMutationOptions(client, id), { messages: [{ message: 'One', author }] })
    expect(cached()?.totalMessagesCount).toBe(1)
    await run(addMessageContextMutationOptions(client, id), [
      { message: 'Earlier', author, creationTime: '2023-10-19T10:00:58.84+00:00' },
    ])
    await run(changeTakeoverMutationOptions(client, id), { isAssignedToBot: false })
    expect(queryClient.getQueryData(chatKeys.takeover(id))).toEqual({ isAssignedToBot: false })
    await run(updateFeedbackMutationOptions(client, id), { isPositive: false, text: 'Slow' })
    expect(cached()?.feedback).toEqual({ isPositive: false, text: 'Slow' })
    await run(updateLatestUrlMutationOptions(client, id), 'https://shop.example/help')
    expect(cached()?.latestPageUrl).toBe('https://shop.example/help')
    await run(closeConversationMutationOptions(client, id), undefined)
    expect(cached()?.isClosed).toBe(true)
  })

  it('never retries a mutation by itself', () => {
    for (const options of [
      addMessagesMutationOptions(client, id),
      addMessageContextMutationOptions(client, id),
      changeTakeoverMutationOptions(client, id),
      updateFeedbackMutationOptions(client, id),
      updateLatestUrlMutationOptions(client, id),
      closeConversationMutationOptions(client, id),
    ])
      expect(options.retry).toBe(false)
  })
})
