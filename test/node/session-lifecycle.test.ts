import {
  ChatApiError,
  type ChatClient,
  type Conversation,
  type ConversationMessage,
  createChatSession,
  createMemoryStorage,
  type Timers,
} from 'socialboards-chat-react/core'
import { describe, expect, it } from 'vitest'

// The conversation's lifecycle as engine transitions (#23): fake time, memory storage, a scripted client.

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

/** Timers that never fire by themselves: nothing polls unless the test says so. */
const stillTimers: Timers = { setTimeout: () => 0, clearTimeout: () => {} }

function scriptedClient() {
  const creates: (() => Promise<Conversation>)[] = []
  const calls: string[] = []
  const stored: ConversationMessage[] = []
  const client = {
    baseURL: 'http://chat.test/',
    idempotencyKeys: false,
    clock: { now: () => Date.now(), offset: undefined, seed: () => {} },
    createConversation: () => {
      calls.push('create')
      return (creates.shift() ?? (() => Promise.resolve(conversation(7))))()
    },
    getConversation: async (id: number) => conversation(id),
    listMessages: async () => [...stored].reverse(),
    addMessages: async (_id: number, messages: { message: string; creationTime?: string | null }[]) => {
      calls.push(`add:${messages[0]?.message}`)
      const added = messages.map((m, index) => ({
        id: 100 + stored.length + index,
        author: visitor,
        message: m.message,
        creationTime: m.creationTime ?? new Date().toISOString(),
      })) as ConversationMessage[]
      stored.push(...added)
      return added
    },
  } as unknown as ChatClient
  return { client, creates, calls }
}

const unavailable = () => new ChatApiError('http', 'HTTP 503 Service Unavailable', { status: 503 })
const refusedConnection = () => new ChatApiError('network', 'network error', { cause: new Error('ECONNREFUSED') })

function session(api: ReturnType<typeof scriptedClient>, onError?: (error: ChatApiError) => void) {
  return createChatSession({
    client: api.client,
    author: { email: 'ada@example.com' },
    storage: createMemoryStorage(),
    timers: stillTimers,
    lock: (_name, task) => task(),
    onError,
  })
}

const settle = async () => {
  for (let i = 0; i < 30; i++) await Promise.resolve()
}

describe('a failed start (#23 item 4)', () => {
  it('turns the messages waiting for it failed at once, with its error; the status is error, told once', async () => {
    const api = scriptedClient()
    const failure = unavailable()
    api.creates.push(() => Promise.reject(failure))
    const errors: ChatApiError[] = []
    const chat = session(api, (error) => errors.push(error))
    chat.send('Hello?')
    await settle()
    const state = chat.getSnapshot()
    expect(state.status, 'failed start: status error').toBe('error')
    expect(state.error, 'failed start: the start’s error').toBe(failure)
    expect(state.messages.map((m) => [m.message, m.status, m.error?.status])).toEqual([['Hello?', 'failed', 503]])
    expect(errors, 'failed start: onError once, for the start').toEqual([failure])
    expect(api.calls, 'a 503 may have landed without a key: the create is not repeated').toEqual(['create'])
    chat.destroy()
  })

  it('retry(localId) starts again and sends the message, once', async () => {
    const api = scriptedClient()
    api.creates.push(() => Promise.reject(unavailable()))
    const chat = session(api)
    chat.send('Hello?')
    await settle()
    const [failed] = chat.getSnapshot().messages
    chat.retry(failed?.localId as number)
    await settle()
    expect(chat.getSnapshot().status).toBe('queued')
    expect(api.calls).toEqual(['create', 'create', 'add:Hello?'])
    chat.destroy()
  })

  it('start() tries again, and the messages its failure held go with it', async () => {
    const api = scriptedClient()
    api.creates.push(() => Promise.reject(unavailable()))
    const chat = session(api)
    chat.send('First')
    await settle()
    await chat.start()
    await settle()
    expect(chat.getSnapshot().error).toBeNull()
    expect(api.calls).toEqual(['create', 'create', 'add:First'])
    chat.destroy()
  })

  it('a create that cannot have landed (no connection made) goes again by itself', async () => {
    const api = scriptedClient()
    api.creates.push(() => Promise.reject(refusedConnection()))
    const timers: Timers = { setTimeout: (callback) => queueMicrotask(callback), clearTimeout: () => {} }
    const chat = createChatSession({
      client: api.client,
      author: { email: 'ada@example.com' },
      storage: createMemoryStorage(),
      timers,
      pollInterval: false,
      lock: (_name, task) => task(),
    })
    await chat.start()
    expect(
      api.calls.filter((call) => call === 'create'),
      'no connection: repeated once, one conversation',
    ).toHaveLength(2)
    expect(chat.getSnapshot().conversationId).toBe(7)
    chat.destroy()
  })
})

describe('a start that lands after the session moved on (#23 item 7)', () => {
  for (const move of ['reset', 'signOut'] as const)
    it(`never reaches the state nor the storage after ${move}`, async () => {
      const api = scriptedClient()
      let land: (value: Conversation) => void = () => {}
      api.creates.push(() => new Promise<Conversation>((resolve) => (land = resolve)))
      const storage = createMemoryStorage()
      const chat = createChatSession({
        client: Object.assign(api.client, { signOutVisitor: async () => {} }),
        author: { email: 'ada@example.com' },
        storage,
        storageKey: 'chat',
        timers: stillTimers,
        lock: (_name, task) => task(),
      })
      const started = chat.start()
      await settle()
      expect(chat.getSnapshot().status).toBe('starting')
      if (move === 'reset') chat.reset()
      else await chat.signOut()
      land(conversation(7))
      await expect(started).rejects.toMatchObject({ kind: 'aborted' })
      await settle()
      const state = chat.getSnapshot()
      expect(state.conversationId, `stale start after ${move}: dropped`).toBeUndefined()
      expect(state.status).toBe('idle')
      expect(storage.getItem('chat'), `stale start after ${move}: not stored`).toBeNull()
      // The next send starts its own conversation.
      chat.send('Hello again')
      await settle()
      expect(chat.getSnapshot().conversationId).toBe(7)
      expect(api.calls).toEqual(['create', 'create', 'add:Hello again'])
      chat.destroy()
    })
})

describe('reset', () => {
  it('forgets a message stored but not listed yet with the conversation: nothing of it shows after', async () => {
    const api = scriptedClient()
    // The server stored it, but its list does not show it yet (a lagging read).
    const chat = session({ ...api, client: Object.assign(api.client, { listMessages: async () => [] }) })
    chat.send('Hello')
    await settle()
    expect(chat.getSnapshot().messages.map((m) => [m.message, m.status])).toEqual([['Hello', 'sent']])
    chat.reset()
    expect(chat.getSnapshot().messages, 'reset: the forgotten conversation’s message goes').toEqual([])
    chat.destroy()
  })
})

describe('why a message failed, as a code (#23, error codes)', () => {
  it('a reset fails the waiting messages with code no-conversation; an action without a conversation says the same', async () => {
    const api = scriptedClient()
    api.creates.push(() => new Promise<Conversation>(() => {}))
    const chat = session(api)
    chat.send('Hello?')
    await settle()
    chat.reset()
    const [failed] = chat.getSnapshot().messages
    expect(failed?.status).toBe('failed')
    expect(failed?.error?.code, 'a reset: no-conversation').toBe('no-conversation')
    await expect(chat.close()).rejects.toMatchObject({ kind: 'validation', code: 'no-conversation' })
    chat.destroy()
  })
})
