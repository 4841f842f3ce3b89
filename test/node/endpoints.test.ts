import { createChatClient } from 'socialboards-chat-react'
import { ENDPOINTS, matchEndpoints } from 'socialboards-chat-react/core'
import { MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createMockChatServer } from 'socialboards-chat-react/mock/server'
import { describe, expect, it } from 'vitest'

describe('the endpoint table', () => {
  it('has every endpoint the reference lists (queue information comes from the conversation)', () => {
    expect(ENDPOINTS.map((endpoint) => endpoint.name)).toEqual([
      'createConversation',
      'addMessages',
      'addMessageContext',
      'getConversation',
      'listMessages',
      'getTakeover',
      'changeTakeover',
      'updateFeedback',
      'updateLatestUrl',
      'closeConversation',
    ])
    expect(ENDPOINTS.filter((e) => e.status === 'unconfirmed').map((e) => e.name)).toEqual([
      'updateLatestUrl',
      'closeConversation',
    ])
    // Importing history as anyone is for servers only.
    expect(ENDPOINTS.filter((e) => e.visitor === 'refused').map((e) => e.name)).toEqual(['addMessageContext'])
  })

  it('matches paths to endpoints by their templates', () => {
    expect(matchEndpoints('chat/conversations/7/messages').map((m) => [m.endpoint.name, m.id])).toEqual([
      ['addMessages', '7'],
      ['listMessages', '7'],
    ])
    expect(matchEndpoints('chat/conversations').map((m) => m.endpoint.name)).toEqual(['createConversation'])
    expect(matchEndpoints('chat/conversations/7/unknown')).toEqual([])
    expect(matchEndpoints('chat/conversations/7/8/messages')).toEqual([])
  })

  it('drives the client and the mock alike: every endpoint is a method, and the mock serves it', async () => {
    const mock = await createMockChatServer()
    try {
      const client = createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
      for (const endpoint of ENDPOINTS) expect(typeof client[endpoint.name as keyof typeof client]).toBe('function')
      const author = { email: 'ada@example.com' }
      const { id } = await client.createConversation({ author })
      await client.addMessages(id, [{ message: 'Hi', author }])
      await client.addMessageContext(id, [{ message: 'Earlier', author, creationTime: '2023-01-01T00:00:00Z' }])
      await client.getConversation(id, { includeMessages: true })
      await client.listMessages(id)
      await client.getTakeover(id)
      await client.changeTakeover(id, { isAssignedToBot: false })
      await client.updateFeedback(id, { isPositive: true })
      await client.updateLatestUrl(id, 'https://shop.example/cart')
      await client.closeConversation(id)
      // A network fault on a real port is a dropped connection.
      mock.api.inject({ type: 'network' })
      await expect(client.getTakeover(id)).rejects.toMatchObject({ kind: 'network' })
      const served = new Set(
        mock.api.requests.flatMap((r) =>
          matchEndpoints(r.path)
            .filter((m) => m.endpoint.method === r.method)
            .map((m) => m.endpoint.name),
        ),
      )
      expect([...served].sort()).toEqual(ENDPOINTS.map((e) => e.name).sort())
      // A known path with another method is 405; an unknown one 404.
      const wrong = await fetch(`${mock.baseURL}chat/conversations/${id}/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${MOCK_ACCESS_TOKEN}` },
      })
      expect(wrong.status).toBe(405)
      const unknown = await fetch(`${mock.baseURL}chat/conversations/${id}/nope`, {
        headers: { authorization: `Bearer ${MOCK_ACCESS_TOKEN}` },
      })
      expect(unknown.status).toBe(404)
    } finally {
      await mock.close()
    }
  })
})

describe('an add answered with fewer messages than were sent', () => {
  // The reference's add-messages example sends two messages and answers one: the answer is data.
  const referenceAnswer = [
    {
      author: {
        email: 'john@dow.com',
        id: 'fc2481f6-28a4-4ca7-849a-344fd6ab1b20',
        image: null,
        isBot: false,
        name: 'John',
        status: 'client',
      },
      creationTime: '2023-08-22T14:50:07.21+00:00',
      id: 667155,
      lastModifiedTime: '2023-09-01T15:03:59.81+00:00',
      message: 'Example of chat message',
    },
  ]
  const author = { name: 'John', email: 'john@dow.com' }
  const two = [
    { message: 'Example of chat message', author },
    { message: 'Example of previous chat message', author, creationTime: '2023-10-19T10:00:58.84+00:00' },
  ]

  it.each([
    ['the reference example (two sent, one answered)', referenceAnswer],
    ['an empty list', []],
  ])('is data, not a parse error: %s; the messages are stored and listing finds them', async (_what, data) => {
    const mock = await createMockChatServer()
    try {
      const client = createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
      const { id } = await client.createConversation({ author })
      // The mock stores the messages, then its answer is replaced (a success envelope with `data`).
      mock.api.inject({ type: 'envelope', errorCode: -1, data, after: true, match: { method: 'POST' } })
      await expect(client.addMessages(id, two)).resolves.toEqual(data)
      mock.api.inject({ type: 'envelope', errorCode: -1, data, after: true, match: { method: 'POST' } })
      await expect(
        client.addMessageContext(id, [{ message: 'Imported', author, creationTime: '2023-01-01T00:00:00Z' }]),
      ).resolves.toEqual(data)
      const listed = await client.listMessages(id, { orderBy: 'creation_time_asc' })
      expect(listed.map((message) => message.message)).toEqual([
        'Imported',
        'Example of previous chat message',
        'Example of chat message',
      ])
      expect((await client.getConversation(id)).totalMessagesCount).toBe(3)
    } finally {
      await mock.close()
    }
  })

  it.each([
    ['an object', { id: 1 }],
    ['null', null],
    ['a list with an item that is not a message', [{ message: 'no id' }]],
    ['a list with a string', ['667155']],
  ])('is still a parse error when the answer is not a list of messages: %s', async (_what, data) => {
    const mock = await createMockChatServer()
    try {
      const client = createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
      const { id } = await client.createConversation({ author })
      mock.api.inject({ type: 'envelope', errorCode: -1, data, after: true, match: { method: 'POST' } })
      await expect(client.addMessages(id, two)).rejects.toMatchObject({ kind: 'parse' })
    } finally {
      await mock.close()
    }
  })
})

describe('the mock tells of its changes as webhooks would', () => {
  it('reports created, message added, takeover changed and closed, with the conversation', async () => {
    const events: { type: string; conversationId: number }[] = []
    const mock = await createMockChatServer({ onEvent: (event) => void events.push(event) })
    try {
      const client = createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
      const author = { email: 'ada@example.com' }
      const { id } = await client.createConversation({ author })
      await client.addMessages(id, [{ message: 'Hi', author }])
      await client.changeTakeover(id, { isAssignedToBot: false })
      await client.closeConversation(id)
      expect(events).toEqual([
        { type: 'conversation_created', conversationId: id },
        { type: 'conversation_message_added', conversationId: id },
        { type: 'conversation_takeover_state_changed', conversationId: id },
        { type: 'conversation_closed', conversationId: id },
      ])
    } finally {
      await mock.close()
    }
  })
})
