import {
  type ChatClient,
  type MyConversation,
  myConversationsKey,
  type UseMyConversationsOptions,
  useMyConversations,
} from 'socialboards-chat-react'
import { listMyConversations, signOutVisitor } from 'socialboards-chat-react/core'
import type { VisitorConversation } from 'socialboards-chat-react/server'
import { describe, expectTypeOf, it } from 'vitest'

describe('visitor types', () => {
  it('the client methods and endpoint functions are typed', () => {
    expectTypeOf<ChatClient['listMyConversations']>().returns.toEqualTypeOf<Promise<MyConversation[]>>()
    expectTypeOf<ChatClient['signOutVisitor']>().returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf(listMyConversations).returns.toEqualTypeOf<Promise<MyConversation[]>>()
    expectTypeOf(signOutVisitor).returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf<MyConversation['lastMessage']>().toEqualTypeOf<{
      message: string
      creationTime: string
      role: 'visitor' | 'agent' | 'bot'
    } | null>()
    // One shape on both sides of the wire.
    expectTypeOf<VisitorConversation>().toEqualTypeOf<MyConversation>()
  })

  it('the hook takes select and no polling', () => {
    const count = () => useMyConversations({ select: (list) => list.length })
    expectTypeOf(count).returns.toHaveProperty('data').toEqualTypeOf<number | undefined>()
    // @ts-expect-error the history is not polled
    const options: UseMyConversationsOptions = { pollInterval: 1000 }
    void options
    expectTypeOf(myConversationsKey()).toEqualTypeOf<readonly ['socialboards-chat', 'myConversations']>()
  })
})
