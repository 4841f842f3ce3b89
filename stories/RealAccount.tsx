import { type FormEvent, useState } from 'react'
import { ChatApiProvider } from 'socialboards-chat-react'
import { StartChatForm } from './StartChatForm'

/**
 * Points the start-chat form at a real Socialboards account. The base URL and access token are
 * entered here at run time and kept only in this component's memory: never in the repository,
 * storage or the URL. Nothing is sent until "Connect" is pressed.
 */
export function RealAccount() {
  const [connection, setConnection] = useState<{ baseURL: string; accessToken: string } | null>(null)

  if (connection)
    return (
      <ChatApiProvider baseURL={connection.baseURL} accessToken={connection.accessToken}>
        <p>
          Connected to {connection.baseURL}.{' '}
          <button type="button" onClick={() => setConnection(null)}>
            Disconnect
          </button>
        </p>
        <StartChatForm />
      </ChatApiProvider>
    )

  const connect = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setConnection({ baseURL: String(form.get('baseURL')), accessToken: String(form.get('accessToken')) })
  }
  return (
    <form className="card" onSubmit={connect} aria-labelledby="real-account-title">
      <h2 id="real-account-title">Use a real Socialboards account</h2>
      <p>
        Not connected. The public reference documents no base URL, so enter your account's. Get a short-lived access
        token from your own server; never paste a refresh token here.
      </p>
      <div className="field">
        <label htmlFor="real-base-url">Chat API base URL</label>
        <input id="real-base-url" name="baseURL" type="url" required placeholder="https://…/" />
      </div>
      <div className="field">
        <label htmlFor="real-token">Access token</label>
        <input id="real-token" name="accessToken" type="password" required autoComplete="off" />
      </div>
      <button type="submit">Connect</button>
    </form>
  )
}
