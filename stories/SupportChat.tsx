import { type FormEvent, useId, useState } from 'react'
import {
  describeError,
  type UserValue,
  useAddMessages,
  useChangeTakeover,
  useCloseConversation,
  useConversation,
  useConversationMessages,
  useCreateConversation,
  useQueuePosition,
  useTakeover,
  useUpdateFeedback,
} from 'socialboards-chat-react'

/** Props of {@link SupportChat}. */
export interface SupportChatProps {
  /** Milliseconds between polls of the open conversation. */
  pollInterval?: number
  /** Start the conversation with a bot. */
  withBot?: boolean
}

/**
 * A complete headless support chat built only from the library's public hooks: start, queue,
 * agent (or bot, then a human), messages both ways with pending and failed sends, feedback, close.
 */
export function SupportChat({ pollInterval = 1000, withBot = false }: SupportChatProps) {
  const create = useCreateConversation()
  const [visitor, setVisitor] = useState<UserValue | null>(null)
  const id = create.data?.id
  const start = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const author = { name: String(form.get('name')), email: String(form.get('email')) }
    setVisitor(author)
    create.mutate({ author, title: 'Support chat', isBotEnabled: withBot })
  }

  if (id === undefined || !visitor)
    return (
      <form className="card" onSubmit={start} aria-label="Start a support chat">
        <h2>Chat with us</h2>
        <div className="field">
          <label htmlFor="chat-name">Name</label>
          <input id="chat-name" name="name" required />
        </div>
        <div className="field">
          <label htmlFor="chat-email">Email</label>
          <input id="chat-email" name="email" type="email" required />
        </div>
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Starting…' : 'Start chat'}
        </button>
        {create.error ? <p role="alert">{describeError(create.error)}</p> : null}
      </form>
    )
  return <Conversation id={id} visitor={visitor} pollInterval={pollInterval} withBot={withBot} />
}

function Conversation({ id, visitor, pollInterval, withBot }: { id: number; visitor: UserValue } & SupportChatProps) {
  const conversation = useConversation(id, { pollInterval })
  const queue = useQueuePosition(id, { pollInterval })
  const { messages, hasOlder, loadOlder, isLoadingOlder } = useConversationMessages(id, { pollInterval })
  const outgoing = useAddMessages(id, { author: visitor })
  const takeover = useTakeover(id, { enabled: withBot })
  const handOver = useChangeTakeover(id)
  const feedback = useUpdateFeedback(id)
  const close = useCloseConversation(id)
  const [draft, setDraft] = useState('')
  const draftId = useId()

  const closed = conversation.data?.isClosed === true
  const withBotNow = withBot && takeover.data?.isAssignedToBot === true
  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (!draft.trim()) return
    outgoing.send(draft)
    setDraft('')
  }

  return (
    <section className="card chat" aria-label="Support chat">
      <h2>Support chat #{id}</h2>
      <p role="status" className="queue">
        {closed
          ? 'This chat has ended.'
          : withBotNow
            ? 'You are chatting with our bot.'
            : queue.data?.isWithAgent
              ? 'An agent has joined.'
              : queue.data
                ? `You are number ${queue.data.position} in the queue (about ${queue.data.waitTime ?? '?'} minutes).`
                : 'Connecting…'}
      </p>
      {withBotNow && !closed ? (
        <button type="button" onClick={() => handOver.mutate({ isAssignedToBot: false })} disabled={handOver.isPending}>
          Talk to a human
        </button>
      ) : null}

      {hasOlder ? (
        <button type="button" onClick={() => loadOlder()} disabled={isLoadingOlder}>
          Older messages
        </button>
      ) : null}
      <ol className="messages" aria-label="Messages">
        {messages.map((message) => {
          const mine = message.role === 'visitor'
          return (
            <li key={message.key} className={mine ? 'mine' : 'theirs'}>
              <span className="author">{message.author.name ?? 'Someone'}</span>
              <span className="text">{message.message}</span>
              {message.status === 'pending' ? <span className="state">Sending…</span> : null}
              {message.status === 'failed' && message.localId !== undefined ? (
                <span className="state failed">
                  Not sent: {describeError(message.error)}{' '}
                  <button type="button" onClick={() => outgoing.retry(message.localId as number)}>
                    Retry
                  </button>{' '}
                  <button type="button" onClick={() => outgoing.discard(message.localId as number)}>
                    Discard
                  </button>
                </span>
              ) : null}
            </li>
          )
        })}
      </ol>

      <form onSubmit={send} className="composer">
        <label htmlFor={draftId}>Message</label>
        <input id={draftId} value={draft} onChange={(event) => setDraft(event.target.value)} disabled={closed} />
        <button type="submit" disabled={closed}>
          Send
        </button>
      </form>

      <div className="feedback">
        {conversation.data?.feedback ? (
          <p>Thanks for your feedback.</p>
        ) : (
          <fieldset>
            <legend>Was this chat helpful?</legend>
            <button type="button" onClick={() => feedback.mutate({ isPositive: true })}>
              Yes
            </button>{' '}
            <button type="button" onClick={() => feedback.mutate({ isPositive: false })}>
              No
            </button>
          </fieldset>
        )}
      </div>
      {closed ? null : (
        <button type="button" onClick={() => close.mutate()} disabled={close.isPending}>
          End chat
        </button>
      )}
    </section>
  )
}
