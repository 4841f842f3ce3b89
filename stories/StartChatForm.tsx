import { type FormEvent, useId, useState } from 'react'
import {
  type CreateConversationInput,
  describeError,
  describeIssue,
  isTransient,
  useCreateConversation,
} from 'socialboards-chat-react'

/** The form's raw text values, kept across failures so nothing the visitor typed is lost. */
interface Values {
  name: string
  email: string
  customIdentifier: string
  title: string
  sentiment: string
  categoryId: string
  url: string
  isBotEnabled: boolean
}

const empty: Values = {
  name: '',
  email: '',
  customIdentifier: '',
  title: '',
  sentiment: '',
  categoryId: '',
  url: '',
  isBotEnabled: false,
}

const text = (value: string) => (value.trim() === '' ? undefined : value)

/** Turns what was typed into the API's input. Nothing is corrected here: the library's validation speaks. */
function toInput(values: Values): CreateConversationInput {
  return {
    author: { name: text(values.name), email: text(values.email), customIdentifier: text(values.customIdentifier) },
    title: text(values.title),
    sentiment: text(values.sentiment),
    categoryId: values.categoryId.trim() === '' ? undefined : Number(values.categoryId),
    url: text(values.url),
    isBotEnabled: values.isBotEnabled,
  }
}

/**
 * A headless "start a chat" form built only from the library's public hooks: every field's
 * validation issue next to it and every failure in the visitor's words (`describeIssue`,
 * `describeError`), a visible pending state, and a retry that resends the kept values.
 */
export function StartChatForm() {
  const create = useCreateConversation()
  const [values, setValues] = useState<Values>(empty)
  const id = useId()

  if (create.status === 'success') {
    const { data } = create
    const queue = data.queuePositionInfo
    return (
      <section className="card" aria-labelledby={`${id}-done`}>
        <h2 id={`${id}-done`}>You are in the queue</h2>
        <dl>
          <dt>Conversation</dt>
          <dd>#{data.id}</dd>
          <dt>Queue position</dt>
          <dd>{queue?.position === -1 ? 'with an agent' : (queue?.position ?? 'unknown')}</dd>
          <dt>Estimated wait</dt>
          <dd>{queue?.waitTime == null ? 'unknown' : `${queue.waitTime} minutes`}</dd>
          {data.author.customIdentifier ? (
            <>
              <dt>Your identifier</dt>
              <dd>{data.author.customIdentifier}</dd>
            </>
          ) : null}
        </dl>
        <button type="button" onClick={() => create.reset()}>
          Start another chat
        </button>
      </section>
    )
  }

  const issues = create.error?.kind === 'validation' ? (create.error.issues ?? []) : []
  // The visitor's words (describeIssue), never issue.message: that is for developers.
  const issueFor = (...paths: string[]) => {
    const issue = issues.find((found) => paths.includes(found.path))
    return issue ? describeIssue(issue) : undefined
  }

  const field = (
    key: 'name' | 'email' | 'customIdentifier' | 'title' | 'categoryId' | 'url',
    label: string,
    path: string,
  ) => {
    const message = issueFor(path)
    const inputId = `${id}-${key}`
    return (
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input
          id={inputId}
          name={key}
          value={values[key]}
          inputMode={key === 'categoryId' ? 'numeric' : key === 'email' ? 'email' : key === 'url' ? 'url' : undefined}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? `${inputId}-error` : undefined}
          onChange={(event) => setValues({ ...values, [key]: event.target.value })}
        />
        {message ? (
          <p className="error" id={`${inputId}-error`}>
            {message}
          </p>
        ) : null}
      </div>
    )
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    create.mutate(toInput(values))
  }
  const authorIssue = issueFor('author')
  const failure = create.error && create.error.kind !== 'validation' ? create.error : null

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Start a chat</h2>
      {field('name', 'Name', 'author.name')}
      <fieldset aria-describedby={authorIssue ? `${id}-author-error` : undefined}>
        <legend>How can we recognise you? (email or customer number)</legend>
        {field('email', 'Email', 'author.email')}
        {field('customIdentifier', 'Customer number', 'author.customIdentifier')}
        {authorIssue ? (
          <p className="error" id={`${id}-author-error`}>
            {authorIssue}
          </p>
        ) : null}
      </fieldset>
      {field('title', 'Subject', 'title')}
      <div className="field">
        <label htmlFor={`${id}-sentiment`}>Sentiment</label>
        <select
          id={`${id}-sentiment`}
          value={values.sentiment}
          onChange={(event) => setValues({ ...values, sentiment: event.target.value })}
        >
          <option value="">Server default (question)</option>
          <option value="question">Question</option>
        </select>
      </div>
      {field('categoryId', 'Category id', 'categoryId')}
      {field('url', 'Page URL', 'url')}
      <div className="field checkbox">
        <input
          id={`${id}-bot`}
          type="checkbox"
          checked={values.isBotEnabled}
          onChange={(event) => setValues({ ...values, isBotEnabled: event.target.checked })}
        />
        <label htmlFor={`${id}-bot`}>Start with a bot</label>
      </div>

      <button type="submit" disabled={create.isPending}>
        Start chat
      </button>
      {create.isPending ? (
        <p role="status" className="pending">
          <span className="spinner" aria-hidden="true" /> Starting your chat…
        </p>
      ) : null}
      {failure ? (
        <div role="alert" className="failure">
          <p>{describeError(failure)}</p>
          {isTransient(failure) && create.variables ? (
            <button type="button" onClick={() => create.variables && create.mutate(create.variables)}>
              Retry
            </button>
          ) : null}
        </div>
      ) : null}
    </form>
  )
}
