import type { Meta, StoryObj } from '@storybook/react-vite'
import { type FormEvent, useId, useState } from 'react'
import { describeError, describeIssue, useCreateConversation } from 'socialboards-chat-react'
import { errorCatalogNb } from 'socialboards-chat-react/core'
import { expect } from 'storybook/test'
import { mockOf, until } from './play'

const messages = { nb: errorCatalogNb }

const labels = {
  en: { language: 'Language', name: 'Name', email: 'Email', start: 'Start chat', started: 'You are in the queue.' },
  nb: { language: 'Språk', name: 'Navn', email: 'E-post', start: 'Start chat', started: 'Du står i kø.' },
}

/**
 * A start form whose errors are always in the visitor's words and language: `describeIssue` next
 * to the field, `describeError` for a failure, the catalog chosen by `locale`. The visitor never
 * sees `error.message` (a log line) or a status.
 */
function ErrorsInTwoLanguages() {
  const create = useCreateConversation()
  const [locale, setLocale] = useState<'en' | 'nb'>('en')
  const id = useId()
  const words = labels[locale]
  const options = { locale, messages }
  const emailIssue = create.error?.issues?.find((issue) => issue.path === 'author.email')
  const failure = create.error && !emailIssue ? create.error : null

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    create.mutate({ author: { name: String(form.get('name')), email: String(form.get('email')) } })
  }

  return (
    <form className="card" lang={locale} onSubmit={submit} noValidate aria-label={words.start}>
      <div className="field">
        <label htmlFor={`${id}-language`}>{words.language}</label>
        <select id={`${id}-language`} value={locale} onChange={(event) => setLocale(event.target.value as 'en' | 'nb')}>
          <option value="en" lang="en">
            English
          </option>
          <option value="nb" lang="nb">
            Norsk bokmål
          </option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>{words.name}</label>
        <input id={`${id}-name`} name="name" defaultValue="Ada" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-email`}>{words.email}</label>
        <input
          id={`${id}-email`}
          name="email"
          inputMode="email"
          aria-invalid={emailIssue ? true : undefined}
          aria-describedby={emailIssue ? `${id}-email-error` : undefined}
        />
        {emailIssue ? (
          <p className="error" id={`${id}-email-error`}>
            {describeIssue(emailIssue, options)}
          </p>
        ) : null}
      </div>
      <button type="submit" disabled={create.isPending}>
        {words.start}
      </button>
      {failure ? (
        <p role="alert" className="failure">
          {describeError(failure, options)}
        </p>
      ) : null}
      {create.isSuccess ? <p role="status">{words.started}</p> : null}
    </form>
  )
}

/** Errors in the visitor's words, in English and in Norwegian Bokmål, for a typing mistake and for a server that is down. */
const meta = {
  title: 'Create conversation/Errors in two languages',
  component: ErrorsInTwoLanguages,
} satisfies Meta<typeof ErrorsInTwoLanguages>

export default meta
type Story = StoryObj<typeof meta>

/**
 * A wrong email address is explained next to the field (nothing is sent), then the service is
 * down (HTTP 503): both in English, then in Norwegian once the visitor picks it.
 */
export const ErrorsInTwoLanguagesStory: Story = {
  name: 'Errors in two languages',
  play: async ({ canvas, userEvent, loaded }) => {
    const api = mockOf(loaded)
    const email = canvas.getByLabelText('Email')
    await userEvent.type(email, 'ada(at)example.com')
    await userEvent.click(canvas.getByRole('button', { name: 'Start chat' }))
    await until(() => email.getAttribute('aria-invalid') === 'true', 'the email field is marked invalid')
    await expect(email).toHaveAccessibleDescription('Please enter an email address like name@example.com.')
    await expect(api.requests).toHaveLength(0)

    await userEvent.selectOptions(canvas.getByLabelText('Language'), 'nb')
    await expect(canvas.getByLabelText('E-post')).toHaveAccessibleDescription(
      'Skriv inn en e-postadresse som navn@eksempel.no.',
    )

    // The email fixed, the service is down: a sentence, never "HTTP 503 Service Unavailable".
    api.inject({ type: 'status', status: 503, body: 'Service Unavailable' })
    await userEvent.clear(canvas.getByLabelText('E-post'))
    await userEvent.type(canvas.getByLabelText('E-post'), 'ada@example.com')
    await userEvent.click(canvas.getByRole('button', { name: 'Start chat' }))
    const alert = await canvas.findByRole('alert', {}, { timeout: 15_000 })
    await expect(alert).toHaveTextContent('Chatten er ikke tilgjengelig akkurat nå. Prøv igjen om noen minutter.')
    await userEvent.selectOptions(canvas.getByLabelText('Språk'), 'en')
    await expect(alert).toHaveTextContent("The chat isn't available right now. Please try again in a few minutes.")
    await expect(alert).not.toHaveTextContent(/503|HTTP|Service Unavailable/)
  },
}
