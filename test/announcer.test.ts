import {
  type AnnouncerState,
  announcementsOf,
  announcementTexts,
  announcerMessagesEn,
  announcerMessagesNb,
  type ChatMessage,
  type Conversation,
} from 'socialboards-chat-react/core'
import { describe, expect, it } from 'vitest'

const conversation = { id: 7, isClosed: false } as Conversation
let nextId = 100
const stored = (role: ChatMessage['role'], message: string, name?: string): ChatMessage => {
  const id = nextId++
  return { key: `message-${id}`, status: 'sent', role, id, message, author: { name, isBot: role === 'bot' } }
}
const outgoing = (message: string, localId = 1): ChatMessage => ({
  key: `outbox-${localId}`,
  status: 'pending',
  role: 'visitor',
  message,
  author: { name: 'Ada' },
  localId,
})
const state = (change: Partial<AnnouncerState> = {}): AnnouncerState => ({
  status: 'queued',
  conversationId: 7,
  conversation,
  messages: [],
  unreadCount: 0,
  ...change,
})
const kinds = (previous: AnnouncerState | undefined, next: AnnouncerState) =>
  announcementsOf(previous, next).map((found) => (found.kind === 'message' ? found.message.message : found.kind))

describe('announcementsOf', () => {
  const hello = stored('visitor', 'Hello')
  const answer = stored('agent', 'Hi, I am Anna', 'Anna')

  it('tells a new agent message once, and never the visitor’s own', () => {
    const before = state({ messages: [hello] })
    const after = state({ messages: [hello, answer], unreadCount: 1 })
    expect(kinds(before, after)).toEqual(['Hi, I am Anna'])
    // The same state again (a re-render) is not news.
    expect(kinds(after, { ...after })).toEqual([])
    expect(kinds(after, state({ messages: [hello, answer, stored('visitor', 'Thanks')] }))).toEqual([])
  })

  it('tells bot messages too', () => {
    const greeting = stored('bot', 'I am the bot')
    expect(kinds(state({ messages: [hello] }), state({ messages: [hello, greeting], unreadCount: 1 }))).toEqual([
      'I am the bot',
    ])
  })

  it('is quiet on a first look, a remount or a resume, and when the conversation changes', () => {
    const loaded = state({ messages: [hello, answer], unreadCount: 1 })
    expect(kinds(undefined, loaded)).toEqual([])
    // A resume: the conversation is read and its history shows at once.
    expect(kinds(state({ conversation: undefined, status: 'starting' }), loaded)).toEqual([])
    expect(kinds(state({ conversationId: 6 }), loaded)).toEqual([])
  })

  it('does not tell older history loaded with loadOlder', () => {
    const older = stored('agent', 'From last week')
    const newer = stored('agent', 'Latest')
    const before = state({ messages: [newer] })
    expect(kinds(before, state({ messages: [older, newer] }))).toEqual([])
  })

  it('tells a new conversation’s first messages (a greeting), but not history the session counts as seen', () => {
    const sending = state({ messages: [outgoing('Hello')] })
    const greeting = stored('bot', 'Welcome!')
    expect(kinds(sending, state({ messages: [hello, greeting], unreadCount: 1 }))).toEqual(['Welcome!'])
    // The same first load with nothing unread: history the session settled as seen.
    expect(kinds(state(), state({ messages: [stored('agent', 'Old'), stored('agent', 'Older')] }))).toEqual([])
    // Only the unread newest of a first load.
    const old = stored('agent', 'Old')
    const fresh = stored('agent', 'Fresh')
    expect(kinds(state(), state({ messages: [old, fresh], unreadCount: 1 }))).toEqual(['Fresh'])
  })

  it('tells new messages after the visitor’s own still on their way', () => {
    const before = state({ messages: [hello, outgoing('Second')] })
    const after = state({ messages: [hello, answer, outgoing('Second')], unreadCount: 1 })
    expect(kinds(before, after)).toEqual(['Hi, I am Anna'])
  })

  it('tells an agent joining and the chat closing, only from an open conversation', () => {
    expect(kinds(state({ status: 'queued' }), state({ status: 'with-agent' }))).toEqual(['agent-joined'])
    expect(kinds(state({ status: 'with-bot' }), state({ status: 'with-agent' }))).toEqual(['agent-joined'])
    expect(kinds(state({ status: 'starting' }), state({ status: 'with-agent' }))).toEqual([])
    expect(kinds(state({ status: 'with-agent' }), state({ status: 'closed' }))).toEqual(['closed'])
    expect(kinds(state({ status: 'queued' }), state({ status: 'closed' }))).toEqual(['closed'])
    expect(kinds(state({ status: 'starting' }), state({ status: 'closed' }))).toEqual([])
    expect(kinds(state({ status: 'closed' }), state({ status: 'closed' }))).toEqual([])
  })

  it('puts the message before the status change it came with', () => {
    const before = state({ messages: [hello], status: 'queued' })
    const after = state({ messages: [hello, answer], status: 'with-agent', unreadCount: 1 })
    expect(kinds(before, after)).toEqual(['Hi, I am Anna', 'agent-joined'])
  })
})

describe('announcementTexts', () => {
  const before = state({ messages: [], status: 'queued' })
  const anna = stored('agent', 'How can I help?', 'Anna')
  const bot = stored('bot', 'Beep', undefined)
  const after = state({ messages: [anna, bot], status: 'with-agent', unreadCount: 2 })

  it('speaks English by default and Bokmål when asked', () => {
    const found = announcementsOf(before, after)
    expect(announcementTexts(found).map((text) => text.text)).toEqual([
      'Anna says: How can I help?',
      'Bot (bot) says: Beep',
      'An agent has joined the chat.',
    ])
    expect(announcementTexts(found, { messages: announcerMessagesNb }).map((text) => text.text)).toEqual([
      'Anna skriver: How can I help?',
      'Bot (bot) skriver: Beep',
      'En kundebehandler har blitt med i chatten.',
    ])
  })

  it('sums up more messages than maxMessages in one text', () => {
    const many = [1, 2, 3, 4].map((n) => stored('agent', `Line ${n}`))
    const found = announcementsOf(state({ messages: [] }), state({ messages: many, unreadCount: 4 }))
    expect(announcementTexts(found).map((text) => text.text)).toEqual(['4 new messages.'])
    expect(announcementTexts(found, { maxMessages: 4 })).toHaveLength(4)
  })

  it('has every text in both languages, and no empty one', () => {
    expect(Object.keys(announcerMessagesNb).sort()).toEqual(Object.keys(announcerMessagesEn).sort())
    for (const catalog of [announcerMessagesEn, announcerMessagesNb])
      for (const say of Object.values(catalog)) {
        expect(say('x', 'Anna')).toMatch(/\S/)
        expect(say(2, undefined)).toMatch(/\S/)
      }
    expect(announcerMessagesEn.notificationTitle(1, 'Anna')).toBe('New message from Anna')
    expect(announcerMessagesNb.notificationTitle(3, 'Anna')).toBe('3 nye meldinger')
  })
})
