import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { type Canvas, type User, until } from './play'
import { SecureSupportWidget } from './SupportWidget'

/**
 * The secure deployment: the widget talks to `createChatHandler` at `/api/chat`, in front of the mock
 * Chat API. The handler is Web-standard, so here it runs inside the page behind msw (see
 * `stories/chat-server.ts`), and the static build needs no server. The browser holds no token: the
 * handler's cookie says which conversations are this visitor's (kept by the in-page server, as a
 * browser keeps an httpOnly cookie; no script can read it).
 */
const meta = {
  title: 'Server half/Secure support widget',
  component: SecureSupportWidget,
  args: { pollInterval: 300 },
  parameters: { chat: { server: true, latency: 150 } },
} satisfies Meta<typeof SecureSupportWidget>

export default meta
type Story = StoryObj<typeof meta>
const wait = { timeout: 15_000 }
const list = (canvas: Canvas) => within(canvas.getByRole('list', { name: 'Messages' }))

async function write(canvas: Canvas, userEvent: User, text: string) {
  await userEvent.type(canvas.getByLabelText('Message'), text)
  await userEvent.click(canvas.getByRole('button', { name: 'Send' }))
}

/** Start → message stored → reload → resumed through the cookie → close. */
export const StartReloadResumeClose: Story = {
  play: async ({ canvas, userEvent }) => {
    await write(canvas, userEvent, 'Hello through the proxy')
    await until(
      () => list(canvas).queryByText('Sending…') === null && canvas.queryByText(/Hello through/) !== null,
      'sent',
    )
    await expect(await canvas.findByRole('button', { name: 'End chat' }, wait)).toBeVisible()
    // The cookie is httpOnly: no script on the page can read it.
    await expect(document.cookie).not.toMatch(/sb_chat/)

    await userEvent.click(canvas.getByRole('button', { name: 'Reload page' }))
    await expect(await canvas.findByText('Page load 2')).toBeVisible()
    await expect(await list(canvas).findByText('Hello through the proxy', {}, wait)).toBeVisible()

    // Without the cookie the same conversation is refused: it is what makes it this visitor's.
    const id = canvas.getByRole('region', { name: 'Support widget' }).dataset.conversationId
    const url = `/api/chat/chat/conversations/${id}`
    await expect((await fetch(url, { credentials: 'omit' })).status).toBe(403)
    await expect((await fetch(url)).status).toBe(200)

    await userEvent.click(canvas.getByRole('button', { name: 'End chat' }))
    await expect(await canvas.findByText('This chat has ended.', {}, wait)).toBeVisible()
  },
}

/**
 * Realtime: polling once a minute, yet the agent joins and greets within seconds, pushed over the
 * handler's event stream (the mock tells the handler of each change, as webhooks would).
 */
export const RepliesOverTheEventStream: Story = {
  args: { pollInterval: 60_000, realtime: true },
  play: async ({ canvas, userEvent }) => {
    await write(canvas, userEvent, 'Anyone there?')
    await expect(await canvas.findByText(/in the queue/, {}, wait)).toBeVisible()
    // The scripted agent joins about 1.5 s later; only the stream can tell the page before the next poll.
    await expect(await canvas.findByText('An agent has joined.', {}, { timeout: 30_000 })).toBeVisible()
    await expect(await list(canvas).findByText(/I'm Anna from support/, {}, { timeout: 30_000 })).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'End chat' }))
    await expect(await canvas.findByText('This chat has ended.', {}, wait)).toBeVisible()
  },
}
