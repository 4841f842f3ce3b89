// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

describe('announcer and attention on a server', () => {
  it('render without browser globals, touching nothing', async () => {
    expect(typeof document).toBe('undefined')
    const { useChatAnnouncer, useChatAttention, browserAttention } = await import('socialboards-chat-react').then(
      async (main) => ({ ...main, ...(await import('socialboards-chat-react/core')) }),
    )
    const session = {
      status: 'idle',
      conversationId: undefined,
      conversation: undefined,
      messages: [],
      unreadCount: 0,
    } as const
    function Chat() {
      const { text } = useChatAnnouncer(session)
      const attention = useChatAttention(session, { sound: '/ping.mp3' })
      return (
        <p>
          {text}|{attention.count}|{attention.notificationPermission}
        </p>
      )
    }
    expect(renderToString(<Chat />)).toBe('<p>|<!-- -->0<!-- -->|<!-- -->unsupported</p>')
    expect(browserAttention()).toEqual({})
  })
})
