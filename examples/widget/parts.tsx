// The widget's pieces, presentational only: they take props and say things in words (words.ts). ReferenceWidget.tsx
// feeds them from useChatSession; the stories feed the ones the session cannot drive yet with fixed props.
import { type FormEvent, type ReactNode, useEffect, useId, useLayoutEffect, useRef, useState } from 'react'
import type { ChatAnnouncerItem, ChatMessage } from 'socialboards-chat-react'
import { stateWords, timeWords, visitorText, type WidgetLocale, type WidgetState } from './words'

/** `auto` follows the system (prefers-color-scheme); `light` and `dark` override it (`data-theme`). */
export type WidgetTheme = 'auto' | 'light' | 'dark'

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), textarea:not([disabled]), [tabindex="0"]'

/**
 * The themed root, the launcher and the panel around `children`. Opening moves focus into the panel (to its
 * `[data-autofocus]` element, else the first control); Escape anywhere in the widget closes it, and closing by any
 * way returns focus to the launcher when focus was in the panel.
 */
export function WidgetShell({
  open,
  onOpenChange,
  unreadCount = 0,
  theme = 'auto',
  placement = 'floating',
  label = 'Chat with us',
  children,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  unreadCount?: number
  theme?: WidgetTheme
  /** `floating`: fixed to the window's bottom right corner; `inline`: in the page's flow (stories, docs). */
  placement?: 'floating' | 'inline'
  label?: string
  children: ReactNode
}) {
  const panelId = useId()
  const launcher = useRef<HTMLButtonElement>(null)
  const panel = useRef<HTMLDivElement>(null)
  const wasOpen = useRef(open)
  useEffect(() => {
    if (open === wasOpen.current) return
    wasOpen.current = open
    const active = document.activeElement
    if (open) {
      const target =
        panel.current?.querySelector<HTMLElement>('[data-autofocus]') ??
        panel.current?.querySelector<HTMLElement>(FOCUSABLE)
      target?.focus()
    } else if (!active || active === document.body || panel.current?.contains(active)) launcher.current?.focus()
  }, [open])
  const root = useRef<HTMLDivElement>(null)
  // Escape closes from inside the widget, or when focus fell to the page's body (its control was removed).
  useEffect(() => {
    if (!open) return
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      const active = document.activeElement
      if (event.key !== 'Escape' || event.defaultPrevented) return
      if (active && active !== document.body && !root.current?.contains(active)) return
      onOpenChange(false)
      launcher.current?.focus()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [open, onOpenChange])
  const badge = unreadCount > 0 && !open ? unreadCount : 0
  return (
    <div ref={root} className="sbw" data-theme={theme} data-placement={placement} data-open={open}>
      <div className="sbw-panel-frame" id={panelId} ref={panel} hidden={!open}>
        {children}
      </div>
      <button
        ref={launcher}
        type="button"
        className="sbw-launcher"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => onOpenChange(!open)}
      >
        <span className="sbw-launcher-icon" aria-hidden="true">
          {open ? <CloseIcon /> : <ChatIcon />}
        </span>
        <span className="sbw-launcher-label">
          {open ? 'Close chat' : label}
          {badge ? (
            <span className="sbw-visually-hidden">, {badge === 1 ? '1 new message' : `${badge} new messages`}</span>
          ) : null}
        </span>
        {badge ? (
          <span className="sbw-badge" aria-hidden="true">
            {badge > 99 ? '99+' : badge}
          </span>
        ) : null}
      </button>
    </div>
  )
}

/** A past conversation, as the server half's "my conversations" lists it (#23 item 5). */
export interface HistoryItem {
  id: number
  title: string | null
  creationTime: string
  lastModifiedTime: string | null
  isClosed: boolean
  lastMessage: { message: string; creationTime: string; role: 'visitor' | 'agent' | 'bot' } | null
}

/** What the panel shows and what each of its buttons does. Leave a handler out and its button is not shown. */
export interface ChatPanelProps {
  /** The panel's heading. Default "Support". */
  title?: string
  state: WidgetState
  messages: readonly ChatMessage[]
  onSend?: (text: string) => void
  onRetry?: (localId: number) => void
  onDiscard?: (localId: number) => void
  onRequestHuman?: () => void
  onEndChat?: () => void
  onNewChat?: () => void
  /** The error state's "Try again". */
  onTryAgain?: () => void
  onFeedback?: (isPositive: boolean) => void
  hasOlder?: boolean
  isLoadingOlder?: boolean
  onLoadOlder?: () => void
  onMinimise?: () => void
  /** What went wrong with the visitor's last action (end, feedback, a person), shown as an alert. */
  actionError?: unknown
  /** The chat cannot be kept on this device (storage full or blocked): a reload would lose unsent messages. */
  persistWarning?: boolean
  /** The offline form's handler, shown in the `offline` state. */
  onAwaySubmit?: AwayFormProps['onSubmit']
  /** Past conversations: a "Past chats" view in the panel. */
  history?: { items: readonly HistoryItem[]; onOpen: (id: number) => void }
  /** Shows "Sign out of chat" in the panel's footer. */
  onSignOut?: () => void
  /** The visitor's language for errors (`visitorText`). Default English. */
  locale?: WidgetLocale
  /**
   * What a screen reader is told (`useChatAnnouncer`'s `announcements`): said by a polite live region beside the
   * message log, once each. Leave it out and the log itself is the live region.
   */
  announcements?: readonly ChatAnnouncerItem[]
  /** Shows "Notify me of replies" (call `useChatAttention`'s `requestNotifications` from it). */
  onRequestNotifications?: () => void
  /** The conversation was started outside opening hours: says the reply comes by email. */
  repliesByEmail?: boolean
}

/** The panel: header, state banner, the message log, then the composer (or what replaces it). */
export function ChatPanel(props: ChatPanelProps) {
  const { title = 'Support', state, onMinimise, onEndChat, history, onSignOut, actionError, persistWarning } = props
  const { locale, announcements, onRequestNotifications } = props
  const headingId = useId()
  const [view, setView] = useState<'chat' | 'history'>('chat')
  const words = stateWords(state, locale)
  const live = state.kind !== 'closed' && state.kind !== 'offline' && state.kind !== 'welcome'
  const section = useRef<HTMLElement>(null)
  // When the state changes what the panel offers (the message box gives way to "Start a new chat", and back), the
  // control that had focus may be gone: focus goes to what replaced it, not to the page's start.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the kind of state changes.
  useEffect(() => {
    const active = document.activeElement
    const lost = !active || active === document.body
    if (lost && section.current?.checkVisibility?.())
      section.current.querySelector<HTMLElement>('[data-autofocus]')?.focus()
  }, [state.kind])
  return (
    <section ref={section} className="sbw-panel" aria-labelledby={headingId} data-state={state.kind}>
      <header className="sbw-header">
        <span className="sbw-avatar" aria-hidden="true">
          {title.slice(0, 1)}
        </span>
        <div className="sbw-header-text">
          <h2 id={headingId} className="sbw-title">
            {title}
          </h2>
          <p className="sbw-subtitle">{view === 'history' ? 'Your conversations' : 'We usually reply in minutes'}</p>
        </div>
        {history ? (
          <button
            type="button"
            className="sbw-header-button"
            aria-pressed={view === 'history'}
            onClick={() => setView(view === 'chat' ? 'history' : 'chat')}
          >
            Past chats
          </button>
        ) : null}
        {onEndChat && live && view === 'chat' ? (
          <button type="button" className="sbw-header-button" onClick={onEndChat}>
            End chat
          </button>
        ) : null}
        {onMinimise ? (
          <button type="button" className="sbw-icon-button" aria-label="Minimise chat" onClick={onMinimise}>
            <MinimiseIcon />
          </button>
        ) : null}
      </header>
      {view === 'history' && history ? (
        <HistoryList
          items={history.items}
          onOpen={(id) => {
            setView('chat')
            history.onOpen(id)
          }}
        />
      ) : (
        <>
          <div className="sbw-banner" data-kind={state.kind}>
            <span className="sbw-banner-icon" aria-hidden="true">
              <StateIcon state={state} />
            </span>
            <div role="status" className="sbw-banner-text">
              <p className="sbw-headline">{words.headline}</p>
              <p className="sbw-detail">{words.detail}</p>
            </div>
            {state.kind === 'bot' && props.onRequestHuman ? (
              <button type="button" className="sbw-button sbw-secondary" onClick={props.onRequestHuman}>
                Talk to a person
              </button>
            ) : null}
            {state.kind === 'error' && state.canRetry && props.onTryAgain ? (
              <button type="button" className="sbw-button sbw-secondary" onClick={props.onTryAgain}>
                Try again
              </button>
            ) : null}
          </div>
          {actionError ? (
            <p role="alert" className="sbw-alert">
              {visitorText(actionError, locale)}
            </p>
          ) : null}
          {state.kind === 'offline' && props.onAwaySubmit ? (
            <AwayForm onSubmit={props.onAwaySubmit} locale={locale} />
          ) : (
            <MessageLog {...props} announced={announcements !== undefined} />
          )}
          {state.kind === 'closed' ? (
            <ChatEnded feedback={state.feedback} onFeedback={props.onFeedback} onNewChat={props.onNewChat} />
          ) : state.kind === 'offline' ? null : props.onSend ? (
            <Composer onSend={props.onSend} />
          ) : null}
          {props.repliesByEmail && state.kind !== 'offline' ? (
            <p className="sbw-footnote">We are away right now: our reply will come to your email.</p>
          ) : null}
          {onRequestNotifications && state.kind !== 'closed' && state.kind !== 'offline' ? (
            <p className="sbw-footnote">
              <button type="button" className="sbw-link-button" onClick={onRequestNotifications}>
                Notify me of replies
              </button>
            </p>
          ) : null}
          {persistWarning ? (
            <p className="sbw-footnote">
              This device is not keeping the chat: reloading the page may lose unsent messages.
            </p>
          ) : null}
        </>
      )}
      {announcements ? (
        <div className="sbw-visually-hidden" aria-live="polite" data-announcer>
          {announcements.map((item) => (
            <p key={item.id}>{item.text}</p>
          ))}
        </div>
      ) : null}
      {onSignOut ? (
        <footer className="sbw-footer">
          <button type="button" className="sbw-link-button" onClick={onSignOut}>
            Sign out of chat
          </button>
        </footer>
      ) : null}
    </section>
  )
}

/** Who wrote a message, in words. */
function authorName(message: ChatMessage): string {
  if (message.role === 'visitor') return 'You'
  const name = message.author.name?.trim()
  if (message.role === 'bot') return name || 'Assistant'
  return name || 'Support'
}

/**
 * The messages, a `role="log"`, kept scrolled to the newest unless the visitor scrolled up. A log is a polite live
 * region by itself; when an announcer speaks for it (`announced`), the log is quiet (`aria-live="off"`) so a reply is
 * read once, in the announcer's words (who said it, without "Sending…" or the time), not twice.
 */
export function MessageLog({
  messages,
  onRetry,
  onDiscard,
  hasOlder,
  isLoadingOlder,
  onLoadOlder,
  announced = false,
}: Pick<ChatPanelProps, 'messages' | 'onRetry' | 'onDiscard' | 'hasOlder' | 'isLoadingOlder' | 'onLoadOlder'> & {
  announced?: boolean
}) {
  const log = useRef<HTMLDivElement>(null)
  const pinned = useRef(true)
  const newest = messages[messages.length - 1]?.key
  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls when the newest message changes.
  useLayoutEffect(() => {
    const element = log.current
    if (element && pinned.current) element.scrollTop = element.scrollHeight
  }, [newest])
  return (
    <div
      ref={log}
      role="log"
      aria-label="Messages"
      aria-live={announced ? 'off' : undefined}
      className="sbw-log"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus so the keyboard can scroll it.
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget
        pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40
      }}
    >
      {hasOlder && onLoadOlder ? (
        <button type="button" className="sbw-link-button sbw-older" onClick={onLoadOlder} disabled={isLoadingOlder}>
          {isLoadingOlder ? 'Loading earlier messages…' : 'Show earlier messages'}
        </button>
      ) : null}
      <ol className="sbw-messages">
        {messages.map((message, index) => {
          const previous = messages[index - 1]
          const firstOfGroup =
            !previous || previous.role !== message.role || authorName(previous) !== authorName(message)
          return (
            <li key={message.key} className="sbw-message" data-role={message.role} data-status={message.status}>
              <span className={firstOfGroup && message.role !== 'visitor' ? 'sbw-author' : 'sbw-visually-hidden'}>
                {authorName(message)}
                {message.role === 'bot' ? <span className="sbw-tag">Bot</span> : null}
                <span className="sbw-visually-hidden">: </span>
              </span>
              <p className="sbw-bubble">{message.message}</p>
              {message.status === 'pending' ? (
                <span className="sbw-meta">Sending…</span>
              ) : message.status === 'failed' ? (
                <span className="sbw-meta sbw-failed">
                  <span>Not sent.</span>
                  {message.localId !== undefined && onRetry ? (
                    <button
                      type="button"
                      className="sbw-link-button"
                      onClick={() => onRetry(message.localId as number)}
                    >
                      Retry
                    </button>
                  ) : null}
                  {message.localId !== undefined && onDiscard ? (
                    <button
                      type="button"
                      className="sbw-link-button"
                      onClick={() => onDiscard(message.localId as number)}
                    >
                      Remove
                    </button>
                  ) : null}
                </span>
              ) : timeWords(message.creationTime) ? (
                <span className="sbw-meta">
                  <time dateTime={message.creationTime ?? undefined}>{timeWords(message.creationTime)}</time>
                </span>
              ) : null}
            </li>
          )
        })}
      </ol>
    </div>
  )
}

/** The message box: Enter sends, Shift+Enter starts a new line; what was typed stays until it is sent. */
export function Composer({ onSend }: { onSend: (text: string) => void }) {
  const [draft, setDraft] = useState('')
  const inputId = useId()
  const send = (event?: FormEvent) => {
    event?.preventDefault()
    const text = draft.trim()
    if (!text) return
    onSend(text)
    setDraft('')
  }
  return (
    <form className="sbw-composer" onSubmit={send}>
      <label htmlFor={inputId} className="sbw-visually-hidden">
        Message
      </label>
      <textarea
        id={inputId}
        data-autofocus
        className="sbw-input"
        rows={1}
        placeholder="Write a message…"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) send(event)
        }}
      />
      {/* Never disabled: a disabled button drops the keyboard's focus (an empty message is simply not sent). */}
      <button type="submit" className="sbw-send">
        <SendIcon />
        <span className="sbw-visually-hidden">Send</span>
      </button>
    </form>
  )
}

/**
 * After the end: the feedback question (asked only now, never while the visitor waits) and "Start a new chat"
 * instead of the message box.
 */
export function ChatEnded({
  feedback,
  onFeedback,
  onNewChat,
}: {
  feedback: { isPositive: boolean } | null
  onFeedback?: (isPositive: boolean) => void
  onNewChat?: () => void
}) {
  return (
    <div className="sbw-ended">
      {feedback ? (
        <p className="sbw-thanks">Thanks for your feedback.</p>
      ) : onFeedback ? (
        <fieldset className="sbw-feedback">
          <legend>Did we help?</legend>
          <div className="sbw-feedback-buttons">
            <button type="button" className="sbw-button sbw-secondary" onClick={() => onFeedback(true)}>
              <span aria-hidden="true">👍 </span>Yes
            </button>
            <button type="button" className="sbw-button sbw-secondary" onClick={() => onFeedback(false)}>
              <span aria-hidden="true">👎 </span>No
            </button>
          </div>
        </fieldset>
      ) : null}
      {onNewChat ? (
        <button type="button" className="sbw-button sbw-primary" data-autofocus onClick={onNewChat}>
          Start a new chat
        </button>
      ) : null}
    </div>
  )
}

/** What the offline form hands over. `name` is `''` when the visitor left it out. */
export interface AwayFormValues {
  name: string
  email: string
  message: string
}

/** Props of {@link AwayForm}. */
export interface AwayFormProps {
  /** Sends the message; a rejection shows {@link visitorText} of its error and keeps what was typed. */
  onSubmit: (values: AwayFormValues) => void | Promise<void>
  defaultName?: string
  defaultEmail?: string
  /** The visitor's language for errors. Default English. */
  locale?: WidgetLocale
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Outside opening hours: the visitor leaves an email (and a name, if they like) and a message, and is told the answer
 * comes by email. The session's `availability` decides when this shows (status `offline`, #24 item 4), and its `send`
 * needs the email: ReferenceWidget gives the author first, then sends.
 */
export function AwayForm({ onSubmit, defaultName = '', defaultEmail = '', locale }: AwayFormProps) {
  const [name, setName] = useState(defaultName)
  const [email, setEmail] = useState(defaultEmail)
  const [message, setMessage] = useState('')
  const [problems, setProblems] = useState<{ email?: string; message?: string }>({})
  const [status, setStatus] = useState<'editing' | 'sending' | 'sent'>('editing')
  const [error, setError] = useState<unknown>(null)
  const nameId = useId()
  const emailId = useId()
  const messageId = useId()
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const found = {
      email: !email.trim()
        ? 'Enter your email so we can reply.'
        : EMAIL.test(email.trim())
          ? undefined
          : 'Enter an email address like name@example.com.',
      message: message.trim() ? undefined : 'Write your message.',
    }
    setProblems(found)
    if (found.email || found.message) {
      document.getElementById(found.email ? emailId : messageId)?.focus()
      return
    }
    setStatus('sending')
    setError(null)
    try {
      await onSubmit({ name: name.trim(), email: email.trim(), message: message.trim() })
      setStatus('sent')
    } catch (caught) {
      setError(caught)
      setStatus('editing')
    }
  }
  if (status === 'sent')
    return (
      <div className="sbw-away" role="status">
        <p className="sbw-headline">Thanks, your message is with us.</p>
        <p className="sbw-detail">We will reply to {email.trim()} as soon as we are back.</p>
      </div>
    )
  return (
    <form className="sbw-away" onSubmit={submit} noValidate>
      <div className="sbw-field">
        <label htmlFor={nameId}>Your name (optional)</label>
        <input
          id={nameId}
          type="text"
          autoComplete="name"
          data-autofocus
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      <div className="sbw-field">
        <label htmlFor={emailId}>Your email</label>
        <input
          id={emailId}
          type="email"
          autoComplete="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={problems.email ? true : undefined}
          aria-describedby={problems.email ? `${emailId}-problem` : undefined}
        />
        {problems.email ? (
          <p id={`${emailId}-problem`} className="sbw-problem">
            {problems.email}
          </p>
        ) : null}
      </div>
      <div className="sbw-field">
        <label htmlFor={messageId}>Your message</label>
        <textarea
          id={messageId}
          rows={4}
          value={message}
          onChange={(event) => setMessage(event.target.value)}
          aria-invalid={problems.message ? true : undefined}
          aria-describedby={problems.message ? `${messageId}-problem` : undefined}
        />
        {problems.message ? (
          <p id={`${messageId}-problem`} className="sbw-problem">
            {problems.message}
          </p>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="sbw-alert">
          {visitorText(error, locale)}
        </p>
      ) : null}
      <button type="submit" className="sbw-button sbw-primary" disabled={status === 'sending'}>
        {status === 'sending' ? 'Sending…' : 'Send message'}
      </button>
    </form>
  )
}

/** The visitor's past conversations (`useMyConversations()`), newest first; choosing one opens it. */
export function HistoryList({ items, onOpen }: { items: readonly HistoryItem[]; onOpen: (id: number) => void }) {
  if (!items.length)
    return (
      <div className="sbw-history sbw-empty">
        <p>No earlier chats yet.</p>
      </div>
    )
  return (
    <ul className="sbw-history" aria-label="Your conversations">
      {items.map((item) => {
        const last = item.lastMessage
        const who = last ? (last.role === 'visitor' ? 'You' : last.role === 'bot' ? 'Assistant' : 'Support') : null
        return (
          <li key={item.id}>
            <button type="button" className="sbw-history-item" onClick={() => onOpen(item.id)}>
              <span className="sbw-history-title">{item.title?.trim() || 'Chat with support'}</span>
              <span className="sbw-history-when">{timeWords(item.lastModifiedTime ?? item.creationTime)}</span>
              <span className="sbw-history-preview">{last ? `${who}: ${last.message}` : 'No messages'}</span>
              <span className="sbw-pill" data-open={!item.isClosed}>
                {item.isClosed ? 'Ended' : 'Open'}
              </span>
            </button>
          </li>
        )
      })}
    </ul>
  )
}

function StateIcon({ state }: { state: WidgetState }) {
  switch (state.kind) {
    case 'starting':
    case 'resuming':
      return <span className="sbw-spinner" />
    case 'queued':
      return <span className="sbw-queue-number">{state.position ?? '…'}</span>
    case 'agent':
      return <span className="sbw-initial">{(state.agentName ?? 'S').slice(0, 1)}</span>
    case 'bot':
      return <span className="sbw-initial">✦</span>
    case 'closed':
      return <span className="sbw-initial">✓</span>
    case 'error':
      return <span className="sbw-initial">!</span>
    case 'offline':
      return <span className="sbw-initial">☾</span>
    default:
      return <span className="sbw-initial">👋</span>
  }
}

/** A stroked 24×24 icon; decorative (its button says what it does). */
function Icon({ d }: { d: string }) {
  return (
    <svg width={20} height={20} viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <path stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" d={d} />
    </svg>
  )
}
const ChatIcon = () => <Icon d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z" />
const CloseIcon = () => <Icon d="M6 6l12 12M18 6 6 18" />
const MinimiseIcon = () => <Icon d="M6 9l6 6 6-6" />
const SendIcon = () => <Icon d="M4 12 20 4l-6 16-3-7-7-1Z" />
