'use client'
import { type FormEvent, useState } from 'react'
import { useChatSession } from 'socialboards-chat-react'

/** After the end: the chat stays readable, the message box gives way to feedback and "Start a new chat". */
export function ChatWithAnEnd() {
  const chat = useChatSession({ author: { name: 'Ada', email: 'ada@example.com' }, afterClose: 'stay-closed' })
  const [draft, setDraft] = useState('')
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    chat.send(draft)
    setDraft('')
  }
  return (
    <section aria-label="Support chat">
      <ol role="log" aria-label="Messages">
        {chat.messages.map((m) => (
          <li key={m.key}>{m.message}</li>
        ))}
      </ol>
      {chat.status === 'closed' ? (
        <div>
          <p>This chat has ended.</p>
          {!chat.conversation?.feedback && (
            <button type="button" onClick={() => chat.leaveFeedback({ isPositive: true })}>
              This helped
            </button>
          )}
          {/* reset() forgets the ended chat here (it stays on the server); the next send starts a new one. */}
          <button type="button" onClick={() => chat.reset()}>
            Start a new chat
          </button>
        </div>
      ) : (
        <form onSubmit={submit}>
          <input aria-label="Message" value={draft} onChange={(event) => setDraft(event.target.value)} />
          <button type="submit">Send</button>
        </form>
      )}
    </section>
  )
}
