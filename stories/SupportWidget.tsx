import { QueryClient } from '@tanstack/react-query'
import { type FormEvent, useEffect, useId, useState } from 'react'
import {
  browserStorage,
  ChatApiProvider,
  type ChatSessionStorage,
  createMemoryStorage,
  serverEvents,
  type UseChatSessionOptions,
  type UserValue,
  useChatSession,
} from 'socialboards-chat-react'
import { MOCK_ACCESS_TOKEN, MOCK_BASE_URL } from 'socialboards-chat-react/mock'

const visitor = { name: 'Ada', email: 'ada@example.com' }

const statusText = {
  idle: 'Ask us anything.',
  starting: 'Starting your chat…',
  resuming: 'Picking up where you left off…',
  queued: '',
  'with-bot': 'You are chatting with our bot.',
  'with-agent': 'An agent has joined.',
  closed: 'This chat has ended.',
  error: 'Something went wrong.',
  offline: 'We are away. Leave your email and we will reply.',
}

/** Where a demo keeps its chat: memory (a tab's life), or `sessionStorage` (survives a real reload, F5). */
export const DEMO_CHAT_KEY = 'socialboards-chat-demo:chat'

/**
 * The widget, built only on `useChatSession`: messages by `role`, an unread badge and the last
 * news while minimised (`unreadCount`, `onMessage`, `markSeen` while open), "Talk to a human"
 * (`requestHuman`) while the bot has the chat, and older messages on request (`loadOlder`).
 */
function Widget({
  storage,
  storageKey,
  pollInterval,
  label,
  author = visitor,
  isBotEnabled = false,
  trackPages = false,
  online,
}: {
  storage: ChatSessionStorage
  storageKey?: string
  pollInterval: number
  label: string
  author?: UserValue
  isBotEnabled?: boolean
  trackPages?: boolean
  /** The network as the page's toggle says (without it, the browser's). */
  online?: UseChatSessionOptions['online']
}) {
  const [news, setNews] = useState<string | null>(null)
  const [open, setOpen] = useState(true)
  const chat = useChatSession({
    author,
    storage,
    storageKey,
    pollInterval,
    conversation: { title: 'Website chat', isBotEnabled },
    trackPages,
    online,
    onMessage: (message) => setNews(`${message.author.name ?? 'Support'}: ${message.message}`),
  })
  const { unreadCount, markSeen } = chat
  // What the visitor has in front of them is seen.
  useEffect(() => {
    if (open && unreadCount > 0) markSeen()
  }, [open, unreadCount, markSeen])
  const [draft, setDraft] = useState('')
  const draftId = useId()
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (!draft.trim()) return
    chat.send(draft)
    setDraft('')
  }
  if (!open)
    return (
      <section className="card chat" aria-label={label} data-conversation-id={chat.conversationId}>
        <button type="button" onClick={() => setOpen(true)}>
          Open chat{unreadCount ? ` (${unreadCount} new)` : ''}
        </button>
        {unreadCount && news ? <p className="preview">{news}</p> : null}
      </section>
    )
  return (
    <section className="card chat" aria-label={label} data-conversation-id={chat.conversationId}>
      <h2>Support</h2>
      <button type="button" onClick={() => setOpen(false)}>
        Minimise
      </button>
      <p role="status" className="queue">
        {chat.status === 'queued' && chat.queue
          ? `You are number ${chat.queue.position} in the queue (about ${chat.queue.waitTime ?? '?'} minutes).`
          : statusText[chat.status]}
        {chat.endReason ? ` Your previous chat had ${chat.endReason.kind === 'closed' ? 'ended' : 'expired'}.` : ''}
      </p>
      {chat.status === 'with-bot' ? (
        <button type="button" onClick={() => chat.requestHuman().catch(() => {})}>
          Talk to a human
        </button>
      ) : null}
      {chat.hasOlder ? (
        <button type="button" onClick={() => chat.loadOlder()} disabled={chat.isLoadingOlder}>
          Older messages
        </button>
      ) : null}
      <ol className="messages" aria-label="Messages">
        {chat.messages.map((message) => (
          <li key={message.key} className={message.role === 'visitor' ? 'mine' : 'theirs'}>
            <span className="author">{message.author.name ?? 'Someone'}</span>
            <span className="text">{message.message}</span>
            {message.status === 'pending' ? <span className="state">Sending…</span> : null}
            {message.status === 'failed' && message.localId !== undefined ? (
              <span className="state failed">
                Not sent.{' '}
                <button type="button" onClick={() => chat.retry(message.localId as number)}>
                  Retry
                </button>
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      <form onSubmit={submit} className="composer">
        <label htmlFor={draftId}>Message</label>
        <input
          id={draftId}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          disabled={chat.status === 'closed'}
        />
        <button type="submit" disabled={chat.status === 'closed'}>
          Send
        </button>
      </form>
      {chat.conversation && !chat.conversation.feedback ? (
        <fieldset className="feedback">
          <legend>Was this chat helpful?</legend>
          <button type="button" onClick={() => chat.leaveFeedback({ isPositive: true })}>
            Yes
          </button>{' '}
          <button type="button" onClick={() => chat.leaveFeedback({ isPositive: false })}>
            No
          </button>
        </fieldset>
      ) : chat.conversation?.feedback ? (
        <p>Thanks for your feedback.</p>
      ) : null}
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

/** A network switch for the demo page: the session's `online` signal, flipped by a button. */
function networkSwitch() {
  let up = true
  const listeners = new Set<(online: boolean) => void>()
  return {
    isOnline: () => up,
    subscribe(listener: (online: boolean) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    set(value: boolean) {
      up = value
      for (const listener of [...listeners]) listener(value)
    },
  }
}

/**
 * The support widget on a "page": a network toggle (the session's `online` option) and a reload that
 * starts the page over with a fresh cache and the same storage, as a browser reload would.
 */
export function SupportWidget({
  pollInterval = 1000,
  persisted = false,
  anonymous = false,
  isBotEnabled = false,
  trackPages = false,
}: {
  pollInterval?: number
  /** Keep the chat in `sessionStorage`, so a real reload (F5) resumes it. */
  persisted?: boolean
  /** A visitor with no identifier: the session generates one. */
  anonymous?: boolean
  isBotEnabled?: boolean
  /** Send the page the visitor is on with the create and on each navigation. */
  trackPages?: boolean
}) {
  const [storage] = useState(() => (persisted && browserStorage('session')) || createMemoryStorage())
  const [page, setPage] = useState(() => ({ load: 1, queryClient: new QueryClient() }))
  const [network] = useState(networkSwitch)
  const [online, setOnline] = useState(true)
  const toggle = () => {
    network.set(!online)
    setOnline(!online)
  }
  return (
    <div>
      <p>
        <button type="button" onClick={toggle} aria-pressed={!online}>
          {online ? 'Go offline' : 'Go online'}
        </button>{' '}
        <button type="button" onClick={() => setPage((p) => ({ load: p.load + 1, queryClient: new QueryClient() }))}>
          Reload page
        </button>{' '}
        <span>Page load {page.load}</span>
      </p>
      <ChatApiProvider
        key={page.load}
        baseURL={MOCK_BASE_URL}
        accessToken={MOCK_ACCESS_TOKEN}
        queryClient={page.queryClient}
      >
        <Widget
          storage={storage}
          storageKey={persisted ? DEMO_CHAT_KEY : undefined}
          pollInterval={pollInterval}
          label="Support widget"
          author={anonymous ? { name: 'Guest' } : visitor}
          isBotEnabled={isBotEnabled}
          trackPages={trackPages}
          online={network}
        />
      </ChatApiProvider>
    </div>
  )
}

/** Two tabs of the same visitor: separate pages (caches), one shared storage. */
export function TwoTabs({ pollInterval = 1000 }: { pollInterval?: number }) {
  const [storage] = useState(createMemoryStorage)
  const [tabs] = useState(() => ['Tab 1', 'Tab 2'].map((name) => ({ name, queryClient: new QueryClient() })))
  return (
    <div style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap' }}>
      {tabs.map(({ name, queryClient }) => (
        <ChatApiProvider key={name} baseURL={MOCK_BASE_URL} accessToken={MOCK_ACCESS_TOKEN} queryClient={queryClient}>
          <Widget storage={storage} pollInterval={pollInterval} label={name} />
        </ChatApiProvider>
      ))}
    </div>
  )
}

/**
 * The same widget behind the server half (`createChatHandler` at `/api/chat`): the browser holds no
 * token, only the httpOnly cookie the handler set, which names this visitor's conversations. With
 * `realtime`, the agent's replies come over the handler's event stream instead of the next poll.
 */
export function SecureSupportWidget({
  pollInterval = 1000,
  realtime = false,
}: {
  pollInterval?: number
  realtime?: boolean
}) {
  const [storage] = useState(createMemoryStorage)
  const [page, setPage] = useState(() => ({ load: 1, queryClient: new QueryClient() }))
  return (
    <div>
      <p>
        <button type="button" onClick={() => setPage((p) => ({ load: p.load + 1, queryClient: new QueryClient() }))}>
          Reload page
        </button>{' '}
        <span>Page load {page.load}</span>
      </p>
      <ChatApiProvider
        key={page.load}
        baseURL="/api/chat/"
        queryClient={page.queryClient}
        realtime={realtime ? serverEvents() : undefined}
      >
        <Widget storage={storage} pollInterval={pollInterval} label="Support widget" />
      </ChatApiProvider>
    </div>
  )
}
