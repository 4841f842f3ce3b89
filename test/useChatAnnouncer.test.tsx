import { act, render, renderHook, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import {
  type AnnouncerState,
  announcerMessagesNb,
  type ChatMessage,
  type Conversation,
  useChatAnnouncer,
} from 'socialboards-chat-react'
import { describe, expect, it } from 'vitest'

const conversation = { id: 7, isClosed: false } as Conversation
let nextId = 1
const stored = (role: ChatMessage['role'], message: string, name = 'Anna'): ChatMessage => {
  const id = nextId++
  return { key: `message-${id}`, status: 'sent', role, id, message, author: { name, isBot: role === 'bot' } }
}
const state = (messages: ChatMessage[], change: Partial<AnnouncerState> = {}): AnnouncerState => ({
  status: 'queued',
  conversationId: 7,
  conversation,
  messages,
  unreadCount: 0,
  ...change,
})

/** A live region the way the README shows it. */
function Region({ session, nb = false }: { session: AnnouncerState; nb?: boolean }) {
  const { announcements } = useChatAnnouncer(session, nb ? { messages: announcerMessagesNb } : {})
  return (
    <div aria-live="polite" data-testid="region">
      {announcements.map((item) => (
        <p key={item.id}>{item.text}</p>
      ))}
    </div>
  )
}

describe('useChatAnnouncer', () => {
  const hello = stored('visitor', 'Hello', 'Ada')

  it('says each new agent message and status change once, not again on re-render', () => {
    const { result, rerender } = renderHook(({ session }) => useChatAnnouncer(session), {
      initialProps: { session: state([hello]) },
    })
    expect(result.current.text).toBe('')
    const answer = stored('agent', 'How can I help?')
    const answered = state([hello, answer], { status: 'with-agent', unreadCount: 1 })
    rerender({ session: answered })
    expect(result.current.announcements.map((item) => item.text)).toEqual([
      'Anna says: How can I help?',
      'An agent has joined the chat.',
    ])
    const before = result.current.announcements
    rerender({ session: { ...answered } })
    rerender({ session: state([hello, answer, stored('visitor', 'Thanks', 'Ada')], { status: 'with-agent' }) })
    expect(result.current.announcements).toBe(before)
    rerender({ session: state([hello, answer], { status: 'closed' }) })
    expect(result.current.text).toBe('The chat has ended.')
  })

  it('is quiet on mount and remount, even with unread history, and in StrictMode', () => {
    const history = state([hello, stored('agent', 'From before')], { unreadCount: 1, status: 'with-agent' })
    const first = render(
      <StrictMode>
        <Region session={history} />
      </StrictMode>,
    )
    expect(screen.getByTestId('region').textContent).toBe('')
    first.unmount()
    render(<Region session={history} />)
    expect(screen.getByTestId('region').textContent).toBe('')
  })

  it('adds a new element for each announcement, even with the same words, and keeps the latest few', () => {
    const messages = [hello]
    const { rerender } = render(<Region session={state(messages)} />)
    const region = screen.getByTestId('region')
    for (let round = 1; round <= 4; round++) {
      messages.push(stored('agent', 'Still there?'))
      act(() => rerender(<Region session={state([...messages], { unreadCount: round })} />))
    }
    expect([...region.children].map((child) => child.textContent)).toEqual([
      'Anna says: Still there?',
      'Anna says: Still there?',
      'Anna says: Still there?',
    ])
  })

  it('speaks Bokmål when given its words', () => {
    const { rerender } = render(<Region nb session={state([hello])} />)
    rerender(<Region nb session={state([hello, stored('bot', 'Hei!', 'Bob')], { unreadCount: 1 })} />)
    expect(screen.getByTestId('region').textContent).toBe('Bob (bot) skriver: Hei!')
  })
})
