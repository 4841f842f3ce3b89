import { createChatClient } from 'socialboards-chat-react'
import {
  ChatApiError,
  type ChatClient,
  type ChatSessionOptions,
  type Conversation,
  type ConversationMessage,
  createChatSession,
  createMemoryStorage,
  type Timers,
} from 'socialboards-chat-react/core'
import { MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createMockChatServer } from 'socialboards-chat-react/mock/server'
import { describe, expect, it, vi } from 'vitest'
import { until } from './session-until'

// After the conversation closed (#23 item 3): follow-up or stay-closed, as engine transitions
// (memory storage, timers that never fire, a scripted client), then once over real HTTP.

const visitor = { id: 'v-1', email: 'ada@example.com', isBot: false, status: 'client' }
const stillTimers: Timers = { setTimeout: () => 0, clearTimeout: () => {} }
const settle = async () => {
  for (let i = 0; i < 40; i++) await Promise.resolve()
}

/** A server of conversations 7, 8, …: `close(id)` closes one as an agent would; a message to a closed one is refused. */
function scriptedServer() {
  const calls: string[] = []
  const conversations = new Map<number, { closed: boolean; details: unknown; messages: ConversationMessage[] }>()
  let nextId = 7
  let nextMessage = 100
  const view = (id: number): Conversation => {
    const held = conversations.get(id)
    if (!held) throw new ChatApiError('http', 'HTTP 404', { status: 404 })
    return {
      id,
      author: visitor,
      creationTime: '2026-01-01T00:00:00.000Z',
      isClosed: held.closed,
      totalMessagesCount: held.messages.length,
      queuePositionInfo: { position: 2, waitTime: 3 },
    } as Conversation
  }
  const client = {
    baseURL: 'http://chat.test/',
    idempotencyKeys: false,
    clock: { now: () => Date.now(), offset: undefined, seed: () => {} },
    createConversation: async (input: unknown) => {
      const id = nextId++
      calls.push(`create:${id}`)
      conversations.set(id, { closed: false, details: input, messages: [] })
      return view(id)
    },
    getConversation: async (id: number) => {
      calls.push(`get:${id}`)
      return view(id)
    },
    listMessages: async (id: number) => [...(conversations.get(id)?.messages ?? [])].reverse(),
    addMessages: async (id: number, messages: { message: string; creationTime?: string | null }[]) => {
      calls.push(`add:${id}:${messages[0]?.message}`)
      const held = conversations.get(id)
      if (held?.closed)
        throw new ChatApiError('api', 'API error 1003: closed', { status: 200, errorCode: 1003, errorText: 'closed' })
      const added = messages.map((m) => ({
        id: nextMessage++,
        author: visitor,
        message: m.message,
        creationTime: m.creationTime ?? new Date().toISOString(),
      })) as ConversationMessage[]
      held?.messages.push(...added)
      return added
    },
    closeConversation: async (id: number) => {
      calls.push(`close:${id}`)
      const held = conversations.get(id)
      if (held) held.closed = true
      return view(id)
    },
  } as unknown as ChatClient
  const close = (id: number) => {
    const held = conversations.get(id)
    if (held) held.closed = true
  }
  const texts = (id: number) => conversations.get(id)?.messages.map((m) => m.message)
  return { client, calls, close, texts, conversations }
}

function session(server: ReturnType<typeof scriptedServer>, options: Partial<ChatSessionOptions> = {}) {
  const errors: ChatApiError[] = []
  const chat = createChatSession({
    client: server.client,
    author: { email: 'ada@example.com' },
    conversation: { title: 'Billing' },
    storage: createMemoryStorage(),
    timers: stillTimers,
    lock: (_name, task) => task(),
    onError: (error) => errors.push(error),
    ...options,
  })
  return { chat, errors }
}

/** A session holding conversation 7 with one message stored. */
async function chatting(server: ReturnType<typeof scriptedServer>, options: Partial<ChatSessionOptions> = {}) {
  const opened = session(server, options)
  opened.chat.send('Hello')
  await settle()
  expect(server.texts(7)).toEqual(['Hello'])
  return opened
}

/**
 * A page that closed conversation 7, followed it up with 8, and went away: what a reload finds in
 * `storage` (the follow-up, with the closed one as its `previous`).
 */
async function followedUpThenLeft() {
  const server = scriptedServer()
  const storage = createMemoryStorage()
  const { chat } = await chatting(server, { storage })
  await chat.close()
  chat.send('One more thing')
  await settle()
  expect(chat.getSnapshot()).toMatchObject({ conversationId: 8, previousConversationId: 7 })
  chat.destroy()
  return { server, storage }
}

describe("afterClose: 'follow-up' (the default)", () => {
  it('a message the server refuses because an agent closed the chat goes to a follow-up, once, untold', async () => {
    const server = scriptedServer()
    const { chat, errors } = await chatting(server)
    server.close(7) // the agent closes; the session has not read it yet
    chat.send('Are you still there?')
    await settle()
    expect(server.calls).toEqual([
      'create:7',
      'add:7:Hello',
      'add:7:Are you still there?',
      'get:7',
      'create:8',
      'add:8:Are you still there?',
    ])
    expect(server.texts(8), 'the message lands in the follow-up exactly once').toEqual(['Are you still there?'])
    expect(server.conversations.get(8)?.details, 'same author and details').toMatchObject({
      title: 'Billing',
      author: { email: 'ada@example.com' },
    })
    expect(errors, 'the refusal is no error: onError not called').toEqual([])
    const state = chat.getSnapshot()
    expect(state.conversationId).toBe(8)
    expect(state.previousConversationId, 'the closed one stays readable').toBe(7)
    expect(state.messages.map((m) => [m.message, m.status])).toEqual([
      ['Hello', 'sent'],
      ['Are you still there?', 'sent'],
    ])
    chat.destroy()
  })

  it('a send once the status is closed goes to a follow-up without touching the closed conversation', async () => {
    const server = scriptedServer()
    const { chat, errors } = await chatting(server)
    await chat.close()
    expect(chat.getSnapshot().status).toBe('closed')
    server.calls.length = 0
    chat.send('One more thing')
    expect(chat.getSnapshot().previousConversationId).toBe(7)
    await settle()
    expect(server.calls).toEqual(['create:8', 'add:8:One more thing'])
    expect(errors).toEqual([])
    expect(chat.getSnapshot()).toMatchObject({ conversationId: 8, previousConversationId: 7, status: 'queued' })
    chat.reset() // the visitor moves on
    expect(chat.getSnapshot().previousConversationId).toBeUndefined()
    expect(
      chat.getSnapshot().messages.map((m) => m.message),
      'the closed one’s messages go',
    ).not.toContain('Hello')
    chat.destroy()
  })

  it('after a reload, the closed conversation still shows above its follow-up, all at once', async () => {
    const { server, storage } = await followedUpThenLeft()

    // Real timers from here: the reloaded session reads at once.
    const reloaded = session(server, { storage, timers: globalThis as unknown as Timers }).chat
    expect(reloaded.getSnapshot().previousConversationId, 'known from storage before any read').toBe(7)
    const shown: string[][] = []
    reloaded.subscribe(() => {
      const texts = reloaded.getSnapshot().messages.map((m) => m.message)
      if (texts.length) shown.push(texts)
    })
    await vi.waitFor(() => expect(reloaded.getSnapshot().messages).toHaveLength(2))
    expect(reloaded.getSnapshot()).toMatchObject({ conversationId: 8, previousConversationId: 7 })
    expect(shown, 'never the follow-up without the closed one above').toEqual([['Hello', 'One more thing']])
    reloaded.reset() // the visitor moves on
    expect(reloaded.getSnapshot().previousConversationId).toBeUndefined()
    expect(reloaded.getSnapshot().messages).toEqual([])
    reloaded.destroy()
  })

  it('after a reload whose first read fails, the closed conversation still shows above at the next read', async () => {
    const { server, storage } = await followedUpThenLeft()

    let failures = 1
    const read = server.client.getConversation
    const flaky = Object.assign(Object.create(server.client), {
      getConversation: (id: number) =>
        failures-- > 0 ? Promise.reject(new ChatApiError('network', 'network error')) : read(id),
    })
    const reloaded = session(
      { ...server, client: flaky },
      { storage, timers: globalThis as unknown as Timers, pollInterval: 20 },
    ).chat
    await vi.waitFor(() => expect(reloaded.getSnapshot().messages).toHaveLength(2), { timeout: 10_000 })
    expect(reloaded.getSnapshot().messages.map((m) => m.message)).toEqual(['Hello', 'One more thing'])
    reloaded.destroy()
  })

  it('the closed conversation’s messages, read again after a reload, never arrive once the visitor moved on', async () => {
    const { server, storage } = await followedUpThenLeft()

    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const list = server.client.listMessages
    const held = Object.assign(Object.create(server.client), {
      // The closed conversation's page answers only when the test says.
      listMessages: async (id: number, ...rest: unknown[]) => {
        if (id === 7) await gate
        return (list as (...args: unknown[]) => Promise<ConversationMessage[]>)(id, ...rest)
      },
    })
    const reloaded = session({ ...server, client: held }, { storage, timers: globalThis as unknown as Timers }).chat
    await vi.waitFor(() => expect(server.calls).toContain('get:8'))
    reloaded.reset()
    release()
    await settle()
    expect(reloaded.getSnapshot().previousConversationId, 'stale: moved on').toBeUndefined()
    expect(reloaded.getSnapshot().messages, 'stale: nothing of the closed one shows').toEqual([])
    reloaded.destroy()
  })

  it('retry(localId) while closed starts the follow-up and sends the message there', async () => {
    const server = scriptedServer()
    const { chat } = await chatting(server)
    const add = server.client.addMessages
    server.client.addMessages = (() =>
      Promise.reject(new ChatApiError('http', 'HTTP 400', { status: 400 }))) as ChatClient['addMessages']
    chat.send('Refused for another reason')
    await settle()
    const failed = chat.getSnapshot().messages.at(-1)
    expect(failed).toMatchObject({ status: 'failed', error: { status: 400 } })
    server.client.addMessages = add
    await chat.close()
    server.calls.length = 0
    chat.retry(failed?.localId as number)
    await settle()
    expect(server.calls).toEqual(['create:8', 'add:8:Refused for another reason'])
    expect(chat.getSnapshot()).toMatchObject({ conversationId: 8, previousConversationId: 7 })
    chat.destroy()
  })
})

describe("afterClose: 'stay-closed'", () => {
  it('a send after closed is a typed error before any request; the text is kept; start() moves on', async () => {
    const server = scriptedServer()
    const { chat, errors } = await chatting(server, { afterClose: 'stay-closed' })
    await chat.close()
    server.calls.length = 0
    chat.send('Wait, one more thing')
    await settle()
    expect(server.calls, 'no request at all').toEqual([])
    const kept = chat.getSnapshot().messages.at(-1)
    expect(kept).toMatchObject({ message: 'Wait, one more thing', status: 'failed' })
    expect(kept?.error).toMatchObject({ kind: 'validation', code: 'conversation-closed' })
    expect(
      errors.map((error) => error.code),
      'told once, typed',
    ).toEqual(['conversation-closed'])
    expect(chat.getSnapshot().status).toBe('closed')
    chat.retry(kept?.localId as number)
    await settle()
    expect(server.calls, 'retry while closed: still no request').toEqual([])
    await chat.start()
    chat.retry(kept?.localId as number)
    await settle()
    expect(server.calls).toEqual(['create:8', 'add:8:Wait, one more thing'])
    expect(chat.getSnapshot()).toMatchObject({ conversationId: 8, previousConversationId: 7 })
    chat.destroy()
  })

  it('a message refused because the chat closed stays failed with conversation-closed, and is told', async () => {
    const server = scriptedServer()
    const { chat, errors } = await chatting(server, { afterClose: 'stay-closed' })
    server.close(7)
    chat.send('Hello?')
    await settle()
    expect(server.calls).toEqual(['create:7', 'add:7:Hello', 'add:7:Hello?', 'get:7'])
    expect(chat.getSnapshot().status).toBe('closed')
    expect(chat.getSnapshot().messages.at(-1)).toMatchObject({
      status: 'failed',
      error: { code: 'conversation-closed' },
    })
    expect(errors.map((error) => error.code)).toEqual(['conversation-closed'])
    chat.destroy()
  })
})

describe('after close, over real HTTP (the mock)', () => {
  it('an agent closes mid-send: the visitor’s message lands in a follow-up exactly once', async () => {
    const mock = await createMockChatServer()
    const client = () => createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
    const errors: ChatApiError[] = []
    const chat = createChatSession({
      client: client(),
      author: { name: 'Ada', email: 'ada@example.com' },
      storage: createMemoryStorage(),
      pollInterval: false,
      onError: (error) => errors.push(error),
    })
    try {
      chat.send('Hello')
      const first = await until(chat, (s) => s.messages[0]?.status === 'sent', 'first message stored')
      const closedId = first.conversationId as number
      // The agent closes while the visitor types; the session has not polled since.
      await client().closeConversation(closedId)
      chat.send('My card was charged twice')
      const after = await until(
        chat,
        (s) => s.conversationId !== closedId && s.messages.at(-1)?.status === 'sent',
        'the message stored in a follow-up',
      )
      expect(after.previousConversationId).toBe(closedId)
      const held = mock.api.conversations()
      expect(held.map((c) => [c.id, c.isClosed, (c.messages ?? []).map((m) => m.message)])).toEqual([
        [closedId, true, ['Hello']],
        [after.conversationId, false, ['My card was charged twice']],
      ])
      expect(errors).toEqual([])
    } finally {
      chat.destroy()
      await mock.close()
    }
  })
})
