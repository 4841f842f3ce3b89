import type { Meta, StoryObj } from '@storybook/react-vite'
import { QueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import {
  ChatApiError,
  ChatApiProvider,
  type ChatMessage,
  createChatClient,
  createMemoryStorage,
  describeIssue,
} from 'socialboards-chat-react'
import { OFFLINE_TITLE, type WeeklySchedule } from 'socialboards-chat-react/core'
import { MOCK_ACCESS_TOKEN, MOCK_ERROR_CODES } from 'socialboards-chat-react/mock'
import { expect, fn, waitFor, within } from 'storybook/test'
import type { ChatStoryLoaded } from '../.storybook/preview'
import {
  ChatPanel,
  type ChatPanelProps,
  type HistoryItem,
  ReferenceWidget,
  type ReferenceWidgetProps,
  WidgetShell,
  type WidgetTheme,
  widgetLabelsEn,
  widgetLabelsNb,
} from '../examples/widget'
import { type Canvas, mockOf, type User, until } from './play'

/**
 * The reference widget (`examples/widget`): a launcher and a panel on `useChatSession`, in plain CSS. The live
 * stories run it behind the server half in this page (`stories/chat-server.ts`) in front of the mock, whose agent
 * acts when the play says so; a few pieces (the away form's own checks, past chats, sign-out, error words) are also
 * shown alone with fixed props.
 */
function WidgetPage({ queryClient, ...props }: ReferenceWidgetProps & { queryClient: QueryClient }) {
  const [storage] = useState(createMemoryStorage)
  const [page, setPage] = useState({ load: 1, queryClient })
  return (
    <div style={{ padding: '1rem' }}>
      <p>
        <button type="button" onClick={() => setPage((p) => ({ load: p.load + 1, queryClient: new QueryClient() }))}>
          Reload page
        </button>{' '}
        <span>Page load {page.load}</span>
      </p>
      <ChatApiProvider key={page.load} baseURL="/api/chat/" queryClient={page.queryClient}>
        <ReferenceWidget
          storage={storage}
          pollInterval={300}
          author={{ name: 'Ada', email: 'ada@example.com' }}
          {...props}
        />
      </ChatApiProvider>
    </div>
  )
}

const meta = {
  title: 'Reference widget',
  component: ReferenceWidget,
  parameters: {
    layout: 'fullscreen',
    chat: { server: true, latency: 100, agent: { queueStepMs: 700, replyAfterMs: 600, manual: true } },
  },
  render: (args, { loaded }) => <WidgetPage queryClient={(loaded as ChatStoryLoaded).queryClient} {...args} />,
} satisfies Meta<typeof ReferenceWidget>

export default meta
type Story = StoryObj<typeof meta>
const wait = { timeout: 15_000 }

const launcher = (canvas: Canvas) => canvas.getByRole('button', { name: /^(Chat with us|Close chat)/ })
const panel = (canvas: Canvas) => within(canvas.getByRole('region', { name: 'Support' }))
const log = (canvas: Canvas) => within(canvas.getByRole('log', { name: 'Messages' }))
const banner = (canvas: Canvas) => panel(canvas).getByRole('status')
/** What a screen reader is told: the polite live region `useChatAnnouncer` feeds, beside the message log. */
const liveRegion = (canvas: Canvas) => {
  const region = canvas.getByRole('region', { name: 'Support' }).querySelector<HTMLElement>('[data-announcer]')
  if (!region) throw new Error('the widget has no live region')
  return region
}

async function openWidget(canvas: Canvas, userEvent: User) {
  await userEvent.click(launcher(canvas))
  await expect(panel(canvas).getByRole('heading', { name: 'Support' })).toBeVisible()
}

async function write(canvas: Canvas, userEvent: User, text: string) {
  await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), text)
  await userEvent.click(canvas.getByRole('button', { name: 'Send' }))
}

/** Waits until the visitor's messages have all reached the server. */
const allSent = (canvas: Canvas) => until(() => log(canvas).queryByText('Sending…') === null, 'every message is sent')

/** The agent, as the play function decides: the mock's scripted agent (manual) acts now. */
async function agentJoins(canvas: Canvas, loaded: unknown) {
  const api = mockOf(loaded)
  await until(() => api.conversations().some((c) => (c.messages ?? []).length > 0), 'the mock has the message')
  api.runAgent()
  await expect(await panel(canvas).findByText('Anna (support) joined the chat', {}, wait)).toBeVisible()
  await expect(await log(canvas).findByText(/I'm Anna from support/, {}, wait)).toBeVisible()
}

/** No raw status value and no log line anywhere in the widget. */
function wordsOnly(canvas: Canvas, region = 'Support') {
  const text = canvas.getByRole('region', { name: region }).textContent ?? ''
  for (const raw of [
    'with-agent',
    'with-bot',
    'queued',
    'closed',
    'starting',
    'resuming',
    'idle',
    'error',
    'HTTP',
    'API error',
    'chat/',
  ])
    expect(text).not.toContain(raw)
}

/**
 * Keyboard only: Tab to the launcher, Enter opens the panel and puts the cursor in the message box, Enter sends,
 * Tab moves on to Send, Escape closes and gives focus back to the launcher.
 */
export const KeyboardOnly: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.tab()
    await userEvent.tab()
    await expect(launcher(canvas)).toHaveFocus()
    await expect(launcher(canvas)).toHaveAttribute('aria-expanded', 'false')
    await userEvent.keyboard('{Enter}')
    await expect(launcher(canvas)).toHaveAttribute('aria-expanded', 'true')
    const box = canvas.getByRole('textbox', { name: 'Message' })
    await expect(box).toHaveFocus()
    await expect(banner(canvas)).toHaveTextContent('Hi! How can we help?')
    await userEvent.keyboard('Hello from the keyboard{Enter}')
    await expect(await log(canvas).findByText('Hello from the keyboard')).toBeVisible()
    await expect(box).toHaveValue('')
    await userEvent.keyboard('And a second line')
    await userEvent.tab()
    await expect(canvas.getByRole('button', { name: 'Send' })).toHaveFocus()
    await userEvent.keyboard('{Enter}')
    await expect(await log(canvas).findByText('And a second line')).toBeVisible()
    await userEvent.keyboard('{Escape}')
    await expect(launcher(canvas)).toHaveFocus()
    await expect(launcher(canvas)).toHaveAttribute('aria-expanded', 'false')
    await expect(canvas.queryByRole('region', { name: 'Support' })).toBeNull()
    await until(() => !document.body.textContent?.includes('Sending…'), 'every message is sent')
  },
}

/** Starting: the first message starts the conversation; until the server answers, the widget says so. */
export const Starting: Story = {
  play: async ({ canvas, userEvent, loaded }) => {
    mockOf(loaded).inject({ type: 'delay', ms: 1500, match: { method: 'POST', path: 'chat/conversations' } })
    await openWidget(canvas, userEvent)
    await write(canvas, userEvent, 'Is anyone there?')
    await expect(await panel(canvas).findByText('Starting your chat…')).toBeVisible()
    await expect(log(canvas).getByText('Sending…')).toBeVisible()
    await expect(await panel(canvas).findByText(/in line$/, {}, wait)).toBeVisible()
    await allSent(canvas)
    wordsOnly(canvas)
  },
}

/** Resuming: after a reload the widget picks the conversation up again, and says so while it loads. */
export const Resuming: Story = {
  args: { defaultOpen: true },
  play: async ({ canvas, userEvent, loaded }) => {
    await write(canvas, userEvent, 'Still there after a reload?')
    await allSent(canvas)
    const api = mockOf(loaded)
    api.setLatency(1500) // a slow network, so the resume can be seen
    await userEvent.click(canvas.getByRole('button', { name: 'Reload page' }))
    await expect(await canvas.findByText('Page load 2')).toBeVisible()
    await expect(await panel(canvas).findByText('Picking up where you left off…')).toBeVisible()
    api.setLatency(100)
    await expect(await log(canvas).findByText('Still there after a reload?', {}, wait)).toBeVisible()
    await expect(await panel(canvas).findByText(/in line$/, {}, wait)).toBeVisible()
    wordsOnly(canvas)
  },
}

/** Queued: the place in line and the estimated wait, in words, updated as the line moves. */
export const Queued: Story = {
  args: { defaultOpen: true },
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    // Two visitors were here first.
    const upstream = createChatClient({ baseURL: api.baseURL, accessToken: MOCK_ACCESS_TOKEN })
    for (const email of ['first@example.com', 'second@example.com'])
      await upstream.createConversation({ author: { email } })
    await write(canvas, userEvent, 'How long is the wait?')
    await expect(await panel(canvas).findByText('You are 3rd in line', {}, wait)).toBeVisible()
    await expect(banner(canvas)).toHaveTextContent('Estimated wait: about 9 minutes.')
    await allSent(canvas)
    api.runAgent(1) // the agent takes the first visitor: everyone moves up
    await expect(await panel(canvas).findByText('You are 2nd in line', {}, wait)).toBeVisible()
    await expect(banner(canvas)).toHaveTextContent('Estimated wait: about 6 minutes.')
    // Feedback is for after the end, never while waiting.
    await expect(panel(canvas).queryByText('Did we help?')).toBeNull()
    wordsOnly(canvas)
  },
}

/** The bot answers first; "Talk to a person" hands the chat to the team. */
export const WithTheBot: Story = {
  args: { defaultOpen: true, isBotEnabled: true },
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    await write(canvas, userEvent, 'Where is my order?')
    await expect(await panel(canvas).findByText('You are chatting with our assistant', {}, wait)).toBeVisible()
    await allSent(canvas)
    api.runAgent()
    const reply = await log(canvas).findByText(/I'm the bot/, {}, wait)
    await expect(reply.closest('li')).toHaveAttribute('data-role', 'bot')
    await expect(within(reply.closest('li') as HTMLElement).getByText('Bot')).toBeVisible()
    wordsOnly(canvas)
    await userEvent.click(panel(canvas).getByRole('button', { name: 'Talk to a person' }))
    await until(() => panel(canvas).queryByText('You are chatting with our assistant') === null, 'handed over')
    api.runAgent()
    await expect(await panel(canvas).findByText('Anna (support) joined the chat', {}, wait)).toBeVisible()
  },
}

/** An agent joined: the banner names them, their greeting is in the log. */
export const AgentJoined: Story = {
  args: { defaultOpen: true },
  play: async ({ canvas, userEvent, loaded }) => {
    await write(canvas, userEvent, 'Hi! My parcel has not arrived yet.')
    await agentJoins(canvas, loaded)
    await write(canvas, userEvent, 'It was due on Monday.')
    await allSent(canvas)
    mockOf(loaded).runAgent()
    await expect(await log(canvas).findByText(/About "It was due on Monday\."/, {}, wait)).toBeVisible()
    await expect(panel(canvas).queryByText('Did we help?')).toBeNull()
    wordsOnly(canvas)
  },
}

/** The same in the dark theme (`theme="dark"`, as `data-theme` on the widget). */
export const AgentJoinedDark: Story = {
  ...AgentJoined,
  args: { defaultOpen: true, theme: 'dark' },
}

/**
 * The end: the message box gives way to the feedback question (asked only now) and "Start a new chat"; a new chat
 * brings the message box back.
 */
export const ChatEnded: Story = {
  args: { defaultOpen: true },
  play: async ({ canvas, userEvent, loaded }) => {
    await write(canvas, userEvent, 'Thanks, that is all.')
    await agentJoins(canvas, loaded)
    await expect(panel(canvas).queryByText('Did we help?')).toBeNull()
    await userEvent.click(panel(canvas).getByRole('button', { name: 'End chat' }))
    await expect(await panel(canvas).findByText('This chat has ended', {}, wait)).toBeVisible()
    await expect(panel(canvas).queryByRole('textbox', { name: 'Message' })).toBeNull()
    await expect(panel(canvas).queryByRole('button', { name: 'End chat' })).toBeNull()
    await expect(log(canvas).getByText('Thanks, that is all.')).toBeVisible()
    wordsOnly(canvas)
    await expect(panel(canvas).getByRole('group', { name: 'Did we help?' })).toBeVisible()
    await userEvent.click(panel(canvas).getByRole('button', { name: 'Yes' }))
    await expect(await panel(canvas).findByText('Thanks for your feedback.', {}, wait)).toBeVisible()
    const closed = mockOf(loaded)
      .conversations()
      .find((c) => c.author.email === 'ada@example.com')
    await expect(closed?.feedback?.isPositive).toBe(true)
    await userEvent.click(panel(canvas).getByRole('button', { name: 'Start a new chat' }))
    await expect(await panel(canvas).findByText('Hi! How can we help?')).toBeVisible()
    await expect(panel(canvas).getByRole('textbox', { name: 'Message' })).toHaveFocus()
    await expect(log(canvas).queryByText('Thanks, that is all.')).toBeNull()
  },
}

/** The agent ends the chat while the visitor is typing: the end is shown, the message box gives way. */
export const EndedByTheAgent: Story = {
  args: { defaultOpen: true },
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    await write(canvas, userEvent, 'One more question')
    await agentJoins(canvas, loaded)
    await userEvent.type(panel(canvas).getByRole('textbox', { name: 'Message' }), 'Half a sent')
    const id = api.conversations().find((c) => c.author.email === 'ada@example.com')?.id as number
    await createChatClient({ baseURL: api.baseURL, accessToken: MOCK_ACCESS_TOKEN }).closeConversation(id)
    await expect(await panel(canvas).findByText('This chat has ended', {}, wait)).toBeVisible()
    await expect(panel(canvas).getByRole('button', { name: 'Start a new chat' })).toHaveFocus()
    // Nothing more can be written to an ended chat: the message box is gone.
    await expect(panel(canvas).queryByRole('textbox', { name: 'Message' })).toBeNull()
    wordsOnly(canvas)
  },
}

/** A message the server refused: "Not sent." with Retry, and a retry that goes through stores it once. */
export const FailedMessageRetry: Story = {
  args: { defaultOpen: true },
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    await write(canvas, userEvent, 'First message')
    await agentJoins(canvas, loaded)
    // A refusal the server half passes on as it came (a JSON error envelope), not an unknown fate.
    api.inject({
      type: 'envelope',
      errorCode: MOCK_ERROR_CODES.validation,
      match: { method: 'POST', path: /\/messages$/ },
    })
    await write(canvas, userEvent, 'This one is refused once')
    const item = (await log(canvas).findByText('This one is refused once')).closest('li') as HTMLElement
    await expect(await within(item).findByText('Not sent.', {}, wait)).toBeVisible()
    wordsOnly(canvas)
    await userEvent.click(within(item).getByRole('button', { name: 'Retry' }))
    await until(
      () => log(canvas).queryByText('Not sent.') === null && log(canvas).queryByText('Sending…') === null,
      'sent',
    )
    const stored = api
      .conversations()
      .flatMap((c) => (c.messages ?? []).map((m) => m.message))
      .filter((m) => m === 'This one is refused once')
    await expect(stored).toHaveLength(1)
  },
}

/** The chat could not start: a sentence for the visitor (never the log line), "Try again", and the message kept. */
export const StartFailed: Story = {
  args: { defaultOpen: true },
  play: async ({ canvas, userEvent, loaded }) => {
    // A refusal: not retried (a 5xx would be, with the same idempotency key).
    const refusal = { type: 'envelope', errorCode: MOCK_ERROR_CODES.validation } as const
    mockOf(loaded).inject({ ...refusal, match: { method: 'POST', path: 'chat/conversations' } })
    await write(canvas, userEvent, 'Please help')
    await expect(await panel(canvas).findByText('We could not start your chat', {}, wait)).toBeVisible()
    // describeError's sentence for a refusal, never the log line (`… API error …`).
    await expect(banner(canvas)).toHaveTextContent("The chat couldn't accept this. Please try again later.")
    await expect(log(canvas).getByText('Please help')).toBeVisible()
    wordsOnly(canvas)
    await userEvent.click(panel(canvas).getByRole('button', { name: 'Try again' }))
    await expect(await panel(canvas).findByText(/in line$/, {}, wait)).toBeVisible()
    await allSent(canvas)
  },
}

/**
 * Heard, not only seen: a screen reader is told each reply once, by a polite live region `useChatAnnouncer` feeds
 * ("Anna (support) says: …"), never the visitor's own messages; the message log stays a `role="log"` but is quiet
 * (`aria-live="off"`), so a reply is not read twice.
 */
export const RepliesAnnounced: Story = {
  args: { defaultOpen: true },
  play: async ({ canvas, userEvent, loaded }) => {
    const region = liveRegion(canvas)
    await expect(region).toHaveAttribute('aria-live', 'polite')
    await expect(canvas.getByRole('log', { name: 'Messages' })).toHaveAttribute('aria-live', 'off')
    await write(canvas, userEvent, 'My parcel has not arrived.')
    await allSent(canvas)
    await expect(region).toHaveTextContent('')
    await agentJoins(canvas, loaded)
    await until(
      () => region.textContent?.includes("Anna (support) says: Hi Ada, I'm Anna from support.") === true,
      "the live region says the agent's greeting",
    )
    await expect(region).toHaveTextContent('An agent has joined the chat.')
    await write(canvas, userEvent, 'It was due on Monday.')
    await allSent(canvas)
    mockOf(loaded).runAgent()
    await until(
      () => region.textContent?.includes('Anna (support) says: Thanks! About "It was due on Monday."') === true,
      "the live region says the agent's reply",
    )
    // Only what others wrote is told: the visitor's own words are never read back to them.
    await expect(region.textContent).not.toContain('My parcel has not arrived.')
    await expect(region.querySelectorAll('p').length).toBeLessThanOrEqual(3)
  },
}

/**
 * In Norwegian Bokmål (`locale="nb"`): every label of the widget comes from its label catalog (`widgetLabelsNb`), the
 * error a visitor reads from `describeError` with `errorCatalogNb`, and what a screen reader is told from
 * `announcerMessagesNb`.
 */
export const Norwegian: Story = {
  args: { defaultOpen: true, locale: 'nb' },
  play: async ({ canvas, userEvent, loaded }) => {
    const nb = widgetLabelsNb
    const refusal = { type: 'envelope', errorCode: MOCK_ERROR_CODES.validation } as const
    mockOf(loaded).inject({ ...refusal, match: { method: 'POST', path: 'chat/conversations' } })
    const region = canvas.getByRole('region', { name: 'Kundeservice' })
    const panelNb = within(region)
    await expect(canvas.getByRole('button', { name: 'Lukk chatten' })).toHaveAttribute('aria-expanded', 'true')
    await expect(panelNb.getByRole('button', { name: 'Minimer chatten' })).toBeVisible()
    await expect(panelNb.getByText('Vi svarer vanligvis i løpet av noen minutter')).toBeVisible()
    await expect(panelNb.getByRole('status')).toHaveTextContent('Hei! Hva kan vi hjelpe deg med?')
    const box = panelNb.getByRole('textbox', { name: 'Melding' })
    await expect(box).toHaveAttribute('placeholder', 'Skriv en melding…')
    await userEvent.type(box, 'Hei! Pakken min har ikke kommet.')
    await userEvent.click(panelNb.getByRole('button', { name: 'Send' }))
    await expect(await panelNb.findByText('Vi kunne ikke starte chatten', {}, wait)).toBeVisible()
    await expect(panelNb.getByRole('status')).toHaveTextContent('Chatten kunne ikke ta imot dette. Prøv igjen senere.')
    const logNb = within(panelNb.getByRole('log', { name: 'Meldinger' }))
    await expect(logNb.getByText('Hei! Pakken min har ikke kommet.')).toBeVisible()
    wordsOnly(canvas, 'Kundeservice')
    await userEvent.click(panelNb.getByRole('button', { name: 'Prøv igjen' }))
    await expect(await panelNb.findByText(/^Du er (neste|nummer \d+) i køen$/, {}, wait)).toBeVisible()
    await expect(panelNb.getByRole('status')).toHaveTextContent(/Beregnet ventetid: omtrent \d+ minutt/)
    await until(() => logNb.queryByText('Sender…') === null, 'every message is sent')
    const liveNb = region.querySelector<HTMLElement>('[data-announcer]') as HTMLElement
    const api = mockOf(loaded)
    api.runAgent()
    await expect(await panelNb.findByText('Anna (support) ble med i chatten', {}, wait)).toBeVisible()
    await expect(panelNb.getByRole('status')).toHaveTextContent('Nå snakker du med et menneske.')
    await until(
      () => liveNb.textContent?.includes("Anna (support) skriver: Hi Ada, I'm Anna from support.") === true,
      'the live region says the greeting in Norwegian',
    )
    await expect(liveNb).toHaveTextContent('En kundebehandler har blitt med i chatten.')
    await userEvent.click(panelNb.getByRole('button', { name: 'Avslutt chatten' }))
    await until(() => liveNb.textContent?.includes('Chatten er avsluttet.') === true, 'the end is told in Norwegian')
    await expect(await panelNb.findByText('Denne chatten er avsluttet', {}, wait)).toBeVisible()
    await expect(panelNb.getByRole('group', { name: 'Fikk du hjelp?' })).toBeVisible()
    await userEvent.click(panelNb.getByRole('button', { name: 'Ja' }))
    await expect(await panelNb.findByText('Takk for tilbakemeldingen.', {}, wait)).toBeVisible()
    await expect(panelNb.getByRole('button', { name: nb.ended.newChat })).toBeVisible()
    // Not one of the widget's English labels is left (the agent's own words are the mock's, in English).
    const shown = `${region.textContent} ${[...region.querySelectorAll('[aria-label], [placeholder]')]
      .map((element) => `${element.getAttribute('aria-label')} ${element.getAttribute('placeholder') ?? ''}`)
      .join(' ')}`
    for (const english of [
      widgetLabelsEn.panel.subtitle,
      widgetLabelsEn.panel.endChat,
      widgetLabelsEn.panel.minimise,
      widgetLabelsEn.states.closed.headline,
      widgetLabelsEn.ended.thanks,
      widgetLabelsEn.ended.newChat,
      widgetLabelsEn.log.label,
      widgetLabelsEn.composer.label,
      'Support',
      'Sending',
    ])
      await expect(shown).not.toContain(english)
  },
}

/** A schedule closed all of today wherever and whenever the story runs: weekdays 09–17 in Oslo, today a holiday. */
function closedToday(): WeeklySchedule {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', dateStyle: 'short' })
  // The days either side too: a run across midnight stays closed.
  const holidays = [-1, 0, 1].map((days) => date.format(Date.now() + days * 86_400_000))
  const day = [{ from: '09:00', to: '17:00' }]
  return {
    timeZone: 'Europe/Oslo',
    hours: { monday: day, tuesday: day, wednesday: day, thursday: day, friday: day },
    holidays,
  }
}

const offlineArgs = { defaultOpen: true, author: { name: 'Ada' }, availability: closedToday() }
const createsOf = (loaded: unknown) =>
  mockOf(loaded).requests.filter((r) => r.method === 'POST' && r.path === 'chat/conversations')

/** The away form, sent without an email: the session's own refusal, at the email field; nothing reaches the mock. */
async function sendWithoutEmail(canvas: Canvas, userEvent: User, loaded: unknown) {
  const api = mockOf(loaded)
  await expect(await panel(canvas).findByText('We are away right now', {}, wait)).toBeVisible()
  await expect(banner(canvas)).toHaveTextContent('Leave a message and we will reply by email.')
  await expect(panel(canvas).queryByRole('textbox', { name: 'Message' })).toBeNull()
  const email = panel(canvas).getByLabelText('Your email')
  const message = panel(canvas).getByLabelText('Your message')
  await expect(panel(canvas).getByLabelText('Your name (optional)')).toHaveValue('Ada')
  await userEvent.type(message, 'Do you ship to Norway?')
  await userEvent.click(panel(canvas).getByRole('button', { name: 'Send message' }))
  // The session's own rule (`send` needs `author.email` while offline), in the visitor's words.
  const required = describeIssue({ path: 'author.email', code: 'required', message: '' })
  await expect(required).toBe('Please enter your email address.')
  await expect(await panel(canvas).findByText(required, {}, wait)).toBeVisible()
  await expect(email).toHaveAttribute('aria-invalid', 'true')
  await expect(email).toHaveAccessibleDescription(required)
  await expect(email).toHaveFocus()
  await expect(message).toHaveValue('Do you ship to Norway?')
  await expect(createsOf(loaded)).toHaveLength(0)
  await expect(api.conversations()).toHaveLength(0)
}

/**
 * Offline (#24 item 4), on the real session: the widget's `availability` is closed today, so the session is `offline`
 * and the panel shows the away form. Without an email the session itself refuses the message (a validation error,
 * nothing sent) and the form says so at the email field, in `describeIssue`'s words. (axe checks the form as it
 * stands then, the error shown.)
 */
export const OfflineEmailMissing: Story = {
  args: offlineArgs,
  play: async ({ canvas, userEvent, loaded }) => sendWithoutEmail(canvas, userEvent, loaded),
}

/**
 * Offline, the message left: with an email, the conversation is created on the mock with the message and the offline
 * title, and the panel says the reply comes by email (no place in line to wait in), also after a reload.
 */
export const Offline: Story = {
  args: offlineArgs,
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    await sendWithoutEmail(canvas, userEvent, loaded)
    await userEvent.type(panel(canvas).getByLabelText('Your email'), 'ada@example.com')
    await userEvent.click(panel(canvas).getByRole('button', { name: 'Send message' }))
    await until(
      () => api.conversations().some((c) => (c.messages ?? []).some((m) => m.message === 'Do you ship to Norway?')),
      'the mock has the message',
    )
    const creates = createsOf(loaded)
    await expect(creates).toHaveLength(1)
    await expect(creates[0]?.body).toMatchObject({ title: OFFLINE_TITLE, author: { email: 'ada@example.com' } })
    const left = api.conversations()[0]
    await expect(left?.author.email).toBe('ada@example.com')
    await expect(left?.messages?.map((m) => m.message)).toEqual(['Do you ship to Norway?'])
    await expect(await panel(canvas).findByText('Thanks, your message is with us', {}, wait)).toBeVisible()
    await expect(banner(canvas)).toHaveTextContent('We will reply to ada@example.com as soon as we are back.')
    await expect(await log(canvas).findByText('Do you ship to Norway?', {}, wait)).toBeVisible()
    await allSent(canvas)
    wordsOnly(canvas)
    // A reload: the session is re-created from storage; once the conversation is read again, it still says the reply
    // comes by email (the flag is kept with the stored conversation, not in memory).
    await userEvent.click(canvas.getByRole('button', { name: 'Reload page' }))
    await expect(await canvas.findByText('Page load 2')).toBeVisible()
    // While the session resumes the log is not shown yet: it comes with the stored history.
    const reloaded = within(await canvas.findByRole('log', { name: 'Messages' }, wait))
    await expect(await reloaded.findByText('Do you ship to Norway?', {}, wait)).toBeVisible()
    await until(
      () => !banner(canvas).textContent?.includes('Picking up where you left off'),
      'the conversation is read',
    )
    await expect(banner(canvas)).toHaveTextContent('Thanks, your message is with us')
    await expect(banner(canvas)).toHaveTextContent('We will reply to ada@example.com as soon as we are back.')
    await expect(createsOf(loaded)).toHaveLength(1)
  },
}

/**
 * Past chats and sign-out, on the server half: "Past chats" lists what this visitor started (`useMyConversations`),
 * and "Sign out of chat" (`signOut()`) makes this device forget the visitor: the chat, and the history with it.
 */
export const PastChatsAndSignOut: Story = {
  args: { defaultOpen: true },
  play: async ({ canvas, userEvent, loaded }) => {
    await write(canvas, userEvent, 'Where is my order?')
    await agentJoins(canvas, loaded)
    await userEvent.click(await panel(canvas).findByRole('button', { name: 'Past chats' }, wait))
    const list = within(await panel(canvas).findByRole('list', { name: 'Your conversations' }, wait))
    await expect(await list.findByRole('button', { name: / Open$/ }, wait)).toBeVisible()
    await expect(list.getAllByRole('listitem')).toHaveLength(1)
    await userEvent.click(panel(canvas).getByRole('button', { name: 'Past chats' }))
    await userEvent.click(panel(canvas).getByRole('button', { name: 'Sign out of chat' }))
    await expect(await panel(canvas).findByText('Hi! How can we help?', {}, wait)).toBeVisible()
    await expect(log(canvas).queryByText('Where is my order?')).toBeNull()
    // Signed out once nothing is left to sign out of: the chat and the cached history are gone, so the button goes.
    // Until then the old "Past chats" button may still be on screen, about to be replaced.
    await waitFor(() => expect(panel(canvas).queryByRole('button', { name: 'Sign out of chat' })).toBeNull(), wait)
    // The server half forgot this browser too: its history is empty.
    await userEvent.click(await panel(canvas).findByRole('button', { name: 'Past chats' }, wait))
    await expect(await panel(canvas).findByText('No earlier chats yet.', {}, wait)).toBeVisible()
  },
}

// ---- Pieces alone: the same parts, with fixed props. ----

const NOW = new Date()
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString()
const agent = { name: 'Anna (support)', isBot: false }
const visitor = { name: 'Ada', email: 'ada@example.com' }
const sample: ChatMessage[] = [
  {
    key: 'a',
    status: 'sent',
    role: 'visitor',
    message: 'Can I change my delivery address?',
    author: visitor,
    creationTime: at(4),
  },
  {
    key: 'b',
    status: 'sent',
    role: 'agent',
    message: 'Of course! What is the new address?',
    author: agent,
    creationTime: at(3),
  },
]

/** A panel with fixed props, in the widget's frame, in the page's flow. */
function Fixed({ theme = 'auto', ...props }: Partial<ChatPanelProps> & { theme?: WidgetTheme }) {
  const [open, setOpen] = useState(true)
  return (
    <div style={{ padding: '1rem' }}>
      <WidgetShell open={open} onOpenChange={setOpen} theme={theme} placement="inline">
        <ChatPanel
          state={{ kind: 'welcome', previousEnded: false }}
          messages={[]}
          onMinimise={() => setOpen(false)}
          {...props}
        />
      </WidgetShell>
    </div>
  )
}

const fixedParameters = { chat: { mock: false } }
const awaySubmit = fn()
const openPast = fn()
const signOut = fn()

/**
 * The away form's own checks (what the session cannot check before sending): an empty message and an email that is
 * not one, in `describeIssue`'s words, at the field, with focus moved there; what was typed is kept.
 */
export const AwayFormChecks: Story = {
  parameters: fixedParameters,
  beforeEach: () => awaySubmit.mockClear(),
  render: () => <Fixed state={{ kind: 'offline' }} onAwaySubmit={awaySubmit} />,
  play: async ({ canvas, userEvent }) => {
    const submit = awaySubmit
    await expect(canvas.getByRole('status')).toHaveTextContent('We are away right now')
    await userEvent.click(canvas.getByRole('button', { name: 'Send message' }))
    await expect(canvas.getByText('Please enter your message.')).toBeVisible()
    await expect(canvas.getByLabelText('Your message')).toHaveFocus()
    await userEvent.type(canvas.getByLabelText('Your message'), 'Do you ship to Norway?')
    await userEvent.type(canvas.getByLabelText('Your email'), 'ada@example')
    await userEvent.click(canvas.getByRole('button', { name: 'Send message' }))
    await expect(canvas.getByText('Please enter an email address like name@example.com.')).toBeVisible()
    await expect(canvas.getByLabelText('Your email')).toHaveFocus()
    await expect(canvas.getByLabelText('Your email')).toHaveAttribute('aria-invalid', 'true')
    await expect(canvas.getByLabelText('Your message')).toHaveValue('Do you ship to Norway?')
    await expect(submit).not.toHaveBeenCalled()
    await userEvent.type(canvas.getByLabelText('Your email'), '.com')
    await userEvent.click(canvas.getByRole('button', { name: 'Send message' }))
    await expect(await canvas.findByText('Thanks, your message is with us.')).toBeVisible()
    await expect(canvas.getByText('We will reply to ada@example.com as soon as we are back.')).toBeVisible()
    await expect(submit).toHaveBeenCalledWith({ name: '', email: 'ada@example.com', message: 'Do you ship to Norway?' })
  },
}

const pastChats: HistoryItem[] = [
  {
    id: 3,
    title: 'Delivery address',
    creationTime: at(5),
    lastModifiedTime: at(3),
    isClosed: false,
    lastMessage: { message: 'Of course! What is the new address?', creationTime: at(3), role: 'agent' },
  },
  {
    id: 2,
    title: 'Return a jacket',
    creationTime: at(60 * 24 * 3),
    lastModifiedTime: at(60 * 24 * 3 - 20),
    isClosed: true,
    lastMessage: { message: 'Thanks, the label arrived.', creationTime: at(60 * 24 * 3 - 20), role: 'visitor' },
  },
  { id: 1, title: null, creationTime: at(60 * 24 * 30), lastModifiedTime: null, isClosed: true, lastMessage: null },
]

/** Past chats (#23 item 5): the visitor's conversations, newest first; choosing one opens it. */
export const PastChats: Story = {
  parameters: fixedParameters,
  beforeEach: () => openPast.mockClear(),
  render: () => (
    <Fixed
      state={{ kind: 'agent', agentName: 'Anna (support)' }}
      messages={sample}
      onSend={() => {}}
      history={{ items: pastChats, onOpen: openPast }}
    />
  ),
  play: async ({ canvas, userEvent }) => {
    const onOpen = openPast
    await userEvent.click(canvas.getByRole('button', { name: 'Past chats' }))
    const list = within(canvas.getByRole('list', { name: 'Your conversations' }))
    await expect(list.getAllByRole('listitem')).toHaveLength(3)
    await expect(
      list.getByRole('button', { name: /Return a jacket .* You: Thanks, the label arrived\. Ended/ }),
    ).toBeVisible()
    await expect(list.getByRole('button', { name: /Chat with support .* No messages Ended/ })).toBeVisible()
    await userEvent.click(list.getByRole('button', { name: /Return a jacket/ }))
    await expect(onOpen).toHaveBeenCalledWith(2)
    await expect(canvas.getByRole('log', { name: 'Messages' })).toBeVisible()
  },
}

/** Sign-out (#23 item 1): a signed-in visitor can make this device forget the chat. */
export const SignOut: Story = {
  parameters: fixedParameters,
  beforeEach: () => signOut.mockClear(),
  render: () => (
    <Fixed
      state={{ kind: 'agent', agentName: 'Anna (support)' }}
      messages={sample}
      onSend={() => {}}
      onSignOut={signOut}
    />
  ),
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Sign out of chat' }))
    await expect(signOut).toHaveBeenCalledOnce()
  },
}

/** Errors reach the visitor only through `visitorText` (`describeError`): never the developer's log line. */
export const ErrorWords: Story = {
  parameters: fixedParameters,
  render: () => {
    const error = new ChatApiError('api', '[POST] chat/conversations: API error 17: Category 1505 does not exist', {
      status: 200,
      errorCode: 17,
      errorText: 'Category 1505 does not exist',
    })
    return (
      <div style={{ display: 'flex', gap: '1.5rem', flexWrap: 'wrap' }}>
        <Fixed state={{ kind: 'error', error, canRetry: true }} messages={[]} onTryAgain={() => {}} onSend={() => {}} />
        <Fixed
          theme="dark"
          title="Support, dark theme"
          state={{ kind: 'agent', agentName: 'Anna (support)' }}
          messages={[
            ...sample,
            {
              key: 'c',
              status: 'failed',
              role: 'visitor',
              message: '12 Harbour St',
              author: visitor,
              error: null,
              localId: 1,
            },
          ]}
          onRetry={() => {}}
          onDiscard={() => {}}
          onSend={() => {}}
          actionError={error}
        />
      </div>
    )
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('We could not start your chat')).toBeVisible()
    await expect(canvas.getAllByText("The chat couldn't accept this. Please try again later.")).toHaveLength(2)
    await expect(canvas.getByRole('alert')).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Retry' })).toBeVisible()
    await expect(document.body.textContent).not.toContain('Category 1505')
  },
}
