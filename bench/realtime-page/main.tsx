// The page the realtime bench drives (bench/realtime.bench.mjs): a session widget, or the lifecycle hooks,
// as the query string says: ?mode=realtime|adaptive|hooks&poll=ms
import { type FormEvent, useState } from 'react'
import { createRoot } from 'react-dom/client'
import {
  ChatApiProvider,
  serverEvents,
  useChatSession,
  useConversationMessages,
  useCreateConversation,
} from 'socialboards-chat-react'

const params = new URLSearchParams(location.search)
const mode = params.get('mode') ?? 'realtime'
const poll = Number(params.get('poll') ?? 4000)
const author = { name: 'Bench', email: 'bench@example.com' }

function Session() {
  const chat = useChatSession({ author, pollInterval: poll, storage: undefined })
  const [draft, setDraft] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    chat.send(draft)
    setDraft('')
  }
  return (
    <section>
      <p role="status">{chat.status}</p>
      <ol aria-label="Messages">
        {chat.messages.map((message) => (
          <li key={message.key} data-status={message.status}>
            {message.message}
          </li>
        ))}
      </ol>
      <form onSubmit={submit}>
        <input aria-label="Message" value={draft} onChange={(event) => setDraft(event.target.value)} />
        <button type="submit">Send</button>
      </form>
    </section>
  )
}

/** Today's lifecycle hooks at a fixed pace: the baseline for requests per minute. */
function Hooks() {
  const create = useCreateConversation()
  const id = create.data?.id
  const { messages } = useConversationMessages(id, { pollInterval: poll })
  return (
    <section>
      <button type="button" onClick={() => create.mutate({ author })}>
        Start
      </button>
      <p role="status">{id === undefined ? 'idle' : 'open'}</p>
      <ol aria-label="Messages">
        {messages.map((message) => (
          <li key={message.key}>{message.message}</li>
        ))}
      </ol>
    </section>
  )
}

const root = document.getElementById('root')
if (root)
  createRoot(root).render(
    <ChatApiProvider baseURL="/api/chat/" realtime={mode === 'realtime' ? serverEvents() : undefined}>
      {mode === 'hooks' ? <Hooks /> : <Session />}
    </ChatApiProvider>,
  )
