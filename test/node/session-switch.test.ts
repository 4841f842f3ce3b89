import { createChatClient, createMemoryStorage } from 'socialboards-chat-react'
import { type ChatSessionOptions, type ChatSessionStore, createChatSession } from 'socialboards-chat-react/core'
import { MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createMockChatServer, type MockChatServer } from 'socialboards-chat-react/mock/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { until } from './session-until'

// A user switch without sign-out (#23 item 2), over real HTTP against the mock: the request log says
// the other visitor's conversation is never read nor written to.

const ada = { name: 'Ada', email: 'ada@example.com' }
const bob = { name: 'Bob', email: 'bob@example.com' }
const key = 'chat'

let mock: MockChatServer
let sessions: ChatSessionStore[] = []
beforeEach(async () => {
  mock = await createMockChatServer()
})
afterEach(async () => {
  for (const session of sessions) session.destroy()
  sessions = []
  await mock.close()
})

function open(options: Partial<ChatSessionOptions>) {
  const session = createChatSession({
    client: createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN }),
    storageKey: key,
    pollInterval: false,
    ...options,
  })
  sessions.push(session)
  return session
}

/** Requests that touched conversation `id` (its reads, messages, anything). */
const touching = (id: number) => mock.api.requests.filter((request) => request.path.includes(`conversations/${id}`))

/** Ada's conversation, stored, with one message of hers still unsent in the outbox. */
async function adasConversation(storage: ReturnType<typeof createMemoryStorage>) {
  const session = open({ storage, author: ada })
  session.send('My card number ends in 4242')
  const state = await until(
    session,
    (s) => s.messages[0]?.localId === undefined && s.messages.length === 1,
    'Ada’s message listed',
  )
  session.destroy()
  const id = state.conversationId as number
  // A message of hers that never left (the page closed first).
  storage.setItem(
    `${key}:outbox`,
    JSON.stringify({ entries: [{ localId: 1, message: 'Unsent, Ada’s', writtenAt: 1 }] }),
  )
  return id
}

describe('another visitor on the same browser (#23 item 2)', () => {
  it('a session of another author never shows, reads or writes the stored conversation; its next send starts anew', async () => {
    const storage = createMemoryStorage()
    const adas = await adasConversation(storage)
    mock.api.requests.length = 0
    const bobs = open({ storage, author: bob })
    const state = bobs.getSnapshot()
    expect(state).toMatchObject({
      status: 'idle',
      conversationId: undefined,
      endReason: { kind: 'other-visitor', conversationId: adas },
    })
    expect(state.messages, 'nothing of Ada’s shows, not even her unsent message').toEqual([])
    expect(storage.getItem(key), 'set aside: gone from storage').toBeNull()
    bobs.send('Hi, Bob here')
    const after = await until(bobs, (s) => s.messages[0]?.status === 'sent', 'Bob’s message stored')
    expect(after.conversationId).not.toBe(adas)
    expect(touching(adas), 'no request at all for Ada’s conversation').toEqual([])
    const [first, second] = mock.api.conversations()
    expect(
      first?.messages?.map((m) => m.message),
      'Ada’s conversation untouched',
    ).toEqual(['My card number ends in 4242'])
    expect(
      second?.messages?.map((m) => m.message),
      'Bob’s unsent nothing of Ada’s',
    ).toEqual(['Hi, Bob here'])
    expect(second?.author?.email).toBe('bob@example.com')
  })

  it('the same visitor resumes as before (the same identifiers, another object)', async () => {
    const storage = createMemoryStorage()
    const adas = await adasConversation(storage)
    const again = open({ storage, author: { ...ada, name: 'Ada L.' } })
    expect(again.getSnapshot().conversationId).toBe(adas)
    expect(again.getSnapshot().endReason).toBeNull()
  })

  it('update({ author }) to another visitor on a live session: the same transition, no request for the old one after', async () => {
    const storage = createMemoryStorage()
    const session = open({ storage, author: ada })
    session.send('Hello from Ada')
    const held = await until(
      session,
      (s) => s.messages[0]?.localId === undefined && s.messages.length === 1,
      'Ada’s message listed',
    )
    const adas = held.conversationId as number
    session.update({ author: { ...ada } }) // the same visitor: nothing happens
    expect(session.getSnapshot().conversationId).toBe(adas)
    session.update({ author: bob })
    mock.api.requests.length = 0
    expect(session.getSnapshot()).toMatchObject({
      status: 'idle',
      conversationId: undefined,
      messages: [],
      endReason: { kind: 'other-visitor', conversationId: adas },
    })
    expect(storage.getItem(key)).toBeNull()
    session.send('Bob now')
    const after = await until(session, (s) => s.messages[0]?.status === 'sent', 'Bob’s message stored')
    expect(after.conversationId).not.toBe(adas)
    expect(touching(adas), 'nothing for Ada’s conversation after the switch').toEqual([])
    expect(mock.api.conversations()[1]?.author?.email).toBe('bob@example.com')
  })
})
