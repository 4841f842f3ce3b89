import {
  type AnnouncerState,
  type AttentionEnvironment,
  type AttentionPermission,
  announcerMessagesNb,
  attentionTitle,
  type ChatMessage,
  type Conversation,
  createChatAttention,
} from 'socialboards-chat-react/core'
import { describe, expect, it, vi } from 'vitest'

const conversation = { id: 7, isClosed: false } as Conversation
let nextId = 1
const stored = (role: ChatMessage['role'], message: string, name = 'Anna'): ChatMessage => {
  const id = nextId++
  return { key: `message-${id}`, status: 'sent', role, id, message, author: { name, isBot: role === 'bot' } }
}
const state = (messages: ChatMessage[], unreadCount = 0): AnnouncerState => ({
  status: 'with-agent',
  conversationId: 7,
  conversation,
  messages,
  unreadCount,
})

/** A page whose visibility, title, audio and notifications the test holds. */
function fakePage(permission: AttentionPermission = 'granted') {
  let visible = true
  const listeners = new Set<() => void>()
  const page = {
    document: { title: 'Support' },
    played: [] as string[],
    shown: [] as { title: string; body: string; tag: string }[],
    requests: 0,
    permission,
    setVisible(value: boolean) {
      visible = value
      for (const listener of listeners) listener()
    },
    environment: {} as AttentionEnvironment,
  }
  page.environment = {
    document: page.document,
    visibility: {
      isVisible: () => visible,
      subscribe: (listener) => {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    },
    playSound: (url) => {
      page.played.push(url)
      return Promise.resolve()
    },
    notifications: {
      permission: () => page.permission,
      request: async () => {
        page.requests++
        page.permission = 'granted'
        return 'granted'
      },
      show: (title, options) => page.shown.push({ title, ...options }),
    },
  }
  return page
}

describe('createChatAttention', () => {
  const hello = stored('visitor', 'Hello', 'Ada')

  it('badges the title, rings and notifies while hidden; puts the title back when shown', () => {
    const page = fakePage()
    const attention = createChatAttention({ sound: '/ping.mp3' }, page.environment)
    const first = state([hello])
    attention.update(first)
    page.setVisible(false)
    const answer = stored('agent', 'Your order ships today')
    attention.update(state([hello, answer], 1))
    expect(page.document.title).toBe('(1) Support')
    expect(page.played).toEqual(['/ping.mp3'])
    expect(page.shown).toEqual([
      { title: 'New message from Anna', body: 'Your order ships today', tag: 'socialboards-chat-7' },
    ])
    attention.update(state([hello, answer, stored('agent', 'Anything else?'), stored('bot', 'Rate us')], 3))
    expect(page.document.title).toBe('(3) Support')
    expect(attention.getSnapshot().count).toBe(3)
    expect(page.shown.at(-1)?.title).toBe('3 new messages')

    page.setVisible(true)
    expect(page.document.title).toBe('Support')
    expect(attention.getSnapshot().count).toBe(0)
  })

  it('does nothing while the page is shown, for the visitor’s own messages, or for history', () => {
    const page = fakePage()
    const attention = createChatAttention({ sound: '/ping.mp3' }, page.environment)
    page.setVisible(false)
    // The first state seen is history (a remount, a resume): not news.
    const old = stored('agent', 'Old news')
    attention.update(state([hello, old], 1))
    attention.update(state([hello, old, stored('visitor', 'Me again', 'Ada')]))
    expect(page.document.title).toBe('Support')
    page.setVisible(true)
    attention.update(state([hello, stored('agent', 'Seen at once')], 1))
    expect(page.document.title).toBe('Support')
    expect(page.played).toEqual([])
    expect(page.shown).toEqual([])
  })

  it('never asks for notification permission by itself, and shows none without it', async () => {
    const page = fakePage('default')
    const attention = createChatAttention({}, page.environment)
    attention.update(state([hello]))
    page.setVisible(false)
    attention.update(state([hello, stored('agent', 'Hi')], 1))
    expect(page.requests).toBe(0)
    expect(page.shown).toEqual([])
    expect(attention.getSnapshot().notificationPermission).toBe('default')
    await expect(attention.requestNotifications()).resolves.toBe('granted')
    expect(page.requests).toBe(1)
    expect(attention.getSnapshot().notificationPermission).toBe('granted')
  })

  it('swallows a refused sound and a notification the browser cannot show', async () => {
    const page = fakePage()
    // A plain function: a spy would itself handle the promise it returns.
    let refusals = 0
    const refused = () => {
      refusals++
      return Promise.reject(new DOMException('autoplay', 'NotAllowedError'))
    }
    const throwing = vi.fn(() => {
      throw new TypeError('Illegal constructor')
    })
    const environment = {
      ...page.environment,
      playSound: refused,
      notifications: {
        ...(page.environment.notifications as NonNullable<AttentionEnvironment['notifications']>),
        show: throwing,
      },
    }
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    const attention = createChatAttention({ sound: '/ping.mp3' }, environment)
    attention.update(state([hello]))
    page.setVisible(false)
    expect(() => attention.update(state([hello, stored('agent', 'Hi')], 1))).not.toThrow()
    expect(refusals).toBe(1)
    expect(throwing).toHaveBeenCalledOnce()
    // The refusal is handled: Node would report it as unhandled within a tick.
    await new Promise((resolve) => setTimeout(resolve, 10))
    process.off('unhandledRejection', unhandled)
    expect(unhandled).not.toHaveBeenCalled()
    expect(page.document.title).toBe('(1) Support')
  })

  it('leaves a title the app changed meanwhile, and badges the new one', () => {
    const page = fakePage()
    const attention = createChatAttention({ title: (count, title) => `[${count}] ${title}` }, page.environment)
    attention.update(state([hello]))
    page.setVisible(false)
    const one = stored('agent', 'One')
    attention.update(state([hello, one], 1))
    expect(page.document.title).toBe('[1] Support')
    page.document.title = 'Checkout'
    attention.update(state([hello, one, stored('agent', 'Two')], 2))
    expect(page.document.title).toBe('[2] Checkout')
    page.document.title = 'Receipt'
    page.setVisible(true)
    expect(page.document.title).toBe('Receipt')
  })

  it('speaks the visitor’s language, and puts the title back when destroyed', () => {
    const page = fakePage()
    const attention = createChatAttention({ messages: announcerMessagesNb, title: true }, page.environment)
    attention.update(state([hello]))
    page.setVisible(false)
    attention.update(state([hello, stored('agent', 'Hei')], 1))
    expect(page.shown[0]?.title).toBe('Ny melding fra Anna')
    attention.destroy()
    expect(page.document.title).toBe('Support')
  })

  it('formats the default badge', () => {
    expect(attentionTitle(0, 'Shop')).toBe('Shop')
    expect(attentionTitle(12, 'Shop')).toBe('(12) Shop')
  })
})
