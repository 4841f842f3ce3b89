import type { Meta, StoryObj } from '@storybook/react-vite'
import { onlineManager } from '@tanstack/react-query'
import { expect, within } from 'storybook/test'
import { type Canvas, mockOf, type User, until } from './play'
import { SupportWidget, TwoTabs } from './SupportWidget'

/**
 * A support widget built only on `useChatSession`: the first message starts the chat, the queue
 * moves, an agent answers; a message written offline goes out on reconnect; a reload resumes.
 */
const meta = {
  title: 'Chat session/Support widget',
  component: SupportWidget,
  args: { pollInterval: 400 },
  // The agent waits for the play function (`runAgent`), so no step races a clock on a slow machine.
  parameters: { chat: { latency: 150, queueAhead: 1, agent: { queueStepMs: 700, replyAfterMs: 600, manual: true } } },
  beforeEach: () => () => onlineManager.setOnline(true),
} satisfies Meta<typeof SupportWidget>

export default meta
type Story = StoryObj<typeof meta>
const wait = { timeout: 15_000 }
const list = (canvas: Canvas) => within(canvas.getByRole('list', { name: 'Messages' }))
const tabOf = (canvas: Canvas, name: string) => within(canvas.getByRole('region', { name }))
const stored = (api: ReturnType<typeof mockOf>) =>
  api.conversations().flatMap((conversation) => (conversation.messages ?? []).map((message) => message.message))

async function write(canvas: Canvas, userEvent: User, text: string) {
  await userEvent.type(canvas.getByLabelText('Message'), text)
  await userEvent.click(canvas.getByRole('button', { name: 'Send' }))
}

/** Start with a first message → queue → agent → offline send delivered on reconnect → reload → feedback → close. */
export const WholeVisit: Story = {
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    await expect(canvas.getByRole('status')).toHaveTextContent('Ask us anything.')
    await write(canvas, userEvent, 'Hi, my parcel is late')
    await expect(await canvas.findByText(/You are number 2 in the queue/, {}, wait)).toBeVisible()
    api.runAgent()
    await expect(await canvas.findByText('An agent has joined.', {}, wait)).toBeVisible()
    await expect(await list(canvas).findByText(/I'm Anna from support/, {}, wait)).toBeVisible()
    await write(canvas, userEvent, 'It was due Monday')
    await until(() => stored(api).includes('It was due Monday'), 'the mock has the message')
    api.runAgent()
    await expect(await list(canvas).findByText(/About "It was due Monday"/, {}, wait)).toBeVisible()

    await userEvent.click(canvas.getByRole('button', { name: 'Go offline' }))
    await write(canvas, userEvent, 'Written on the train')
    await expect(await list(canvas).findByText('Sending…')).toBeVisible()
    const posts = () => api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).length
    const before = posts()
    await new Promise((resolve) => setTimeout(resolve, 300))
    await expect(posts()).toBe(before)
    await userEvent.click(canvas.getByRole('button', { name: 'Go online' }))
    await until(() => list(canvas).queryByText('Sending…') === null, 'nothing is sending')
    await expect(posts()).toBe(before + 1)

    await userEvent.click(canvas.getByRole('button', { name: 'Reload page' }))
    await expect(await canvas.findByText('Page load 2')).toBeVisible()
    await expect(await list(canvas).findByText('Written on the train', {}, wait)).toBeVisible()
    await expect(await list(canvas).findByText('Hi, my parcel is late', {}, wait)).toBeVisible()
    await expect(await canvas.findByText('An agent has joined.', {}, wait)).toBeVisible()

    await userEvent.click(canvas.getByRole('button', { name: 'Yes' }))
    await expect(await canvas.findByText('Thanks for your feedback.')).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'End chat' }))
    await expect(await canvas.findByText('This chat has ended.', {}, wait)).toBeVisible()
    await expect(api.conversations().filter((c) => c.author.email === 'ada@example.com')).toHaveLength(1)
    api.setAgentManual(false) // whoever watches the demo in Storybook can chat on
  },
}

/** After a reload, a chat that had ended is let go: the widget starts fresh and says why. */
export const ReloadAfterTheChatEnded: Story = {
  play: async ({ canvas, userEvent }) => {
    await write(canvas, userEvent, 'Quick question')
    await expect(await canvas.findByText(/in the queue/, {}, wait)).toBeVisible()
    await until(() => list(canvas).queryByText('Sending…') === null, 'nothing is sending')
    await userEvent.click(canvas.getByRole('button', { name: 'End chat' }))
    await expect(await canvas.findByText('This chat has ended.', {}, wait)).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Reload page' }))
    await expect(await canvas.findByText(/Ask us anything\. Your previous chat had ended\./, {}, wait)).toBeVisible()
  },
}

/** Two tabs of one visitor share one conversation: the second joins the first's, and sees its messages. */
export const TwoTabsShareOneConversation: Story = {
  render: (args) => <TwoTabs pollInterval={args.pollInterval} />,
  play: async ({ canvas, userEvent, loaded }) => {
    const one = tabOf(canvas, 'Tab 1')
    const two = tabOf(canvas, 'Tab 2')
    await userEvent.type(one.getByLabelText('Message'), 'Sent from tab one')
    await userEvent.type(two.getByLabelText('Message'), 'Sent from tab two')
    await userEvent.click(one.getByRole('button', { name: 'Send' }))
    await userEvent.click(two.getByRole('button', { name: 'Send' }))
    for (const tab of [one, two]) {
      await expect(await tab.findByText(/in the queue/, {}, wait)).toBeVisible()
      await expect(await tab.findByText('Sent from tab one', {}, wait)).toBeVisible()
      await expect(await tab.findByText('Sent from tab two', {}, wait)).toBeVisible()
    }
    const visitors = () =>
      mockOf(loaded)
        .conversations()
        .filter((c) => c.author.email === 'ada@example.com')
    await until(() => visitors()[0]?.messages?.length === 2, 'the server has both messages')
    await expect(visitors()).toHaveLength(1)
    await expect(visitors()[0]?.messages?.map((m) => m.message)).toEqual(['Sent from tab one', 'Sent from tab two'])
    for (const tab of [one, two]) await until(() => tab.queryByText('Sending…') === null, 'nothing is sending')
  },
}
