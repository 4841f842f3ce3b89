import type { QueryKey } from '@tanstack/react-query'
import {
  type ChatApiError,
  type ChatApiErrorKind,
  type Conversation,
  type CreateConversationInput,
  chatKeys,
  createChatClient,
  isChatApiError,
  type UseAddMessagesResult,
  type UseCreateConversationOptions,
  type UseCreateConversationResult,
  useAddMessages,
} from 'socialboards-chat-react'
import { describe, expectTypeOf, it } from 'vitest'

describe('types', () => {
  it('narrows the mutation result on status', () => {
    const result = {} as UseCreateConversationResult
    if (result.status === 'success') {
      expectTypeOf(result.data).toEqualTypeOf<Conversation>()
      expectTypeOf(result.error).toEqualTypeOf<null>()
    }
    if (result.status === 'error') {
      expectTypeOf(result.error).toEqualTypeOf<ChatApiError>()
      expectTypeOf(result.variables).toEqualTypeOf<CreateConversationInput>()
    }
    if (result.status === 'idle') expectTypeOf(result.data).toEqualTypeOf<undefined>()
    expectTypeOf(result.error?.kind).toEqualTypeOf<ChatApiErrorKind | undefined>()
  })

  it('requires an author and a string sentiment', () => {
    // @ts-expect-error: author is required
    const noAuthor: CreateConversationInput = { title: 'x' }
    // @ts-expect-error: sentiment must be a string
    const numericSentiment: CreateConversationInput = { author: { email: 'a@b.co' }, sentiment: 1 }
    const known: CreateConversationInput = { author: { email: 'a@b.co' }, sentiment: 'question' }
    const other: CreateConversationInput = { author: { email: 'a@b.co' }, sentiment: 'complaint' }
    expectTypeOf([noAuthor, numericSentiment, known, other]).toBeArray()
  })

  it('types the client and the helpers', () => {
    const client = createChatClient({ baseURL: 'https://x.test/' })
    expectTypeOf(client.createConversation).returns.resolves.toEqualTypeOf<Conversation>()
    expectTypeOf(chatKeys.conversation(1)).toExtend<QueryKey>()
    const value: unknown = null
    if (isChatApiError(value)) expectTypeOf(value).toEqualTypeOf<ChatApiError>()
    // @ts-expect-error: accessToken must be a string or a function returning one
    createChatClient({ baseURL: 'https://x.test/', accessToken: 42 })
  })

  it('sends plain text only with an author, and keeps ordering options out of reach', () => {
    const withAuthor = (() => useAddMessages(1, { author: { email: 'a@b.co' } })) as () => UseAddMessagesResult
    withAuthor().send('Hi')
    const without = {} as ReturnType<typeof useAddMessages<undefined>>
    // @ts-expect-error: no author, so no plain text
    without.send('Hi')
    without.send({ message: 'Hi', author: { email: 'a@b.co' } })
    // @ts-expect-error: retry is the library's (a write is never repeated by itself)
    const retry: UseCreateConversationOptions = { retry: 3 }
    // @ts-expect-error: the mutation key is the library's
    const key: UseCreateConversationOptions = { mutationKey: ['mine'] }
    expectTypeOf([retry, key]).toBeArray()
  })
})
