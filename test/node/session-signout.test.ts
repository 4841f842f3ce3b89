import {
  ChatApiError,
  type ChatClient,
  type Conversation,
  type ConversationMessage,
  createChatSession,
  createMemoryStorage,
  type Timers,
} from 'socialboards-chat-react/core'
import { describe, expect, it, vi } from 'vitest'

// Sign-out (#23 item 1) as an engine transition: memory storage, still timers, a scripted client.

const visitor = { id: 'v-1', email: 'ada@example.com', isBot: false, status: 'client' }
const conversation = (id: number): Conversation =>
  ({
    id,
    author: visitor,
    creationTime: '2026-01-01T00:00:00.000Z',
    isClosed: false,
    totalMessagesCount: 0,
    queuePositionInfo: { position: 2, waitTime: 3 },
  }) as Conversation

const stillTimers: Timers = { setTimeout: () => 0, clearTimeout: () => {} }

function scriptedClient(idempotencyKeys = false) {
  const calls: string[] = []
  const client = {
    baseURL: 'http://chat.test/',
    idempotencyKeys,
    clock: { now: () => Date.now(), offset: undefined, seed: () => {} },
    createConversation: async () => {
      calls.push('create')
      return conversation(7)
    },
    getConversation: async (id: number) => conversation(id),
    listMessages: async (): Promise<ConversationMessage[]> => [],
    // Never answers: the message stays on its way, as offline.
    signOutVisitor: async () => {
      calls.push('signOutVisitor')
    },
    addMessages: (_id: number, messages: { message: string }[]) => {
      calls.push(`add:${messages[0]?.message}`)
      return new Promise(() => {})
    },
  } as unknown as ChatClient
  return { client, calls }
}

describe('sign-out', () => {
  it('forgets the conversation, the generated visitor id, the seen marks and the unsent messages: status idle', async () => {
    const api = scriptedClient()
    const storage = createMemoryStorage()
    const chat = createChatSession({
      client: api.client,
      storage,
      storageKey: 'chat',
      timers: stillTimers,
      lock: (_name, task) => task(),
    })
    await chat.start()
    const before = storage.getItem('chat:visitor')
    expect(before).toBeTruthy()
    expect(storage.getItem('chat:marks')).toBeTruthy()
    chat.send('my card number ends in 4242')
    // On its way (it never gets an answer) when the visitor signs out.
    await vi.waitFor(() => expect(api.calls).toContain('add:my card number ends in 4242'))
    await chat.signOut()
    const state = chat.getSnapshot()
    expect(state.status, 'sign-out: idle').toBe('idle')
    expect(state.conversationId).toBeUndefined()
    expect(state.messages, 'sign-out: the visitor’s messages are gone').toEqual([])
    expect(storage.getItem('chat'), 'sign-out: the conversation is forgotten').toBeNull()
    expect(storage.getItem('chat:marks'), 'sign-out: the seen marks are forgotten').toBeNull()
    expect(JSON.parse(storage.getItem('chat:outbox') ?? '{"entries":[]}').entries).toEqual([])
    expect(storage.getItem('chat:visitor'), 'sign-out: a new generated visitor id').not.toBe(before)
    // The next visitor's first message starts their own conversation; the old one is never sent again.
    chat.send('hello, I am the next visitor')
    await new Promise((resolve) => setImmediate(resolve))
    expect(api.calls.filter((call) => call.includes('4242')).length, 'sign-out: never sent as the next visitor').toBe(1)
    chat.destroy()
  })

  it('cuts the old visitor’s message still on its way, so it never holds up the next visitor’s first message', async () => {
    const api = scriptedClient()
    let created = 0
    const client = Object.assign(api.client, {
      createConversation: async () => conversation(7 + created++),
      // The old visitor's message gets no answer until its request is aborted; the next one's is stored at once.
      addMessages: (_id: number, messages: { message: string }[], options?: { signal?: AbortSignal }) => {
        const text = messages[0]?.message ?? ''
        api.calls.push(`add:${text}`)
        if (text.startsWith('hello'))
          return Promise.resolve([{ id: 900, author: visitor, message: text, creationTime: new Date().toISOString() }])
        return new Promise((_resolve, reject) =>
          options?.signal?.addEventListener('abort', () => reject(options.signal?.reason)),
        )
      },
    })
    const chat = createChatSession({ client, storage: createMemoryStorage(), timers: stillTimers })
    await chat.start()
    chat.send('my card number ends in 4242')
    await vi.waitFor(() => expect(api.calls).toContain('add:my card number ends in 4242'))
    await chat.signOut()
    chat.send('hello, I am the next visitor')
    await vi.waitFor(() =>
      expect(api.calls, 'sign-out: the next visitor’s message goes').toContain('add:hello, I am the next visitor'),
    )
    await vi.waitFor(() => expect(chat.getSnapshot().messages.map((m) => m.status)).toEqual(['sent']))
    expect(chat.getSnapshot().conversationId, 'sign-out: in a conversation of their own').toBe(8)
    expect(api.calls.filter((call) => call.includes('4242')).length).toBe(1)
    chat.destroy()
  })

  it('asks the server half to forget this browser through the client’s own transport, after forgetting here', async () => {
    const api = scriptedClient(true)
    const order: string[] = []
    const storage = createMemoryStorage()
    const chat = createChatSession({
      client: Object.assign(api.client, {
        signOutVisitor: async () => {
          order.push(`signOutVisitor with ${storage.getItem('chat') ?? 'nothing'} stored`)
        },
      }),
      storage,
      storageKey: 'chat',
      timers: stillTimers,
      lock: (_name, task) => task(),
    })
    await chat.start()
    await chat.signOut()
    expect(order, 'sign-out: local state is cleared before the server is asked').toEqual([
      'signOutVisitor with nothing stored',
    ])
    chat.destroy()
  })

  it('rejects when the server half could not forget the browser, and what is forgotten here stays forgotten', async () => {
    const api = scriptedClient(true)
    const down = new ChatApiError('http', 'HTTP 503', { status: 503 })
    const storage = createMemoryStorage()
    const chat = createChatSession({
      client: Object.assign(api.client, { signOutVisitor: () => Promise.reject(down) }),
      storage,
      storageKey: 'chat',
      timers: stillTimers,
      lock: (_name, task) => task(),
    })
    await chat.start()
    chat.send('my card number ends in 4242')
    await expect(chat.signOut()).rejects.toBe(down)
    expect(chat.getSnapshot()).toMatchObject({ status: 'idle', conversationId: undefined, messages: [] })
    expect(storage.getItem('chat'), 'a failed sign-out still forgets the conversation here').toBeNull()
    chat.destroy()
  })
})
