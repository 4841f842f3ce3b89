import { createChatClient } from 'socialboards-chat-react'
import {
  createMockChatApi,
  MOCK_AGENT,
  MOCK_BOT,
  MOCK_ERROR_CODES,
  type MockAgentScript,
} from 'socialboards-chat-react/mock'
import { describe, expect, it } from 'vitest'
import { api, baseURL, server, token } from './support/mock-server'

const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
  fetch(`${baseURL}chat/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }).then(async (response) => ({ status: response.status, body: await response.json().catch(() => null) }))

const client = () => createChatClient({ baseURL, accessToken: token })

describe('mock Chat API', () => {
  it('answers 401 without the configured bearer token and keeps no Authorization header', async () => {
    const answer = await post({ author: { email: 'a@b.co' } }, { authorization: 'Bearer wrong' })
    expect(answer).toEqual({
      status: 401,
      body: { data: null, errorCode: MOCK_ERROR_CODES.unauthorized, errorText: 'Missing or invalid access token' },
    })
    expect(JSON.stringify(api.requests)).not.toContain('wrong')
    expect(api.conversations()).toHaveLength(0)
  })

  it('answers a broken rule with an error envelope on HTTP 200 and stores nothing', async () => {
    const answer = await post({ author: { name: 'x' }, url: ' ' })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ data: null, errorCode: MOCK_ERROR_CODES.validation })
    expect(answer.body.errorText).toContain('url must be a non-blank string of at most 2048 characters')
    expect(api.conversations()).toHaveLength(0)
  })

  it('answers 404 for a path it does not know', async () => {
    const response = await fetch(`${baseURL}chat/unknown`, { headers: { authorization: `Bearer ${token}` } })
    expect(response.status).toBe(404)
  })

  it('finds users by id, then email, then normalised customIdentifier, as documented', async () => {
    const chat = client()
    const first = await chat.createConversation({ author: { email: 'john@dow.com' } })
    const byEmail = await chat.createConversation({ author: { email: 'JOHN@dow.com', customIdentifier: ' Cus-1 ' } })
    const byCustom = await chat.createConversation({ author: { customIdentifier: 'CUS-1' } })
    const byId = await chat.createConversation({ author: { id: first.author.id, email: 'other@dow.com' } })
    expect(new Set([first, byEmail, byCustom, byId].map((c) => c.author.id)).size).toBe(1)
    expect(byCustom.author.customIdentifier).toBe('cus-1')
    expect(api.users()).toHaveLength(1)
  })

  it('uses the system bot for a bot author and marks bot conversations', async () => {
    const conversation = await client().createConversation({ author: { isBot: true }, isBotEnabled: true })
    expect(conversation.author).toEqual(MOCK_BOT)
    expect(conversation.isTakeoverEnabled).toBe(false)
  })

  it('applies faults in order, only to matching requests, and after processing when asked', async () => {
    const chat = client()
    api.inject({ type: 'status', status: 500, match: { method: 'GET' } })
    api.inject({ type: 'network', after: true })
    await expect(chat.createConversation({ author: { email: 'a@b.co' } })).rejects.toMatchObject({ kind: 'network' })
    expect(api.conversations()).toHaveLength(1)
    const response = await fetch(`${baseURL}chat/unknown`, { headers: { authorization: `Bearer ${token}` } })
    expect(response.status).toBe(500)
  })

  it('forgets everything on reset', async () => {
    await client().createConversation({ author: { email: 'a@b.co' } })
    api.inject({ type: 'network' })
    api.setAccessToken('changed')
    api.reset()
    expect(api.conversations()).toEqual([])
    expect(api.requests).toEqual([])
    const again = await client().createConversation({ author: { email: 'a@b.co' } })
    expect(again.id).toBe(254626)
    expect(again.queuePositionInfo).toEqual({ position: 1, waitTime: 3 })
  })
})

describe('mock scripted agent', () => {
  const start = Date.parse('2026-01-01T10:00:00Z')
  const setup = (agent: MockAgentScript | false = { queueStepMs: 1000, replyAfterMs: 500 }) => {
    let now = start
    const mock = createMockChatApi({ agent, now: () => new Date(now) })
    server.use(...mock.handlers)
    return { mock, advance: (ms: number) => (now += ms), chat: client() }
  }

  it('moves the queue, lets an agent join at position -1 and answer after a delay', async () => {
    const { chat, advance } = setup()
    await chat.createConversation({ author: { email: 'first@example.com' } })
    const mine = await chat.createConversation({ author: { name: 'Ada', email: 'ada@example.com' } })
    expect(mine.queuePositionInfo).toEqual({ position: 2, waitTime: 6 })
    advance(1000)
    expect((await chat.getConversation(mine.id)).queuePositionInfo).toEqual({ position: 1, waitTime: 3 })
    advance(1000)
    const joined = await chat.getConversation(mine.id, { includeMessages: true })
    expect(joined.queuePositionInfo).toEqual({ position: -1, waitTime: null })
    expect(joined.messages?.[0]).toMatchObject({ author: MOCK_AGENT, message: expect.stringContaining('Hi Ada') })

    await chat.addMessages(mine.id, [{ message: 'My order is late', author: { email: 'ada@example.com' } }])
    advance(499)
    expect((await chat.listMessages(mine.id)).length).toBe(2)
    advance(1)
    const [reply] = await chat.listMessages(mine.id)
    expect(reply).toMatchObject({ author: MOCK_AGENT, message: expect.stringContaining('My order is late') })
  })

  it('lets the bot answer until a human takes over', async () => {
    const { chat, advance } = setup()
    const bot = await chat.createConversation({ author: { email: 'ada@example.com' }, isBotEnabled: true })
    await chat.addMessages(bot.id, [{ message: 'Hi bot', author: { email: 'ada@example.com' } }])
    advance(500)
    expect((await chat.listMessages(bot.id))[0]?.author).toEqual(MOCK_BOT)
    await chat.changeTakeover(bot.id, { isAssignedToBot: false })
    const taken = await chat.getConversation(bot.id, { includeMessages: true })
    expect(taken).toMatchObject({ isTakeoverEnabled: true, queuePositionInfo: { position: -1 } })
    expect(taken.messages?.[0]?.author).toEqual(MOCK_AGENT)
  })

  it('does nothing on its own without the script', async () => {
    const { chat, advance } = setup(false)
    const conversation = await chat.createConversation({ author: { email: 'ada@example.com' } })
    advance(60_000)
    expect((await chat.getConversation(conversation.id)).queuePositionInfo?.position).toBe(1)
  })

  it('refuses take above 100, and a creationTime over 30 s ahead of its clock', async () => {
    const { chat, mock } = setup()
    const conversation = await chat.createConversation({ author: { email: 'ada@example.com' } })
    const response = await fetch(`${mock.baseURL}chat/conversations/${conversation.id}/messages?take=101`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect((await response.json()).errorCode).toBe(MOCK_ERROR_CODES.validation)
    const ahead = await fetch(`${mock.baseURL}chat/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        { message: 'x', author: { email: 'a@b.co' }, creationTime: new Date(start + 31_000).toISOString() },
      ]),
    })
    expect((await ahead.json()).errorText).toContain('more than 30 seconds in the future')
  })
})

describe('mock persistence', () => {
  it('keeps its conversations in the given storage and resumes them in a new mock, as after a page reload', async () => {
    const storage = new Map<string, string>()
    const persist = { storage: { getItem: (k: string) => storage.get(k) ?? null, setItem: storage.set.bind(storage) } }
    const first = createMockChatApi({ persist })
    const request = (body: unknown, path = 'chat/conversations') =>
      first.handle(
        new Request(`${first.baseURL}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      )
    const created = (await (await request({ author: { email: 'ada@example.com' } })).json()).data
    await request(
      [{ message: 'Before the reload', author: { email: 'ada@example.com' } }],
      `chat/conversations/${created.id}/messages`,
    )

    const reloaded = createMockChatApi({ persist })
    expect(reloaded.conversations()).toMatchObject([{ id: created.id, messages: [{ message: 'Before the reload' }] }])
    const next = await reloaded.handle(
      new Request(`${reloaded.baseURL}chat/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ author: { email: 'ada@example.com' } }),
      }),
    )
    const second = (await next.json()).data
    expect(second.id).toBe(created.id + 1)
    expect(second.author.id).toBe(created.author.id)
  })
})
