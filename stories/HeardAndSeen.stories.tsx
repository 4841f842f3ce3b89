import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { HeardChat, SchedulePreview } from './HeardAndSeen'
import { type Canvas, mockOf, type User, until } from './play'

/**
 * What a visitor hears and notices: agent replies and status changes read out by a polite live
 * region (`useChatAnnouncer`), the unread count in a hidden tab's title (`useChatAttention`), and
 * opening hours across time zones (`isAvailable`, `nextOpening`).
 */
const meta = {
  title: 'Chat session/Heard and seen',
  component: HeardChat,
  args: { pollInterval: 300 },
  // The agent waits for the play function (`runAgent`), so no step races a clock on a slow machine.
  parameters: { chat: { latency: 100, agent: { queueStepMs: 700, replyAfterMs: 600, manual: true } } },
} satisfies Meta<typeof HeardChat>

export default meta
type Story = StoryObj<typeof meta>

const wait = { timeout: 15_000 }
const region = (canvas: Canvas) => canvas.getByTestId('live-region')
const log = (canvas: Canvas) => within(canvas.getByRole('log', { name: 'Messages' }))
const fromVisitor = (api: ReturnType<typeof mockOf>, text: string) =>
  api.conversations().some((conversation) => conversation.messages?.some((message) => message.message === text))

async function write(canvas: Canvas, userEvent: User, text: string) {
  await userEvent.type(canvas.getByLabelText('Message'), text)
  await userEvent.click(canvas.getByRole('button', { name: 'Send' }))
}

/** The live region a screen reader follows: it says the agent joining, each reply once, and the end. */
export const ScreenReaderView: Story = {
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    await write(canvas, userEvent, 'Hi, my parcel is late')
    await expect(await canvas.findByText('Waiting for an agent.', {}, wait)).toBeVisible()
    // The visitor's own message is in the log, and not read out.
    await expect(await log(canvas).findByText('Hi, my parcel is late', {}, wait)).toBeVisible()
    await expect(region(canvas)).toHaveTextContent('')

    api.runAgent()
    await until(() => /An agent has joined the chat\./.test(region(canvas).textContent ?? ''), 'the join is told')
    await until(() => / says: .*I'm Anna from support/.test(region(canvas).textContent ?? ''), 'the greeting is told')

    const before = region(canvas).textContent
    await write(canvas, userEvent, 'It was due Monday')
    await until(() => fromVisitor(api, 'It was due Monday'), 'the mock has the message')
    api.runAgent()
    await until(() => region(canvas).textContent !== before, 'the live region changes when the agent answers')
    await expect(region(canvas).lastElementChild).toHaveTextContent(/says: .*About "It was due Monday"/)
    // Told once: the same reply never shows twice in the region.
    await expect(region(canvas).textContent?.match(/It was due Monday/g)).toHaveLength(1)

    await userEvent.click(canvas.getByRole('button', { name: 'End chat' }))
    await until(() => region(canvas).lastElementChild?.textContent === 'The chat has ended.', 'the end is told')
    api.setAgentManual(false)
  },
}

/** The same, in Norwegian Bokmål (`announcerMessagesNb`). */
export const ScreenReaderViewBokmal: Story = {
  args: { language: 'nb' },
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    await write(canvas, userEvent, 'Hei')
    await expect(await log(canvas).findByText('Hei', {}, wait)).toBeVisible()
    await expect(await canvas.findByText('Waiting for an agent.', {}, wait)).toBeVisible()
    api.runAgent()
    await until(
      () => /En kundebehandler har blitt med i chatten\./.test(region(canvas).textContent ?? ''),
      'the join is told in Bokmål',
    )
    await until(() => / skriver: /.test(region(canvas).textContent ?? ''), 'the greeting is told in Bokmål')
    api.setAgentManual(false)
  },
}

/** Sets the page's visibility the way a browser does when the visitor switches tabs: the property, then the event. */
function setHidden(hidden: boolean) {
  if (hidden) Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
  // Deleting the own property brings back the browser's real getter.
  else Reflect.deleteProperty(document, 'visibilityState')
  document.dispatchEvent(new Event('visibilitychange'))
}

/** A hidden tab polls at the 15 s idle pace (no realtime stream here): a reply can take that long to arrive. */
const HIDDEN_PACE_WAIT = 20_000

/**
 * A hidden tab collects the unread count in its title; showing the tab puts the title back. No workaround: the
 * session itself keeps polling a hidden tab (at the idle pace), so the replies arrive while it is hidden.
 */
export const HiddenTabBadge: Story = {
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    const title = document.title
    try {
      await write(canvas, userEvent, 'Anyone there?')
      await expect(await canvas.findByText('Waiting for an agent.', {}, wait)).toBeVisible()
      setHidden(true)
      api.runAgent()
      await until(() => /^\(\d+\) /.test(document.title), 'the hidden tab shows a count in its title', HIDDEN_PACE_WAIT)
      await expect(document.title.endsWith(title)).toBe(true)
      const first = Number(canvas.getByTestId('hidden-count').textContent)
      await expect(document.title).toBe(`(${first}) ${title}`)

      await write(canvas, userEvent, 'Great, thanks')
      await until(() => fromVisitor(api, 'Great, thanks'), 'the mock has the message')
      api.runAgent()
      const count = () => Number(canvas.getByTestId('hidden-count').textContent)
      await until(
        () => count() > first && document.title === `(${count()}) ${title}`,
        'the count grows with the reply',
        HIDDEN_PACE_WAIT,
      )

      setHidden(false)
      await until(() => document.title === title, 'the title is back once the tab is shown')
      await expect(canvas.getByTestId('hidden-count')).toHaveTextContent('0')
    } finally {
      setHidden(false)
      api.setAgentManual(false)
    }
  },
}

/** Opening hours in Oslo seen from New York: closed for Christmas, back on Monday at 09:00 Oslo time. */
export const Schedule: StoryObj<typeof SchedulePreview> = {
  render: (args) => <SchedulePreview {...args} />,
  parameters: { chat: { agent: false } },
  play: async ({ canvas, userEvent }) => {
    const status = canvas.getByTestId('availability')
    // Wednesday 23 December 17:30 in Oslo: after hours, and the next two days are holidays.
    await expect(status).toHaveTextContent(
      "We're away. We'll be back Monday 28 December at 03:00 GMT-5 (your time), Monday 28 December at 09:00 GMT+1 at the office.",
    )
    const moment = canvas.getByLabelText('Moment (UTC, ISO)')
    // Friday 9 January 23:30 in Oslo: the night shift, open past midnight until 02:00.
    await userEvent.clear(moment)
    await userEvent.type(moment, '2026-01-09T22:30:00Z')
    await expect(status).toHaveTextContent("We're open. We close Friday 9 January at 20:00 GMT-5 (your time).")
  },
}
