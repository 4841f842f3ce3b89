// The mock's answers in the reference's format, its queue, and `lastModifiedTime` on every change.
import { type ChatClient, type Conversation, createChatClient } from 'socialboards-chat-react'
import { createMockChatApi, MOCK_AGENT, type MockAgentScript, type MockChatApi } from 'socialboards-chat-react/mock'
import { describe, expect, it } from 'vitest'
import { parseIsoTime } from '../src/core/validate'
import { baseURL, server, token } from './support/mock-server'

/** The stamp format of the reference's examples: 7 fractional digits and an offset. */
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}[+-]\d\d:\d\d$/
const start = Date.parse('2024-05-01T10:00:00.123Z')

function setup(agent: MockAgentScript | false = false) {
  let now = start
  const mock: MockChatApi = createMockChatApi({ agent, now: () => new Date(now) })
  server.use(...mock.handlers)
  const chat: ChatClient = createChatClient({ baseURL, accessToken: token })
  return {
    mock,
    chat,
    /** Moves the mock's clock on and returns the new time. */
    advance: (ms: number) => (now += ms),
    positions: async (...ids: number[]) =>
      Promise.all(ids.map(async (id) => (await chat.getConversation(id)).queuePositionInfo)),
  }
}

const open = (chat: ChatClient, who: string, isBotEnabled = false) =>
  chat.createConversation({ author: { email: `${who}@example.com` }, isBotEnabled })
const place = (position: number) => ({ position, waitTime: position * 3 })
const WITH_AGENT = { position: -1, waitTime: null }

describe('the create answer follows the reference example', () => {
  it('has every field of the example, the author as given, stamps with 7 digits and an offset, no message', async () => {
    const { chat } = setup()
    const created = await chat.createConversation({
      author: { name: 'John', customIdentifier: 'CUS-12345', email: 'john@dow.com' },
      title: 'Chat API Client Problems',
      url: 'https://thejohndow.com',
      sentiment: 'question',
      categoryId: 1505,
    })
    // The keys of the example response (create-conversation), plus the newer Conversation object's.
    expect(Object.keys(created).sort()).toEqual(
      [
        'author',
        'creationTime',
        'id',
        'isClosed',
        'isTakeoverEnabled',
        'lastModifiedTime',
        'messages',
        'queuePositionInfo',
        'feedback',
        'totalMessagesCount',
        'fields',
        'initialPageUrl',
        'latestPageUrl',
      ].sort(),
    )
    expect(Object.keys(created.author).sort()).toEqual(
      ['customIdentifier', 'id', 'name', 'image', 'email', 'status', 'isBot'].sort(),
    )
    expect(created.author).toMatchObject({
      customIdentifier: 'cus-12345', // normalised, as the reference's note says
      name: 'John',
      image: null,
      email: 'john@dow.com',
      status: 'client',
      isBot: false,
    })
    expect(created.creationTime).toBe('2024-05-01T10:00:00.1230000+00:00')
    expect(created.lastModifiedTime).toBe(created.creationTime)
    expect(parseIsoTime(created.creationTime)).toBe(start)
    // The request carries no message, so the mock invents none (the example's id-0 message is not copied).
    expect(created).toMatchObject({ messages: [], totalMessagesCount: 0, feedback: null, isClosed: false })
    expect(created.queuePositionInfo).toEqual(place(1))
  })

  it('stamps messages the same way; a back-dated import keeps its time and is stored now', async () => {
    const { chat, advance } = setup()
    const { id } = await open(chat, 'ada')
    const stored = advance(1000)
    const author = { email: 'ada@example.com' }
    const [now] = await chat.addMessages(id, [{ message: 'Now', author }])
    const [earlier] = await chat.addMessageContext(id, [
      { message: 'By email', author, creationTime: '2023-10-19T10:00:58.84+00:00' },
    ])
    for (const message of [now, earlier]) {
      expect(message?.creationTime).toMatch(STAMP)
      expect(message?.lastModifiedTime).toMatch(STAMP)
    }
    expect(now?.creationTime).toBe(now?.lastModifiedTime)
    expect(earlier?.creationTime).toBe('2023-10-19T10:00:58.8400000+00:00')
    expect(parseIsoTime(earlier?.lastModifiedTime)).toBe(stored)
    const conversation = await chat.getConversation(id)
    expect(parseIsoTime(conversation.lastModifiedTime)).toBe(stored)
  })
})

describe('the queue moves when an earlier conversation closes', () => {
  it('moves every one behind it up a place, with its wait', async () => {
    const { chat, positions } = setup()
    const [a, b, c] = [await open(chat, 'a'), await open(chat, 'b'), await open(chat, 'c')]
    expect([a, b, c].map((conversation) => conversation.queuePositionInfo)).toEqual([place(1), place(2), place(3)])
    await chat.closeConversation(a.id)
    expect(await positions(b.id, c.id)).toEqual([place(1), place(2)])
    await chat.closeConversation(c.id) // the last one: nobody is behind it
    expect(await positions(b.id)).toEqual([place(1)])
    const d = await open(chat, 'd')
    expect(d.queuePositionInfo).toEqual(place(2))
  })

  it('moves only those behind: closing the middle one leaves the first where it is', async () => {
    const { chat, positions } = setup()
    const [a, b, c] = [await open(chat, 'a'), await open(chat, 'b'), await open(chat, 'c')]
    await chat.closeConversation(b.id)
    expect(await positions(a.id, c.id)).toEqual([place(1), place(2)])
    await chat.closeConversation(b.id) // closing it again moves nobody twice
    expect(await positions(a.id, c.id)).toEqual([place(1), place(2)])
  })

  it('leaves the other conversations’ lastModifiedTime alone: the queue is not their data', async () => {
    const { chat, advance } = setup()
    const [a, b] = [await open(chat, 'a'), await open(chat, 'b')]
    advance(5000)
    await chat.closeConversation(a.id)
    const moved = await chat.getConversation(b.id)
    expect(moved.queuePositionInfo).toEqual(place(1))
    expect(moved.lastModifiedTime).toBe(b.lastModifiedTime)
  })
})

describe('the queue moves when an agent takes an earlier conversation', () => {
  it('the scripted agent takes the first waiting one; the others move up', async () => {
    const { chat, mock, positions } = setup({ manual: true })
    const [a, b, c] = [await open(chat, 'a'), await open(chat, 'b'), await open(chat, 'c')]
    expect(mock.runAgent(1)).toBe(1)
    expect(await positions(a.id, b.id, c.id)).toEqual([WITH_AGENT, place(1), place(2)])
    const taken = await chat.getConversation(a.id, { includeMessages: true })
    expect(taken.messages?.[0]?.author).toEqual(MOCK_AGENT)
    expect(mock.runAgent()).toBe(2)
    expect(await positions(b.id, c.id)).toEqual([WITH_AGENT, WITH_AGENT])
  })

  it('a bot conversation keeps its place until a human takes it over; then those behind move up', async () => {
    const { chat, mock, positions } = setup({ manual: true })
    const bot = await open(chat, 'x', true)
    const [y, z] = [await open(chat, 'y'), await open(chat, 'z')]
    mock.runAgent(1) // the agent takes the first one that is not with the bot
    expect(await positions(bot.id, y.id, z.id)).toEqual([place(1), WITH_AGENT, place(2)])
    await chat.changeTakeover(bot.id, { isAssignedToBot: false })
    expect(await positions(bot.id, z.id)).toEqual([WITH_AGENT, place(1)])
  })

  it('on its clock: the agent takes the first waiting one every step; a close between moves the rest up', async () => {
    const { chat, advance, positions } = setup({ queueStepMs: 1000, replyAfterMs: 500 })
    const [a, b, c] = [await open(chat, 'a'), await open(chat, 'b'), await open(chat, 'c')]
    advance(400)
    await chat.closeConversation(a.id)
    expect(await positions(b.id, c.id)).toEqual([place(1), place(2)])
    advance(599) // 999 ms
    expect(await positions(b.id, c.id)).toEqual([place(1), place(2)])
    advance(1) // 1000 ms: the agent's first step takes whoever is first by then
    expect(await positions(b.id, c.id)).toEqual([WITH_AGENT, place(1)])
    advance(999)
    expect(await positions(c.id)).toEqual([place(1)])
    advance(1)
    expect(await positions(c.id)).toEqual([WITH_AGENT])
  })

  it('without the script, nothing takes a conversation: a takeover alone does not move the queue', async () => {
    const { chat, positions } = setup()
    const [a, b] = [await open(chat, 'a', true), await open(chat, 'b')]
    await chat.changeTakeover(a.id, { isAssignedToBot: false })
    expect(await positions(a.id, b.id)).toEqual([place(1), place(2)])
  })
})

describe('every change touches lastModifiedTime', () => {
  it('a message, feedback, a takeover, the latest URL and a close each move it to the time of the change', async () => {
    const { chat, advance } = setup()
    const author = { email: 'ada@example.com' }
    const created = await open(chat, 'ada', true)
    const changes: [string, (id: number) => Promise<unknown>][] = [
      ['message added', (id) => chat.addMessages(id, [{ message: 'Hi', author }])],
      [
        'context added',
        (id) => chat.addMessageContext(id, [{ message: 'Old', author, creationTime: '2020-01-01T00:00:00Z' }]),
      ],
      ['feedback', (id) => chat.updateFeedback(id, { isPositive: true, text: 'Thanks' })],
      ['takeover', (id) => chat.changeTakeover(id, { isAssignedToBot: false })],
      ['latest URL', (id) => chat.updateLatestUrl(id, '/checkout')],
      ['close', (id) => chat.closeConversation(id)],
    ]
    let conversation: Conversation = created
    for (const [change, apply] of changes) {
      const at = advance(1000)
      await apply(created.id)
      conversation = await chat.getConversation(created.id)
      expect({ change, stamp: conversation.lastModifiedTime }).toEqual({
        change,
        stamp: expect.stringMatching(STAMP),
      })
      expect({ change, at: parseIsoTime(conversation.lastModifiedTime) }).toEqual({ change, at })
    }
    expect(conversation.creationTime).toBe(created.creationTime)
    expect(conversation).toMatchObject({ isClosed: true, latestPageUrl: '/checkout', feedback: { isPositive: true } })
  })

  it('reading changes nothing', async () => {
    const { chat, advance } = setup()
    const created = await open(chat, 'ada')
    advance(1000)
    await chat.getConversation(created.id, { includeMessages: true })
    await chat.listMessages(created.id)
    await chat.getTakeover(created.id)
    expect((await chat.getConversation(created.id)).lastModifiedTime).toBe(created.lastModifiedTime)
  })
})
