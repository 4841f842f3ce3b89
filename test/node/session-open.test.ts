import { createChatClient, createMemoryStorage } from 'socialboards-chat-react'
import { type ChatSessionStatus, createChatSession } from 'socialboards-chat-react/core'
import { MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createMockChatServer } from 'socialboards-chat-react/mock/server'
import { describe, expect, it, vi } from 'vitest'
import { until } from './session-until'

// open(conversationId) (#23 item 5), over real HTTP against the mock.

describe('open(conversationId)', () => {
  it('opens a past conversation read-only when closed; a send then follows up; a bad id is refused before any request', async () => {
    const mock = await createMockChatServer()
    const client = () => createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
    const chat = createChatSession({
      client: client(),
      author: { name: 'Ada', email: 'ada@example.com' },
      storage: createMemoryStorage(),
      pollInterval: 40,
    })
    try {
      chat.send('About my invoice')
      const first = await until(chat, (s) => s.messages[0]?.localId === undefined && s.messages.length === 1, 'listed')
      const past = first.conversationId as number
      await client().closeConversation(past)
      await until(chat, (s) => s.status === 'closed', 'closed')
      chat.send('Another question')
      const followed = await until(
        chat,
        (s) => s.conversationId !== past && s.messages.at(-1)?.status === 'sent',
        'a follow-up',
      )
      expect(followed.previousConversationId).toBe(past)

      await expect(chat.open(0)).rejects.toMatchObject({ kind: 'validation', code: 'invalid-input' })
      mock.api.requests.length = 0
      await chat.open(past)
      const opened = await until(chat, (s) => s.status === 'closed' && s.messages.length === 1, 'the past one, read')
      expect(opened.conversationId).toBe(past)
      expect(opened.previousConversationId, 'the visitor moved on').toBeUndefined()
      expect(opened.messages.map((m) => m.message)).toEqual(['About my invoice'])
      expect(opened.unreadCount, 'history opened is not news').toBe(0)
      expect(
        mock.api.requests.filter((request) => request.method !== 'GET'),
        'read-only: nothing written',
      ).toEqual([])

      chat.send('Back to the invoice')
      const again = await until(
        chat,
        (s) =>
          s.conversationId !== past &&
          s.conversationId !== followed.conversationId &&
          s.messages.at(-1)?.status === 'sent',
        'a follow-up of the opened one',
      )
      expect(again.previousConversationId).toBe(past)
      expect(mock.api.conversations().map((c) => (c.messages ?? []).map((m) => m.message))).toEqual([
        ['About my invoice'],
        ['Another question'],
        ['Back to the invoice'],
      ])
    } finally {
      chat.destroy()
      await mock.close()
    }
  }, 15_000)
})

describe('open(conversationId) of a conversation still open', () => {
  const author = { name: 'Ada', email: 'ada@example.com' }

  it('the bot still has it: with-bot, never queued first', async () => {
    const mock = await createMockChatServer({ agent: false })
    const client = () => createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
    const statuses: ChatSessionStatus[] = []
    const chat = createChatSession({
      client: client(),
      author,
      storage: createMemoryStorage(),
      pollInterval: 40,
      onStatusChange: (status) => statuses.push(status),
    })
    try {
      const withBot = await client().createConversation({ author, isBotEnabled: true })
      await chat.open(withBot.id)
      await until(chat, (s) => s.status === 'with-bot', 'with the bot')
      expect(statuses, 'opened: never queued before with-bot').not.toContain('queued')
    } finally {
      chat.destroy()
      await mock.close()
    }
  })

  it('a chat the bot does not have: queued, its takeover read once, not at every poll', async () => {
    const mock = await createMockChatServer({ agent: false })
    const client = () => createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
    const chat = createChatSession({ client: client(), author, storage: createMemoryStorage(), pollInterval: 20 })
    try {
      const waiting = await client().createConversation({ author })
      mock.api.requests.length = 0
      await chat.open(waiting.id)
      await until(chat, (s) => s.status === 'queued', 'queued')
      const reads = () => mock.api.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/${waiting.id}`))
      await vi.waitFor(() => expect(reads().length).toBeGreaterThanOrEqual(4), { timeout: 10_000 })
      const takeovers = mock.api.requests.filter((r) => r.path.endsWith('/takeover'))
      expect(takeovers, 'one read of the takeover').toHaveLength(1)
    } finally {
      chat.destroy()
      await mock.close()
    }
  })

  it('reloaded before its takeover was read: the next page reads it once, then not at every poll', async () => {
    const mock = await createMockChatServer({ agent: false })
    const client = () => createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
    const storage = createMemoryStorage()
    const waiting = await client().createConversation({ author })
    // The page that opens it goes away before its first read (no timer of its has run yet).
    const before = createChatSession({ client: client(), author, storage, pollInterval: 20 })
    await before.open(waiting.id)
    before.destroy()
    const reads = () => mock.api.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/${waiting.id}`))
    const takeovers = () => mock.api.requests.filter((r) => r.path.endsWith(`/${waiting.id}/takeover`))
    expect(takeovers(), 'the first page read nothing').toHaveLength(0)
    const after = createChatSession({ client: client(), author, storage, pollInterval: 20 })
    try {
      await until(after, (s) => s.status === 'queued', 'queued')
      const seen = reads().length
      await vi.waitFor(() => expect(reads().length).toBeGreaterThanOrEqual(seen + 4), { timeout: 10_000 })
      expect(takeovers(), 'one read of the takeover across the reload').toHaveLength(1)
    } finally {
      after.destroy()
      await mock.close()
    }
  })
})
