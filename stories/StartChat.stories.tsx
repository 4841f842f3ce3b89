import type { Meta, StoryObj } from '@storybook/react-vite'
import { MOCK_ERROR_CODES } from 'socialboards-chat-react/mock'
import { expect } from 'storybook/test'
import type { ChatStoryParameters } from '../.storybook/preview'
import { type Canvas, mockOf, type User, until } from './play'
import { StartChatForm } from './StartChatForm'

/**
 * A headless "start a chat" form built only on `useCreateConversation`, running against the
 * library's own mock API (`socialboards-chat-react/mock`) in your browser: no account, no network.
 */
const meta = {
  title: 'Create conversation/Start chat form',
  component: StartChatForm,
} satisfies Meta<typeof StartChatForm>

export default meta
type Story = StoryObj<typeof meta>

const chat = (parameters: ChatStoryParameters) => ({ chat: parameters })

async function fillIn(canvas: Canvas, userEvent: User) {
  await userEvent.type(canvas.getByLabelText('Name'), 'John')
  await userEvent.type(canvas.getByLabelText('Customer number'), 'CUS-12345 ')
  await userEvent.type(canvas.getByLabelText('Subject'), 'Chat API Client Problems')
}

const submit = (canvas: Canvas, userEvent: User) => userEvent.click(canvas.getByRole('button', { name: 'Start chat' }))

const queued = (canvas: Canvas) => canvas.findByRole('heading', { name: 'You are in the queue' }, { timeout: 15_000 })

/** The empty form, ready for a visitor. */
export const Idle: Story = {
  play: async ({ canvas, loaded }) => {
    await expect(canvas.getByRole('button', { name: 'Start chat' })).toBeEnabled()
    await expect(canvas.getByLabelText('Sentiment')).toHaveValue('')
    await expect(mockOf(loaded).requests).toHaveLength(0)
  },
}

/** Submit → a visible spinner while the mock takes its time → the conversation and its queue place. */
export const StartsAChat: Story = {
  parameters: chat({ latency: 800 }),
  play: async ({ canvas, userEvent, loaded }) => {
    await fillIn(canvas, userEvent)
    await userEvent.selectOptions(canvas.getByLabelText('Sentiment'), 'question')
    await userEvent.type(canvas.getByLabelText('Category id'), '1505')
    await userEvent.type(canvas.getByLabelText('Page URL'), 'https://thejohndow.com')
    await userEvent.click(canvas.getByLabelText('Start with a bot'))
    await submit(canvas, userEvent)

    await expect(await canvas.findByRole('status')).toHaveTextContent('Starting your chat…')
    await expect(canvas.getByRole('button', { name: 'Start chat' })).toBeDisabled()

    await queued(canvas)
    await expect(canvas.getByText('#254626')).toBeVisible()
    await expect(canvas.getByText('1')).toBeVisible()
    await expect(canvas.getByText('3 minutes')).toBeVisible()
    // The server normalises the custom identifier: trimmed, lowercase.
    await expect(canvas.getByText('cus-12345')).toBeVisible()
    await expect(mockOf(loaded).conversations()[0]).toMatchObject({
      initialPageUrl: 'https://thejohndow.com',
      isTakeoverEnabled: false,
    })
  },
}

/** Every field's problem is shown next to it; nothing reaches the server. */
export const ValidationErrors: Story = {
  play: async ({ canvas, userEvent, loaded }) => {
    await userEvent.type(canvas.getByLabelText('Name'), 'John')
    await userEvent.type(canvas.getByLabelText('Email'), 'john.dow.com')
    await userEvent.type(canvas.getByLabelText('Category id'), '15.5')
    // A page URL is any non-blank string (the reference types it as one), up to the library's 2,048 characters.
    await userEvent.click(canvas.getByLabelText('Page URL'))
    await userEvent.paste(`https://shop.example.com/${'a'.repeat(2048)}`)
    await submit(canvas, userEvent)

    const email = canvas.getByLabelText('Email')
    await until(() => email.getAttribute('aria-invalid') === 'true', 'the email field is marked invalid')
    await expect(email).toHaveAccessibleDescription('Please enter an email address like name@example.com.')
    // Fields the visitor of a real widget never fills in get the general sentence, not the developer's rule.
    const general = 'Some of what you entered could not be accepted. Please check it and try again.'
    await expect(canvas.getByLabelText('Category id')).toHaveAccessibleDescription(general)
    await expect(canvas.getByLabelText('Page URL')).toHaveAccessibleDescription(general)
    await expect(mockOf(loaded).requests).toHaveLength(0)
  },
}

/** A visitor with neither email nor customer number is told how to identify themselves. */
export const MissingIdentifier: Story = {
  play: async ({ canvas, userEvent, loaded }) => {
    await userEvent.type(canvas.getByLabelText('Name'), 'John')
    await submit(canvas, userEvent)
    await expect(await canvas.findByText('Please enter your email address so we can reach you.')).toBeVisible()
    await expect(mockOf(loaded).requests).toHaveLength(0)
  },
}

/** The server answers with an error envelope: the visitor reads a sentence (no code, no status), the typed values stay. */
export const ApiErrorEnvelope: Story = {
  parameters: chat({ latency: 200 }),
  play: async ({ canvas, userEvent, loaded }) => {
    mockOf(loaded).inject({ type: 'envelope', errorCode: MOCK_ERROR_CODES.validation, errorText: 'Category not found' })
    await fillIn(canvas, userEvent)
    await submit(canvas, userEvent)
    const alert = await canvas.findByRole('alert')
    await expect(alert).toHaveTextContent("The chat couldn't accept this. Please try again later.")
    await expect(alert).not.toHaveTextContent('Category not found')
    await expect(canvas.getByLabelText('Name')).toHaveValue('John')
    await expect(canvas.getByLabelText('Customer number')).toHaveValue('CUS-12345 ')
    await expect(canvas.getByLabelText('Subject')).toHaveValue('Chat API Client Problems')
  },
}

/** HTTP 500: Retry resends the kept values and succeeds. */
export const ServerErrorThenRetry: Story = {
  parameters: chat({ latency: 200 }),
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    api.inject({ type: 'status', status: 500, body: 'Internal Server Error' })
    await fillIn(canvas, userEvent)
    await submit(canvas, userEvent)
    await expect(await canvas.findByRole('alert')).toHaveTextContent(
      'Something went wrong on our side. Please try again in a moment.',
    )
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }))
    await queued(canvas)
    await expect(api.conversations()).toHaveLength(1)
    await expect(api.requests.map((request) => request.body)).toEqual([api.requests[0]?.body, api.requests[0]?.body])
  },
}

/** The network drops: Retry resends the kept values and succeeds. */
export const NetworkFailureThenRetry: Story = {
  parameters: chat({ latency: 200 }),
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    api.inject({ type: 'network' })
    await fillIn(canvas, userEvent)
    await submit(canvas, userEvent)
    await expect(await canvas.findByRole('alert')).toHaveTextContent(
      "We can't reach the chat. Please check your connection and try again.",
    )
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }))
    await queued(canvas)
    await expect(canvas.getByText('cus-12345')).toBeVisible()
    await expect(api.conversations()).toHaveLength(1)
  },
}

/** A double click on submit makes exactly one conversation. */
export const DoubleClick: Story = {
  parameters: chat({ latency: 400 }),
  play: async ({ canvas, userEvent, loaded }) => {
    await fillIn(canvas, userEvent)
    await userEvent.dblClick(canvas.getByRole('button', { name: 'Start chat' }))
    await queued(canvas)
    await expect(mockOf(loaded).conversations()).toHaveLength(1)
    await expect(mockOf(loaded).requests).toHaveLength(1)
  },
}

/** The first access token has expired: the library refreshes it and repeats the request, unnoticed. */
export const ExpiredToken: Story = {
  parameters: chat({ latency: 200, expiredToken: true }),
  play: async ({ canvas, userEvent, loaded }) => {
    await fillIn(canvas, userEvent)
    await submit(canvas, userEvent)
    await queued(canvas)
    await expect(canvas.queryByRole('alert')).toBeNull()
    await expect(mockOf(loaded).requests).toHaveLength(2)
    await expect(mockOf(loaded).conversations()).toHaveLength(1)
  },
}
