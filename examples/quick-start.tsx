import type { FormEvent } from 'react'
import { ChatApiProvider, describeError, useCreateConversation } from 'socialboards-chat-react'

function StartChat() {
  const create = useCreateConversation()
  if (create.status === 'success') return <p>You are number {create.data.queuePositionInfo?.position} in the queue.</p>
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    create.mutate({ author: { name: String(form.get('name')), email: String(form.get('email')) }, title: 'Web chat' })
  }
  return (
    <form onSubmit={submit}>
      <input name="name" aria-label="Name" />
      <input name="email" aria-label="Email" />
      <button type="submit" disabled={create.isPending}>
        Start chat
      </button>
      {/* The visitor's words (describeError), never error.message: that is a log line for developers. */}
      {create.status === 'error' && <p role="alert">{describeError(create.error)}</p>}
    </form>
  )
}

// No token in the browser: the route above holds it, and a signed cookie says which chats are this visitor's.
export const App = () => (
  <ChatApiProvider baseURL="/api/chat/">
    <StartChat />
  </ChatApiProvider>
)
