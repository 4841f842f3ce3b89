import { readdirSync, readFileSync } from 'node:fs'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { HttpResponse, http } from 'msw'
import { OFFLINE_TITLE } from 'socialboards-chat-react/core'
import { createMockChatApi, MOCK_ACCESS_TOKEN } from 'socialboards-chat-react/mock'
import { createChatHandler } from 'socialboards-chat-react/server'
import { describe, expect, it } from 'vitest'
import { OpeningHoursChat } from '../examples/opening-hours'
import { App } from '../examples/quick-start'
import { SupportWidget } from '../examples/support-widget'
import { api as mock, server } from './support/mock-server'
import { providerWrapper } from './support/render'

const readme = readFileSync('README.md', 'utf8')

describe('README quick start', () => {
  it('is the typechecked example file, verbatim', () => {
    const example = readFileSync('examples/quick-start.tsx', 'utf8')
    expect(readme).toContain(`\`\`\`tsx\n${example}\`\`\``)
  })

  it('has no code block that is not a typechecked file in examples/', () => {
    const examples = readdirSync('examples', { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(`examples/${entry.name}`, 'utf8'))
    const blocks = [...readme.matchAll(/```tsx?\n([\s\S]*?)```/g)].map((match) => match[1])
    expect(blocks.length).toBeGreaterThanOrEqual(3)
    for (const block of blocks) expect(examples).toContain(block)
  })

  it('starts a conversation through the server half, with no token in the browser', async () => {
    const api = createMockChatApi({ baseURL: 'https://chat-api.example.com/' })
    const handler = createChatHandler({
      apiBaseURL: api.baseURL,
      accessToken: () => MOCK_ACCESS_TOKEN,
      secret: 'a-test-secret-of-at-least-32-characters',
      cookie: { secure: false },
    })
    const seen: Request[] = []
    server.use(
      http.all('/api/chat/*', ({ request }) => {
        seen.push(request.clone())
        return handler.fetch(request)
      }),
      ...api.handlers,
    )
    render(<App />)
    await userEvent.type(screen.getByLabelText('Name'), 'Ada')
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com')
    await userEvent.click(screen.getByRole('button', { name: 'Start chat' }))
    expect(await screen.findByText('You are number 1 in the queue.')).toBeTruthy()
    expect(api.conversations()[0]?.author).toMatchObject({ name: 'Ada', email: 'ada@example.com' })
    // The browser sent no token; only the server half did.
    expect(seen.map((request) => request.headers.get('authorization'))).toEqual([null])
  })

  it("shows the validation issue in the visitor's words without sending", async () => {
    const api = createMockChatApi({ baseURL: 'https://chat-api.example.com/' })
    server.use(
      http.all('/api/chat/*', () => HttpResponse.error()),
      ...api.handlers,
    )
    render(<App />)
    await userEvent.type(screen.getByLabelText('Email'), 'not-an-email')
    await userEvent.click(screen.getByRole('button', { name: 'Start chat' }))
    expect((await screen.findByRole('alert')).textContent).toBe('Please enter an email address like name@example.com.')
    expect(api.requests).toHaveLength(0)
  })

  it('the support widget example chats as an anonymous visitor, with roles and an unread count', async () => {
    const { wrapper: Wrapper } = providerWrapper()
    render(
      <Wrapper>
        <SupportWidget />
      </Wrapper>,
    )
    await userEvent.click(await screen.findByRole('button', { name: 'Chat' }))
    await userEvent.type(screen.getByLabelText('Message'), 'Hello there{Enter}')
    const mine = await screen.findByText(/Hello there/)
    expect(mine.className).toBe('visitor')
    expect(mock.conversations()[0]?.author.customIdentifier).toMatch(/^[0-9a-f-]{36}$/)
    expect(mock.conversations()[0]?.initialPageUrl).toBe(window.location.href)
  })

  it('the opening hours example: outside the hours an email is required, then the message is left for an email reply', async () => {
    localStorage.clear()
    const { wrapper: Wrapper } = providerWrapper()
    render(
      <Wrapper>
        <OpeningHoursChat availability={() => false} />
      </Wrapper>,
    )
    await screen.findByText(/^We are away/)
    await userEvent.type(screen.getByLabelText('Message'), 'Do you ship to Norway?')
    await userEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect((await screen.findByRole('alert')).textContent).toBe('Please enter your email address.')
    expect(mock.requests).toHaveLength(0)
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com')
    await userEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect((await screen.findByRole('status')).textContent).toBe('Thanks! Our reply will come to your email.')
    expect(screen.queryByRole('alert')).toBeNull()
    const creates = mock.requests.filter((r) => r.method === 'POST' && r.path === 'chat/conversations')
    expect(creates).toHaveLength(1)
    expect(creates[0]?.body).toMatchObject({ title: OFFLINE_TITLE, author: { email: 'ada@example.com' } })
    await screen.findByText('Do you ship to Norway?')
    localStorage.clear()
  })
})
