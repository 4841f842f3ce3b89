import { HttpResponse, http } from 'msw'
import { type AddMessageInput, type ChatClient, createChatClient } from 'socialboards-chat-react'
import { MOCK_ERROR_CODES } from 'socialboards-chat-react/mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { failure } from './support/failure'
import { api, baseURL, server, token } from './support/mock-server'

const author = { name: 'John', email: 'john@dow.com' }
let client: ChatClient
let id: number

beforeEach(async () => {
  client = createChatClient({ baseURL, accessToken: token })
  id = (await client.createConversation({ author, url: 'https://shop.example/start' })).id
  api.requests.length = 0
})

const last = () => api.requests[api.requests.length - 1]

describe('conversation lifecycle through the client', () => {
  it('gets a conversation, sending the order in both documented spellings', async () => {
    const conversation = await client.getConversation(id, { includeMessages: true, orderBy: 'creation_time_asc' })
    expect(conversation).toMatchObject({ id, isClosed: false, messages: [] })
    expect(last()).toMatchObject({
      method: 'GET',
      path: `chat/conversations/${id}`,
      query: { includeMessages: 'true', orderyBy: 'creation_time_asc', orderBy: 'creation_time_asc' },
    })
  })

  it('adds messages, lists them with skip/take, and counts them on the conversation', async () => {
    const sent = await client.addMessages(id, [
      { message: 'First', author },
      { message: 'Second', author, isByTeam: false },
    ])
    expect(sent.map((m) => m.message)).toEqual(['First', 'Second'])
    expect(sent[0]).toMatchObject({ id: expect.any(Number), author: { email: 'john@dow.com', status: 'client' } })
    expect(api.requests[0]).toMatchObject({ method: 'POST', path: `chat/conversations/${id}/messages` })
    await client.addMessages(id, [{ message: 'Third', author }])

    const page = await client.listMessages(id, { orderBy: 'creation_time_asc', skip: 1, take: 2 })
    expect(page.map((m) => m.message)).toEqual(['Second', 'Third'])
    expect(last()?.query).toEqual({ orderBy: 'creation_time_asc', skip: '1', take: '2' })
    const latest = await client.listMessages(id)
    expect(latest.map((m) => m.message)).toEqual(['Third', 'Second', 'First'])
    expect((await client.getConversation(id)).totalMessagesCount).toBe(3)
  })

  it('attaches back-dated context messages in time order', async () => {
    await client.addMessages(id, [{ message: 'Now', author }])
    await client.addMessageContext(id, [
      { message: 'Sent by email last week', author, creationTime: '2023-10-19T10:00:58.84+00:00' },
    ])
    expect(last()).toMatchObject({ method: 'POST', path: `chat/conversations/${id}/previousMessages` })
    const history = await client.listMessages(id, { orderBy: 'creation_time_asc' })
    expect(history.map((m) => m.message)).toEqual(['Sent by email last week', 'Now'])
  })

  it('reads and changes the takeover state', async () => {
    const bot = await client.createConversation({ author, isBotEnabled: true })
    expect(await client.getTakeover(bot.id)).toEqual({ isAssignedToBot: true })
    const changed = await client.changeTakeover(bot.id, { isAssignedToBot: false, assigneeId: null })
    expect(changed).toEqual({ isAssignedToBot: false })
    expect(last()).toMatchObject({
      method: 'PATCH',
      path: `chat/conversations/${bot.id}/takeover`,
      body: { isAssignedToBot: false, assigneeId: null },
    })
    expect(await client.getTakeover(bot.id)).toEqual({ isAssignedToBot: false })
  })

  it('stores feedback, also after closing', async () => {
    await client.closeConversation(id)
    expect(last()).toMatchObject({ method: 'PATCH', path: `chat/conversations/${id}/close` })
    const feedback = await client.updateFeedback(id, { isPositive: true, text: 'Nice, thank you!' })
    expect(feedback).toEqual({ isPositive: true, text: 'Nice, thank you!' })
    expect(await client.getConversation(id)).toMatchObject({ isClosed: true, feedback })
  })

  it('records the latest page URL on the default (unconfirmed) path', async () => {
    await expect(client.updateLatestUrl(id, 'https://shop.example/cart')).resolves.toBeUndefined()
    expect(last()).toMatchObject({
      method: 'PATCH',
      path: `chat/conversations/${id}/latestUrl`,
      body: { url: 'https://shop.example/cart' },
    })
    expect((await client.getConversation(id)).latestPageUrl).toBe('https://shop.example/cart')
  })

  it('uses overridden paths for the undocumented endpoints', async () => {
    let hit = ''
    server.use(
      http.post(`${baseURL}v2/chat/:id/end`, ({ params }) => {
        hit = String(params.id)
        return HttpResponse.json({ data: null, errorCode: -1, errorText: null })
      }),
    )
    const custom = createChatClient({
      baseURL,
      accessToken: token,
      paths: { closeConversation: { method: 'POST', path: 'v2/chat/{id}/end' } },
    })
    await custom.closeConversation(id)
    expect(hit).toBe(String(id))
  })

  it('names the path override when an undocumented path is not found', async () => {
    const wrong = createChatClient({
      baseURL,
      accessToken: token,
      paths: { updateLatestUrl: { method: 'PUT', path: 'chat/conversations/{id}/pageUrl' } },
    })
    const error = await failure(wrong.updateLatestUrl(id, 'https://shop.example/'))
    expect(error).toMatchObject({ kind: 'http', status: 404 })
    expect(error.message).toContain('set paths.updateLatestUrl in the createChatClient options')
  })

  it('reports a message to a closed conversation with the server’s code', async () => {
    await client.closeConversation(id)
    const error = await failure(client.addMessages(id, [{ message: 'Hello?', author }]))
    expect(error).toMatchObject({ kind: 'api', errorCode: MOCK_ERROR_CODES.closed })
  })

  it('reports an unknown conversation as HTTP 404', async () => {
    const error = await failure(client.getConversation(999_999))
    expect(error).toMatchObject({ kind: 'http', status: 404, errorCode: MOCK_ERROR_CODES.notFound })
  })
})

describe('lifecycle input validation, before anything is sent', () => {
  const future = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString()
  const message: AddMessageInput = { message: 'Hi', author }
  const cases: [string, (c: ChatClient) => Promise<unknown>, string][] = [
    ['a zero id', (c) => c.getConversation(0), 'id'],
    ['a negative id', (c) => c.listMessages(-4), 'id'],
    ['a fractional id', (c) => c.getTakeover(1.5), 'id'],
    ['a string id', (c) => c.closeConversation('254626' as never), 'id'],
    ['an unknown order', (c) => c.getConversation(254626, { orderBy: 'newest' as never }), 'orderBy'],
    [
      'includeMessages as a string',
      (c) => c.getConversation(254626, { includeMessages: 'yes' as never }),
      'includeMessages',
    ],
    ['take 0', (c) => c.listMessages(254626, { take: 0 }), 'take'],
    ['take 101', (c) => c.listMessages(254626, { take: 101 }), 'take'],
    ['a negative skip', (c) => c.listMessages(254626, { skip: -1 }), 'skip'],
    ['no messages', (c) => c.addMessages(254626, []), 'messages'],
    ['messages that are not an array', (c) => c.addMessages(254626, message as never), 'messages'],
    ['an empty message', (c) => c.addMessages(254626, [{ ...message, message: ' ' }]), 'messages[0].message'],
    ['a message without author', (c) => c.addMessages(254626, [{ message: 'Hi' } as never]), 'messages[0].author'],
    [
      'an author without identifier',
      (c) => c.addMessages(254626, [{ message: 'Hi', author: { name: 'x' } }]),
      'messages[0].author',
    ],
    [
      'a creationTime 31 s ahead',
      (c) => c.addMessages(254626, [{ ...message, creationTime: future(31) }]),
      'messages[0].creationTime',
    ],
    [
      'a creationTime that is not ISO',
      (c) => c.addMessageContext(254626, [{ ...message, creationTime: 'yesterday' }]),
      'messages[0].creationTime',
    ],
    [
      'isByTeam as a string',
      (c) => c.addMessages(254626, [{ ...message, isByTeam: 'no' as never }]),
      'messages[0].isByTeam',
    ],
    [
      'a second bad message',
      (c) => c.addMessages(254626, [message, { ...message, author: { email: 'x' } }]),
      'messages[1].author.email',
    ],
    ['takeover without isAssignedToBot', (c) => c.changeTakeover(254626, {} as never), 'isAssignedToBot'],
    [
      'an assigneeId that is not a GUID',
      (c) => c.changeTakeover(254626, { isAssignedToBot: false, assigneeId: 'anna' }),
      'assigneeId',
    ],
    ['feedback without isPositive', (c) => c.updateFeedback(254626, { text: 'ok' } as never), 'isPositive'],
    ['feedback text as a number', (c) => c.updateFeedback(254626, { isPositive: true, text: 5 as never }), 'text'],
    ['a blank latest URL', (c) => c.updateLatestUrl(254626, '   '), 'url'],
    ['no latest URL', (c) => c.updateLatestUrl(254626, undefined as never), 'url'],
  ]
  it.each(cases)('refuses %s', async (_what, call, path) => {
    const error = await failure(call(client))
    expect(error.kind).toBe('validation')
    expect(error.issues?.map((issue) => issue.path)).toContain(path)
    expect(api.requests).toHaveLength(0)
  })

  it('accepts a creationTime up to 30 s ahead, and any time in the past', async () => {
    await expect(
      client.addMessages(id, [
        { ...message, creationTime: future(25) },
        { ...message, creationTime: '2019-01-01T00:00:00+02:00' },
      ]),
    ).resolves.toHaveLength(2)
  })
})
