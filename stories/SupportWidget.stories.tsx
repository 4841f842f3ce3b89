import type { Meta, StoryObj } from '@storybook/react-vite'
import { getWorker } from 'msw-storybook-addon'
import { createChatClient } from 'socialboards-chat-react'
import { createMockChatApi, MOCK_ACCESS_TOKEN, MOCK_BASE_URL } from 'socialboards-chat-react/mock'
import { expect, within } from 'storybook/test'
import { DEMO_MOCK_KEY } from '../.storybook/preview'
import { type Canvas, mockOf, type User, until } from './play'
import { DEMO_CHAT_KEY, SupportWidget, TwoTabs } from './SupportWidget'

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
    // Held, not just slow: the session keeps polling while the outbox waits, so two more polls mean
    // the outbox had two poll intervals in which it could have sent.
    const reads = () => api.requests.filter((r) => r.method === 'GET').length
    const polled = reads()
    await until(() => reads() >= polled + 2, 'two more polls while offline')
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

/**
 * Free play: chat with the scripted agent yourself. The play says hello, the agent joins and answers;
 * then it is your turn. The mock's data and the chat live in `sessionStorage`, so a real reload (F5)
 * of this page resumes the chat.
 */
export const FreePlay: Story = {
  args: { pollInterval: 1000, persisted: true },
  parameters: {
    // `manual: false` spelled out: Storybook merges the file's parameters into each story's, and the
    // file's agent is manual (for the scripted stories above); this one acts by the clock, at demo speed.
    chat: {
      latency: 300,
      queueAhead: 1,
      persist: 'keep',
      agent: { queueStepMs: 2000, replyAfterMs: 1500, manual: false },
    },
  },
  play: async ({ canvas, userEvent }) => {
    const question = 'Is my parcel on its way?'
    // The agent's answer after the question's last asking (a chat resumed after F5 may hold earlier ones).
    const answered = () => {
      const texts = list(canvas)
        .queryAllByRole('listitem')
        .map((item) => `${item.className}: ${item.textContent}`)
      const asked = texts.map((text) => text.startsWith('mine') && text.includes(question)).lastIndexOf(true)
      return asked >= 0 && texts.slice(asked + 1).some((text) => text.includes(`About "${question}"`))
    }
    await write(canvas, userEvent, 'Hello!')
    // The queue moves on its own; the agent joins and greets (a chat already with an agent has the greeting).
    await expect(await list(canvas).findAllByText(/I'm Anna from support/, {}, { timeout: 30_000 })).not.toHaveLength(0)
    await expect(await canvas.findByText('An agent has joined.', {}, wait)).toBeVisible()
    await write(canvas, userEvent, question)
    await until(answered, 'the agent answers the question', 30_000)
    await expect(canvas.getByLabelText('Message')).toBeEnabled()
  },
}

/**
 * A reload as the browser does it: the page's memory is gone, the mock's data and the chat come
 * back from `sessionStorage`. (A fresh mock is built from the saved data, as after F5.)
 */
export const ResumesFromSessionStorage: Story = {
  args: { persisted: true },
  parameters: { chat: { latency: 100, persist: 'fresh', agent: { manual: true } } },
  play: async ({ canvas, userEvent, loaded }) => {
    await write(canvas, userEvent, 'Kept across the reload')
    await until(() => stored(mockOf(loaded)).includes('Kept across the reload'), 'the mock has the message')
    await until(() => list(canvas).queryByText('Sending…') === null, 'nothing is sending')
    // The page's memory goes: a new mock from what sessionStorage holds, a new cache and session.
    const reloaded = createMockChatApi({ latency: 100, persist: { storage: sessionStorage, key: DEMO_MOCK_KEY } })
    getWorker().use(...reloaded.handlers)
    await userEvent.click(canvas.getByRole('button', { name: 'Reload page' }))
    await expect(await canvas.findByText('Page load 2')).toBeVisible()
    await expect(await list(canvas).findByText('Kept across the reload', {}, wait)).toBeVisible()
    await expect(reloaded.requests.some((r) => r.method === 'GET')).toBe(true)
  },
}

/**
 * With the bot: its answers count as unread while the widget is minimised (the last one shown
 * from `onMessage`), are seen once it is open, and "Talk to a human" hands the chat to an agent.
 * An anonymous visitor: the session gave them an identifier.
 */
export const UnreadAndAHuman: Story = {
  args: { isBotEnabled: true, anonymous: true },
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    await write(canvas, userEvent, 'Where is my order?')
    await expect(await canvas.findByText('You are chatting with our bot.', {}, wait)).toBeVisible()
    await until(() => stored(api).includes('Where is my order?'), 'the mock has the message')
    await userEvent.click(canvas.getByRole('button', { name: 'Minimise' }))
    api.runAgent()
    await expect(await canvas.findByRole('button', { name: 'Open chat (1 new)' }, wait)).toBeVisible()
    await expect(await canvas.findByText(/You said "Where is my order\?"/, {}, wait)).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Open chat (1 new)' }))
    const bot = await list(canvas).findByText(/I'm the bot/, {}, wait)
    await expect(bot.closest('li')).toHaveClass('theirs')
    await expect(list(canvas).getByText('Where is my order?').closest('li')).toHaveClass('mine')
    await userEvent.click(canvas.getByRole('button', { name: 'Minimise' }))
    await expect(canvas.getByRole('button', { name: 'Open chat' })).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Open chat' }))
    await userEvent.click(canvas.getByRole('button', { name: 'Talk to a human' }))
    await expect(await canvas.findByText('An agent has joined.', {}, wait)).toBeVisible()
    const guest = api.conversations().find((conversation) => conversation.author.name === 'Guest')
    await expect(guest?.author.customIdentifier).toMatch(/^[0-9a-f-]{36}$/)
  },
}

/** A long chat resumes with its newest 100 messages; "Older messages" loads the ones before. */
export const Scrollback: Story = {
  args: { persisted: true },
  parameters: { chat: { latency: 0, persist: 'fresh', agent: false } },
  play: async ({ canvas, userEvent }) => {
    const client = createChatClient({ baseURL: MOCK_BASE_URL, accessToken: MOCK_ACCESS_TOKEN })
    const author = { name: 'Ada', email: 'ada@example.com' }
    const { id } = await client.createConversation({ author })
    for (let batch = 0; batch < 13; batch++)
      await client.addMessages(
        id,
        Array.from({ length: 10 }, (_, index) => ({ message: `Earlier message ${batch * 10 + index}`, author })),
      )
    sessionStorage.setItem(DEMO_CHAT_KEY, JSON.stringify({ conversationId: id, isBotEnabled: false }))
    await userEvent.click(canvas.getByRole('button', { name: 'Reload page' }))
    await expect(await list(canvas).findByText('Earlier message 129', {}, wait)).toBeVisible()
    await expect(list(canvas).getByText('Earlier message 30')).toBeVisible()
    await expect(list(canvas).queryByText('Earlier message 29')).toBeNull()
    await userEvent.click(canvas.getByRole('button', { name: 'Older messages' }))
    await expect(await list(canvas).findByText('Earlier message 0', {}, wait)).toBeVisible()
    await expect(list(canvas).getAllByRole('listitem')).toHaveLength(130)
    await until(() => canvas.queryByRole('button', { name: 'Older messages' }) === null, 'nothing older')
  },
}

/** With `trackPages`, the chat starts with the page's URL and follows the visitor's navigation. */
export const TracksPages: Story = {
  args: { trackPages: true },
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    const start = window.location.href
    await write(canvas, userEvent, 'Which size fits me?')
    await until(() => api.conversations().some((c) => c.initialPageUrl === start), 'started with the page URL')
    window.location.hash = 'checkout'
    try {
      await until(
        () => api.conversations().some((c) => c.latestPageUrl === `${start}#checkout`),
        'the new page was sent',
      )
    } finally {
      history.replaceState(history.state, '', start)
    }
  },
}
