// The whole secure setup on your machine: this page's widget talks to createChatHandler at /api/chat (served by
// vite.config.ts beside this file, in front of the mock Chat API), with no token in the browser, and replies pushed
// over the handler's event stream (realtime). `npm run example`.
import { type FormEvent, useId, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { ChatApiProvider, serverEvents, useChatSession } from 'socialboards-chat-react'

function Chat() {
  const chat = useChatSession({ author: { name: 'You', email: 'you@example.com' } })
  const [draft, setDraft] = useState('')
  const inputId = useId()
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (draft.trim()) chat.send(draft)
    setDraft('')
  }
  return (
    <section aria-label="Support chat" style={{ maxWidth: 420, fontFamily: 'system-ui, sans-serif' }}>
      <h1>Support</h1>
      <p role="status">
        {chat.status === 'queued' && chat.queue ? `You are number ${chat.queue.position} in the queue.` : chat.status}
      </p>
      <ol aria-label="Messages">
        {chat.messages.map((message) => (
          <li key={message.key} className={message.role}>
            <strong>{message.role === 'visitor' ? 'You' : (message.author.name ?? 'Support')}:</strong>{' '}
            {message.message}
            {message.status === 'pending' ? ' (sending…)' : message.status === 'failed' ? ' (not sent)' : ''}
          </li>
        ))}
      </ol>
      <form onSubmit={submit}>
        <label htmlFor={inputId}>Message</label>{' '}
        <input id={inputId} value={draft} onChange={(e) => setDraft(e.target.value)} />{' '}
        <button type="submit" disabled={chat.status === 'closed'}>
          Send
        </button>
      </form>
      {chat.status === 'closed' ? (
        <button type="button" onClick={chat.reset}>
          New chat
        </button>
      ) : chat.conversationId !== undefined ? (
        <button type="button" onClick={() => chat.close()}>
          End chat
        </button>
      ) : null}
    </section>
  )
}

const root = document.getElementById('root')
if (root)
  createRoot(root).render(
    <ChatApiProvider baseURL="/api/chat/" realtime={serverEvents()}>
      <Chat />
    </ChatApiProvider>,
  )
