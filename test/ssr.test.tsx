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
})
