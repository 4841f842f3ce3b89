import { act, renderHook } from '@testing-library/react'
import {
  type AnnouncerState,
  type AttentionEnvironment,
  type ChatMessage,
  type Conversation,
  useChatAttention,
} from 'socialboards-chat-react'
import { afterEach, describe, expect, it } from 'vitest'

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

/** The page's visibility as a browser switches it: the property, then the event. */
function setHidden(hidden: boolean) {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
  act(() => {
    document.dispatchEvent(new Event('visibilitychange'))
  })
}

afterEach(() => {
  setHidden(false)
  document.title = ''
})

describe('useChatAttention', () => {
  const hello = stored('visitor', 'Hello', 'Ada')

  it('counts new messages in the real document title while hidden, and restores it when shown', () => {
    document.title = 'Shop'
    const { result, rerender, unmount } = renderHook(({ session }) => useChatAttention(session), {
      initialProps: { session: state([hello]) },
    })
    setHidden(true)
    const first = stored('agent', 'Hi Ada')
    rerender({ session: state([hello, first], 1) })
    expect(document.title).toBe('(1) Shop')
    expect(result.current.count).toBe(1)
    rerender({ session: state([hello, first, stored('agent', 'Are you there?')], 2) })
    expect(document.title).toBe('(2) Shop')
    setHidden(false)
    expect(document.title).toBe('Shop')
    expect(result.current.count).toBe(0)
    setHidden(true)
    rerender({ session: state([hello, first, stored('agent', 'Bye')], 3) })
    expect(document.title).toBe('(1) Shop')
    unmount()
    expect(document.title).toBe('Shop')
  })

  it('never prompts for notifications by itself; requestNotifications asks, and then they show', async () => {
    let permission: NotificationPermission = 'default'
    let prompts = 0
    const shown: string[] = []
    let visible = true
    const listeners = new Set<() => void>()
    const environment: AttentionEnvironment = {
      document: { title: 'Shop' },
      visibility: {
        isVisible: () => visible,
        subscribe: (listener) => {
          listeners.add(listener)
          return () => listeners.delete(listener)
        },
      },
      notifications: {
        permission: () => permission,
        request: async () => {
          prompts++
          permission = 'granted'
          return permission
        },
        show: (title, options) => shown.push(`${title}: ${options.body}`),
      },
    }
    const { result, rerender } = renderHook(({ session }) => useChatAttention(session, { environment }), {
      initialProps: { session: state([hello]) },
    })
    expect(result.current.notificationPermission).toBe('default')
    visible = false
    for (const listener of listeners) listener()
    const one = stored('agent', 'One')
    rerender({ session: state([hello, one], 1) })
    expect(prompts).toBe(0)
    expect(shown).toEqual([])
    await act(() => result.current.requestNotifications())
    expect(prompts).toBe(1)
    expect(result.current.notificationPermission).toBe('granted')
    rerender({ session: state([hello, one, stored('agent', 'Two')], 2) })
    expect(shown).toEqual(['2 new messages: Two'])
  })
})
