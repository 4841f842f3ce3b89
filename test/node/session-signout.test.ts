import {
  type ChatClient,
  type Conversation,
  type ConversationMessage,
  createChatSession,
  createMemoryStorage,
  type Timers,
} from 'socialboards-chat-react/core'
import { describe, expect, it } from 'vitest'

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

  it('behind the server half, asks the server to forget this browser (DELETE {basePath}visitor)', async () => {
    const api = scriptedClient(true)
    const seen: string[] = []
    const realFetch = globalThis.fetch
    globalThis.fetch = (async (url: string, init?: RequestInit) => {
      seen.push(`${init?.method} ${url} ${init?.credentials}`)
      return new Response(null, { status: 204 })
    }) as typeof fetch
    try {
      const chat = createChatSession({
        client: api.client,
        storage: createMemoryStorage(),
        timers: stillTimers,
        lock: (_name, task) => task(),
      })
      await chat.signOut()
      expect(seen).toEqual(['DELETE http://chat.test/visitor include'])
      chat.destroy()
    } finally {
      globalThis.fetch = realFetch
    }
  })
})
