import { createChatClient, createMemoryStorage } from 'socialboards-chat-react'
import {
  type ChatSessionOptions,
  type ChatSessionState,
  type ChatSessionStatus,
  type ChatSessionStore,
  createChatSession,
} from 'socialboards-chat-react/core'
import { MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createMockChatServer, type MockChatServer } from 'socialboards-chat-react/mock/server'
import { afterEach, describe, expect, it } from 'vitest'
import { unreadCount } from '../../src/core/chat-session/marks'
import type { ChatMessage } from '../../src/core/messages'
import { until } from './session-until'

// Clean statuses (#23 item 6), over real HTTP against the mock: every status onStatusChange reports,
// and every state a reload publishes.

const author = { name: 'Ada', email: 'ada@example.com' }
let mock: MockChatServer | undefined
let sessions: ChatSessionStore[] = []
afterEach(async () => {
  for (const session of sessions) session.destroy()
  sessions = []
  await mock?.close()
})

function open(options: Partial<ChatSessionOptions> & { storage: ChatSessionOptions['storage'] }) {
  const statuses: ChatSessionStatus[] = []
  const session = createChatSession({
    client: createChatClient({ baseURL: (mock as MockChatServer).baseURL, accessToken: MOCK_ACCESS_TOKEN }),
    author,
    pollInterval: 40,
    onStatusChange: (status) => statuses.push(status),
    ...options,
  })
  statuses.unshift(session.getSnapshot().status)
  sessions.push(session)
  return { session, statuses }
}

describe('clean statuses (#23 item 6)', () => {
  it('a reload is resuming, never starting, and shows the whole list at once (history and unsent together)', async () => {
    mock = await createMockChatServer()
    const storage = createMemoryStorage()
    const first = open({ storage, storageKey: 'chat' })
    first.session.send('One')
    first.session.send('Two')
    await until(
      first.session,
      (s) => s.messages.length === 2 && s.messages.every((m) => m.localId === undefined),
      'listed',
    )
    first.session.destroy()
    // A message written just before the reload, never sent.
    storage.setItem('chat:outbox', JSON.stringify({ entries: [{ localId: 1, message: 'Three', writtenAt: 1 }] }))

    const published: ChatSessionState[] = []
    const second = open({ storage, storageKey: 'chat' })
    published.push(second.session.getSnapshot())
    second.session.subscribe(() => published.push(second.session.getSnapshot()))
    await until(second.session, (s) => s.messages.map((m) => m.message).join() === 'One,Two,Three', 'all three')
    expect(second.statuses[0], 'a reload is resuming').toBe('resuming')
    expect(second.statuses, 'never starting').not.toContain('starting')
    const withMessages = published.filter((state) => state.messages.length > 0)
    expect(
      withMessages[0]?.messages.map((m) => m.message),
      'the first state with any message has them all',
    ).toEqual(['One', 'Two', 'Three'])
  })

  it('a bot chat never reports queued before its first with-bot', async () => {
    mock = await createMockChatServer()
    const { session, statuses } = open({ storage: createMemoryStorage(), conversation: { isBotEnabled: true } })
    session.send('Hello bot')
    await until(session, (s) => s.status === 'with-bot', 'with the bot')
    expect(statuses).toEqual(['idle', 'starting', 'with-bot'])
  })

  it('unreadCount counts what the server holds after the seen mark, loaded or not; markSeen clears it', () => {
    const message = (id: number): ChatMessage =>
      ({
        key: `m${id}`,
        id,
        message: `m${id}`,
        role: 'agent',
        status: 'sent',
        author: {},
        creationTime: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(),
      }) as ChatMessage
    const loaded = Array.from({ length: 100 }, (_, index) => message(131 + index))
    expect(unreadCount(loaded, [Date.UTC(2026, 0, 1), 0], 230), '230 unseen, 100 loaded').toBe(230)
    expect(unreadCount(loaded, [Date.UTC(2026, 0, 1, 0, 0, 200), 200], 230), 'the mark among the loaded').toBe(30)
    const newest = loaded.at(-1) as ChatMessage
    expect(unreadCount(loaded, [Date.parse(newest.creationTime ?? ''), 230], 230), 'all seen').toBe(0)
  })
})
