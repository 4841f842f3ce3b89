import {
  addMessages,
  clientOf,
  connect,
  createChatClient,
  createConversation,
  getConversation,
  messageRole,
  sameUser,
} from 'socialboards-chat-react/core'
import { MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createMockChatServer } from 'socialboards-chat-react/mock/server'
import { describe, expect, it } from 'vitest'
import { sessionClientOf } from '../../src/core/client'

describe('endpoint functions over one connection', () => {
  it('create and write with only the functions used, with the same checks and errors as the client', async () => {
    const mock = await createMockChatServer()
    try {
      const chat = connect({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
      const created = await createConversation(chat, { author: { email: 'ada@example.com' }, title: 'Shop' })
      await addMessages(chat, created.id, [{ message: 'Hello', author: { email: 'ada@example.com' } }])
      expect((await getConversation(chat, created.id)).totalMessagesCount).toBe(1)
      // The same validation as the client: nothing is sent.
      const before = mock.api.requests.length
      await expect(createConversation(chat, { author: { email: 'not an email' } })).rejects.toMatchObject({
        kind: 'validation',
        issues: [{ path: 'author.email' }],
      })
      expect(mock.api.requests.length).toBe(before)
      // The clock learned from the create, as the client's does.
      expect(chat.clock.offset).toEqual(expect.any(Number))
    } finally {
      await mock.close()
    }
  })

  it('clientOf gives one client per connection, and a client is its own', () => {
    const chat = connect({ baseURL: 'https://chat.example.com/api/' })
    expect(clientOf(chat)).toBe(clientOf(chat))
    expect(clientOf(chat).baseURL).toBe('https://chat.example.com/api/')
    const client = createChatClient({ baseURL: 'https://chat.example.com/api/' })
    expect(clientOf(client)).toBe(client)
    expect(() => connect({ baseURL: 'chat.example.com' })).toThrow(/baseURL/)
  })

  it('a session client is one per connection, with sign-out but not the history list; a full client is its own', () => {
    const chat = connect({ baseURL: 'https://chat.example.com/api/' })
    const lean = sessionClientOf(chat)
    expect(sessionClientOf(chat)).toBe(lean)
    expect(typeof lean.createConversation).toBe('function')
    expect('listMyConversations' in lean).toBe(false)
    expect(typeof lean.signOutVisitor).toBe('function')
    // The public clientOf keeps every method, whichever was asked for first.
    expect(typeof clientOf(chat).listMyConversations).toBe('function')
    expect(typeof clientOf(chat).signOutVisitor).toBe('function')
    const client = createChatClient({ baseURL: 'https://chat.example.com/api/' })
    expect(sessionClientOf(client)).toBe(client)
  })
})

describe('who wrote a message', () => {
  const visitor = { id: 'aaaaaaaa-0000-4000-8000-000000000001', email: 'ada@example.com', isBot: false }
  it('decides by the first identifier both carry: id, then email, then customIdentifier', () => {
    expect(sameUser({ id: visitor.id, email: 'other@example.com' }, visitor)).toBe(true)
    expect(sameUser({ email: 'ADA@example.com ' }, { email: 'ada@example.com' })).toBe(true)
    expect(sameUser({ customIdentifier: 'CUS-1' }, { customIdentifier: 'cus-1' })).toBe(true)
    expect(sameUser({ email: 'ada@example.com', customIdentifier: 'x' }, { customIdentifier: 'x' })).toBe(true)
    expect(sameUser({ name: 'Anna' }, visitor)).toBeUndefined()
  })

  it('bot by isBot, visitor by identity, agent otherwise', () => {
    expect(messageRole({ isBot: true }, [visitor])).toBe('bot')
    expect(messageRole({ id: visitor.id, isBot: false }, [visitor])).toBe('visitor')
    expect(messageRole({ id: 'aaaaaaaa-0000-4000-8000-000000000002', isBot: false }, [visitor])).toBe('agent')
    // The conversation's author is asked first; a visitor value known only by customIdentifier next.
    expect(messageRole({ customIdentifier: 'cus-9' }, [undefined, { customIdentifier: 'CUS-9' }])).toBe('visitor')
    expect(messageRole({ name: 'Staff', status: 'team' } as never, [visitor])).toBe('agent')
  })
})
