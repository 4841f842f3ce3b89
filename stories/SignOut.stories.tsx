import type { Meta, StoryObj } from '@storybook/react-vite'
import { QueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ChatApiProvider, useCreateConversation } from 'socialboards-chat-react'
import { expect } from 'storybook/test'
import { ConversationHistory } from '../examples/conversation-history'
import { SignOutButton } from '../examples/sign-out'

/** A shared computer: the visitor chats, signs out, and the next person finds nothing of theirs. */
function SharedComputer() {
  const create = useCreateConversation()
  const [started, setStarted] = useState<number | undefined>()
  return (
    <main>
      <p>
        <button
          type="button"
          disabled={create.isPending}
          onClick={() =>
            create.mutate(
              { author: { name: 'Ada', email: 'ada@example.com' }, title: 'My card ends in 4242' },
              { onSuccess: (conversation) => setStarted(conversation.id) },
            )
          }
        >
          Start chat
        </button>{' '}
        <SignOutButton />
      </p>
      {started !== undefined && <p data-testid="started">{started}</p>}
      <h2>Your conversations</h2>
      <ConversationHistory onOpen={() => {}} />
    </main>
  )
}

/**
 * Sign-out: `client.signOutVisitor()` (`DELETE /api/chat/visitor`) makes the server half expire the
 * visitor cookie, and the library's cache is reset, so the history is empty at once and the old
 * conversation can no longer be read from this browser (403). The handler runs inside the page behind
 * msw (see `stories/chat-server.ts`). A session's `signOut()` will call the same method.
 */
const meta = {
  title: 'Server half/Sign out',
  component: SharedComputer,
  parameters: { chat: { server: true, latency: 100, agent: false } },
  render: () => {
    const [queryClient] = useState(() => new QueryClient())
    return (
      <ChatApiProvider baseURL="/api/chat/" queryClient={queryClient}>
        <SharedComputer />
      </ChatApiProvider>
    )
  },
} satisfies Meta<typeof SharedComputer>

export default meta
type Story = StoryObj<typeof meta>
const wait = { timeout: 15_000 }

/** Chat started → listed → sign out → the list is empty and the old chat answers 403. */
export const NextVisitorFindsNothing: Story = {
  play: async ({ canvas, userEvent }) => {
    await expect(await canvas.findByText('No conversations yet.', {}, wait)).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Start chat' }))
    await expect(await canvas.findByRole('button', { name: /^Chat of / }, wait)).toBeVisible()
    const id = (await canvas.findByTestId('started')).textContent
    const url = `/api/chat/chat/conversations/${id}`
    await expect((await fetch(url)).status).toBe(200)

    await userEvent.click(canvas.getByRole('button', { name: 'Sign out' }))
    await expect(await canvas.findByText('No conversations yet.', {}, wait)).toBeVisible()
    await expect(canvas.queryByRole('button', { name: /^Chat of / })).toBeNull()
    await expect((await fetch(url)).status).toBe(403)
  },
}
