// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

describe('server rendering', () => {
  it('imports and renders without browser globals', async () => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
    const { ChatApiProvider, useCreateConversation } = await import('socialboards-chat-react')
    function StartChat() {
      const create = useCreateConversation()
      return <button type="button">{create.status}</button>
    }
    const html = renderToString(
      <ChatApiProvider baseURL="https://api.example.test/" accessToken={() => 'token'}>
        <StartChat />
      </ChatApiProvider>,
    )
    expect(html).toBe('<button type="button">idle</button>')
  })

  it('renders the message hooks without making or subscribing anything on the server', async () => {
    const { onlineManager } = await import('@tanstack/react-query')
    const { ChatApiProvider, useAddMessages, useConversationMessages } = await import('socialboards-chat-react')
    function Chat() {
      const { messages } = useConversationMessages(254626)
      const { outbox } = useAddMessages(254626, { author: { email: 'ada@example.com' } })
      return (
        <p>
          {messages.length} {outbox.length}
        </p>
      )
    }
    const html = renderToString(
      <ChatApiProvider baseURL="https://api.example.test/">
        <Chat />
      </ChatApiProvider>,
    )
    expect(html).toBe('<p>0<!-- --> <!-- -->0</p>')
    // An outbox made during a server render would follow the network, once per request, forever.
    expect(onlineManager.hasListeners()).toBe(false)
  })
})
