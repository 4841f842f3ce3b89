import type { Meta, StoryObj } from '@storybook/react-vite'
import { QueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { ChatApiProvider, useCreateConversation } from 'socialboards-chat-react'
import { expect, within } from 'storybook/test'
import { ConversationHistory } from '../examples/conversation-history'
import { until } from './play'

/** A visitor's page: a form that starts a chat, and the README's history list beside it. */
function HistoryPage() {
  const create = useCreateConversation()
  const [opened, setOpened] = useState<number | undefined>()
  const [started, setStarted] = useState<number[]>([])
  function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = event.currentTarget
    const title = new FormData(form).get('title') as string
    create.mutate(
      { author: { name: 'Ada', email: 'ada@example.com' }, title },
      {
        onSuccess: (conversation) => {
          form.reset()
          setStarted((ids) => [...ids, conversation.id])
        },
      },
    )
  }
  return (
    <main>
      <form onSubmit={start} aria-label="New chat">
        <label>
          Topic <input name="title" required />
        </label>{' '}
        <button type="submit" disabled={create.isPending}>
          Start chat
        </button>
      </form>
      <p>
        Started here: <span data-testid="started">{started.join(', ')}</span>
      </p>
      <h2>Your conversations</h2>
      <ConversationHistory onOpen={setOpened} />
      {opened !== undefined && <p role="status">Opened conversation {opened}</p>}
    </main>
  )
}

/**
 * History ("my conversations"): `useMyConversations()` lists what this visitor started, newest first,
 * from the server half (`GET /api/chat/visitor/conversations`, the Chat API has no such list). The
 * handler runs inside the page behind msw, in front of the mock (see `stories/chat-server.ts`); the
 * list is read again as soon as a chat is created here.
 */
const meta = {
  title: 'Server half/History',
  component: HistoryPage,
  parameters: { chat: { server: true, latency: 100, agent: false } },
  render: () => {
    const [queryClient] = useState(() => new QueryClient())
    return (
      <ChatApiProvider baseURL="/api/chat/" queryClient={queryClient}>
        <HistoryPage />
      </ChatApiProvider>
    )
  },
} satisfies Meta<typeof HistoryPage>

export default meta
type Story = StoryObj<typeof meta>
const wait = { timeout: 15_000 }

/** Two chats started → both listed, newest first → the one picked opens. */
export const NewestFirst: Story = {
  play: async ({ canvas, userEvent }) => {
    await expect(await canvas.findByText('No conversations yet.', {}, wait)).toBeVisible()
    for (const [index, topic] of ['Parcel', 'Refund'].entries()) {
      await userEvent.type(canvas.getByLabelText('Topic'), topic)
      await userEvent.click(canvas.getByRole('button', { name: 'Start chat' }))
      await until(() => canvas.queryAllByRole('button', { name: /^Chat of / }).length === index + 1, 'listed')
    }
    const [first, second] = (canvas.getByTestId('started').textContent ?? '').split(', ')
    const items = within(canvas.getByRole('list', { name: 'Your conversations' })).getAllByRole('button')
    // Newest first: the first item opens the second chat, the last the first.
    await userEvent.click(items[0] as HTMLElement)
    await expect(await canvas.findByRole('status')).toHaveTextContent(`Opened conversation ${second}`)
    await userEvent.click(items[1] as HTMLElement)
    await expect(await canvas.findByRole('status')).toHaveTextContent(`Opened conversation ${first}`)
  },
}
