import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { type Canvas, mockOf, type User, until } from './play'
import { SupportChat } from './SupportChat'

/**
 * A complete headless support chat on the lifecycle hooks (`useConversation`, `useQueuePosition`,
 * `useConversationMessages`, `useAddMessages`, `useTakeover`, `useChangeTakeover`,
 * `useUpdateFeedback`, `useCloseConversation`), against the mock's scripted agent.
 */
const meta = {
  title: 'Conversation lifecycle/Support chat',
  component: SupportChat,
  args: { pollInterval: 400 },
  // The agent waits for the play function (`runAgent`), so no step races a clock on a slow machine.
  parameters: { chat: { latency: 150, agent: { queueStepMs: 700, replyAfterMs: 600, manual: true } } },
} satisfies Meta<typeof SupportChat>

export default meta
type Story = StoryObj<typeof meta>

const wait = { timeout: 15_000 }
const fromClient = (api: ReturnType<typeof mockOf>) =>
  api
    .conversations()
    .flatMap((c) => (c.messages ?? []).filter((m) => m.author.status === 'client').map((m) => m.message))

async function startChat(canvas: Canvas, userEvent: User) {
  await userEvent.type(canvas.getByLabelText('Name'), 'Ada')
  await userEvent.type(canvas.getByLabelText('Email'), 'ada@example.com')
  await userEvent.click(canvas.getByRole('button', { name: 'Start chat' }))
}

async function send(canvas: Canvas, userEvent: User, text: string) {
  await userEvent.type(canvas.getByLabelText('Message'), text)
  await userEvent.click(canvas.getByRole('button', { name: 'Send' }))
}

const messageList = (canvas: Canvas) => within(canvas.getByRole('list', { name: 'Messages' }))

/** Start → queue countdown → agent joins → messages both ways → a failed send retried → feedback → close. */
export const FullConversation: Story = {
  parameters: { chat: { latency: 150, queueAhead: 2, agent: { queueStepMs: 700, replyAfterMs: 600, manual: true } } },
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    await startChat(canvas, userEvent)
    await expect(await canvas.findByText(/You are number 3 in the queue \(about 9 minutes\)/, {}, wait)).toBeVisible()
    api.runAgent(1)
    await expect(await canvas.findByText(/You are number 2 in the queue/, {}, wait)).toBeVisible()
    api.runAgent()
    await expect(await canvas.findByText('An agent has joined.', {}, wait)).toBeVisible()
    await expect(await messageList(canvas).findByText(/Hi Ada, I'm Anna from support/, {}, wait)).toBeVisible()

    await send(canvas, userEvent, 'Where is my order?')
    await expect(await messageList(canvas).findByText('Where is my order?')).toBeVisible()
    await until(() => fromClient(api).includes('Where is my order?'), 'the mock has the message')
    api.runAgent()
    await expect(await messageList(canvas).findByText(/About "Where is my order\?"/, {}, wait)).toBeVisible()

    // The server answers 503: the message did not land (a retry looks once, then sends it).
    api.inject({ type: 'status', status: 503, match: { method: 'POST', path: /messages$/ } })
    await send(canvas, userEvent, 'Hello?')
    await expect(await canvas.findByText(/Not sent: The chat isn't available right now/, {}, wait)).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }))
    await until(() => canvas.queryByText(/Not sent/) === null, 'the retried message is sent')
    await expect(messageList(canvas).getByText('Hello?')).toBeVisible()

    await userEvent.click(canvas.getByRole('button', { name: 'Yes' }))
    await expect(await canvas.findByText('Thanks for your feedback.')).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'End chat' }))
    await expect(await canvas.findByText('This chat has ended.')).toBeVisible()
    await expect(canvas.getByLabelText('Message')).toBeDisabled()

    const stored = api.conversations().at(-1)
    await expect(stored).toMatchObject({ isClosed: true, feedback: { isPositive: true } })
    const fromAda = stored?.messages?.filter((m) => m.author.email === 'ada@example.com').map((m) => m.message)
    await expect(fromAda).toEqual(['Where is my order?', 'Hello?'])
    api.setAgentManual(false) // whoever watches the demo in Storybook can chat on
  },
}

/** A bot answers first; "Talk to a human" hands the conversation over and an agent joins. */
export const BotThenHuman: Story = {
  args: { withBot: true },
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    await startChat(canvas, userEvent)
    await expect(await canvas.findByText('You are chatting with our bot.', {}, wait)).toBeVisible()
    await send(canvas, userEvent, 'Can I change my address?')
    await until(() => fromClient(api).includes('Can I change my address?'), 'the mock has the message')
    api.runAgent()
    await expect(await messageList(canvas).findByText(/I'm the bot/, {}, wait)).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Talk to a human' }))
    await expect(await canvas.findByText('An agent has joined.', {}, wait)).toBeVisible()
    await expect(await messageList(canvas).findByText(/I'm Anna from support/, {}, wait)).toBeVisible()
    api.setAgentManual(false)
  },
}

/** A send that fails is kept, marked, and can be discarded; nothing is resent by itself. */
export const FailedSendDiscarded: Story = {
  parameters: { chat: { latency: 100, agent: false } },
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    await startChat(canvas, userEvent)
    await canvas.findByText(/You are number 1 in the queue/, {}, wait)
    api.inject({ type: 'status', status: 503, body: 'busy', match: { method: 'POST', path: /messages$/ } })
    await send(canvas, userEvent, 'Anyone there?')
    await expect(await canvas.findByText(/Not sent: The chat isn't available right now/, {}, wait)).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Discard' }))
    await until(() => messageList(canvas).queryByText('Anyone there?') === null, 'the message is discarded')
    await expect(api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toHaveLength(1)
  },
}
