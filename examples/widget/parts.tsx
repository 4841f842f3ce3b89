// The widget's pieces, presentational only: they take props and say things in words (words.ts). ReferenceWidget.tsx
// feeds them from useChatSession; the stories feed the ones the session cannot drive yet with fixed props.
import { type FormEvent, type ReactNode, useEffect, useId, useLayoutEffect, useRef, useState } from 'react'
import { type ChatAnnouncerItem, type ChatMessage, isChatApiError } from 'socialboards-chat-react'
import { type WidgetLabels, widgetLabels } from './labels'
import { issueText, stateWords, timeWords, visitorText, type WidgetLocale, type WidgetState } from './words'

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
  locale,
  label,
  children,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  unreadCount?: number
  theme?: WidgetTheme
  /** `floating`: fixed to the window's bottom right corner; `inline`: in the page's flow (stories, docs). */
  placement?: 'floating' | 'inline'
  /** The visitor's language for the launcher's words (see `widgetLabels`). Default English. */
  locale?: WidgetLocale
  /** The launcher's name while closed. Default the labels' "Chat with us". */
  label?: string
  children: ReactNode
}) {
  const labels = widgetLabels(locale).launcher
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
          {open ? labels.close : (label ?? labels.open)}
          {badge ? <span className="sbw-visually-hidden">, {labels.unread(badge)}</span> : null}
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
  /** The panel's heading. Default the labels' ("Support"). */
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
  /** What the offline form starts with (the visitor the app already knows). */
  awayDefaults?: { name?: string; email?: string }
  /** Past conversations: a "Past chats" view in the panel. */
  history?: { items: readonly HistoryItem[]; onOpen: (id: number) => void }
  /** Shows "Sign out of chat" in the panel's footer. */
  onSignOut?: () => void
  /** The visitor's language for every label (`widgetLabels`) and error (`visitorText`). Default English. */
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
  const { state, onMinimise, onEndChat, history, onSignOut, actionError, persistWarning } = props
  const { locale, announcements, onRequestNotifications } = props
  const labels = widgetLabels(locale)
  const { title = labels.panel.title } = props
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
          <p className="sbw-subtitle">{view === 'history' ? labels.history.label : labels.panel.subtitle}</p>
        </div>
        {history ? (
          <button
            type="button"
            className="sbw-header-button"
            aria-pressed={view === 'history'}
            onClick={() => setView(view === 'chat' ? 'history' : 'chat')}
          >
            {labels.panel.pastChats}
          </button>
        ) : null}
        {onEndChat && live && view === 'chat' ? (
          <button type="button" className="sbw-header-button" onClick={onEndChat}>
            {labels.panel.endChat}
          </button>
        ) : null}
        {onMinimise ? (
          <button type="button" className="sbw-icon-button" aria-label={labels.panel.minimise} onClick={onMinimise}>
            <MinimiseIcon />
          </button>
        ) : null}
      </header>
      {view === 'history' && history ? (
        <HistoryList
          locale={locale}
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
                {labels.panel.talkToPerson}
              </button>
            ) : null}
            {state.kind === 'error' && state.canRetry && props.onTryAgain ? (
              <button type="button" className="sbw-button sbw-secondary" onClick={props.onTryAgain}>
                {labels.panel.tryAgain}
              </button>
            ) : null}
          </div>
          {actionError ? (
            <p role="alert" className="sbw-alert">
              {visitorText(actionError, locale)}
            </p>
          ) : null}
          {state.kind === 'offline' && props.onAwaySubmit ? (
            <AwayForm
              onSubmit={props.onAwaySubmit}
              locale={locale}
              defaultName={props.awayDefaults?.name}
              defaultEmail={props.awayDefaults?.email}
            />
          ) : (
            <MessageLog {...props} announced={announcements !== undefined} />
          )}
          {state.kind === 'closed' ? (
            <ChatEnded
              feedback={state.feedback}
              onFeedback={props.onFeedback}
              onNewChat={props.onNewChat}
              locale={locale}
            />
          ) : state.kind === 'offline' ? null : props.onSend ? (
            <Composer onSend={props.onSend} locale={locale} />
          ) : null}
          {props.repliesByEmail && state.kind !== 'offline' && state.kind !== 'left' ? (
            <p className="sbw-footnote">{labels.panel.repliesByEmail}</p>
          ) : null}
          {onRequestNotifications && state.kind !== 'closed' && state.kind !== 'offline' ? (
            <p className="sbw-footnote">
              <button type="button" className="sbw-link-button" onClick={onRequestNotifications}>
                {labels.panel.notifyMe}
              </button>
            </p>
          ) : null}
          {persistWarning ? <p className="sbw-footnote">{labels.panel.notKept}</p> : null}
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
            {labels.panel.signOut}
          </button>
        </footer>
      ) : null}
    </section>
  )
}

/** Who wrote a message, in words. */
function authorName(message: ChatMessage, labels: WidgetLabels['log']): string {
  if (message.role === 'visitor') return labels.you
  const name = message.author.name?.trim()
  if (message.role === 'bot') return name || labels.assistant
  return name || labels.support
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
  locale,
}: Pick<
  ChatPanelProps,
  'messages' | 'onRetry' | 'onDiscard' | 'hasOlder' | 'isLoadingOlder' | 'onLoadOlder' | 'locale'
> & {
  announced?: boolean
}) {
  const labels = widgetLabels(locale).log
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
      aria-label={labels.label}
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
          {isLoadingOlder ? labels.loadingEarlier : labels.showEarlier}
        </button>
      ) : null}
      <ol className="sbw-messages">
        {messages.map((message, index) => {
          const previous = messages[index - 1]
          const firstOfGroup =
            !previous || previous.role !== message.role || authorName(previous, labels) !== authorName(message, labels)
          return (
            <li key={message.key} className="sbw-message" data-role={message.role} data-status={message.status}>
              <span className={firstOfGroup && message.role !== 'visitor' ? 'sbw-author' : 'sbw-visually-hidden'}>
                {authorName(message, labels)}
                {message.role === 'bot' ? <span className="sbw-tag">{labels.botTag}</span> : null}
                <span className="sbw-visually-hidden">: </span>
              </span>
              <p className="sbw-bubble">{message.message}</p>
              {message.status === 'pending' ? (
                <span className="sbw-meta">{labels.sending}</span>
              ) : message.status === 'failed' ? (
                <span className="sbw-meta sbw-failed">
                  <span>{labels.notSent}</span>
                  {message.localId !== undefined && onRetry ? (
                    <button
                      type="button"
                      className="sbw-link-button"
                      onClick={() => onRetry(message.localId as number)}
                    >
                      {labels.retry}
                    </button>
                  ) : null}
                  {message.localId !== undefined && onDiscard ? (
                    <button
                      type="button"
                      className="sbw-link-button"
                      onClick={() => onDiscard(message.localId as number)}
                    >
                      {labels.remove}
                    </button>
                  ) : null}
                </span>
              ) : timeWords(message.creationTime, undefined, locale) ? (
                <span className="sbw-meta">
                  <time dateTime={message.creationTime ?? undefined}>
                    {timeWords(message.creationTime, undefined, locale)}
                  </time>
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
export function Composer({ onSend, locale }: { onSend: (text: string) => void; locale?: WidgetLocale }) {
  const labels = widgetLabels(locale).composer
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
        {labels.label}
      </label>
      <textarea
        id={inputId}
        data-autofocus
        className="sbw-input"
        rows={1}
        placeholder={labels.placeholder}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) send(event)
        }}
      />
      {/* Never disabled: a disabled button drops the keyboard's focus (an empty message is simply not sent). */}
      <button type="submit" className="sbw-send">
        <SendIcon />
        <span className="sbw-visually-hidden">{labels.send}</span>
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
  locale,
}: {
  feedback: { isPositive: boolean } | null
  onFeedback?: (isPositive: boolean) => void
  onNewChat?: () => void
  locale?: WidgetLocale
}) {
  const labels = widgetLabels(locale).ended
  return (
    <div className="sbw-ended">
      {feedback ? (
        <p className="sbw-thanks">{labels.thanks}</p>
      ) : onFeedback ? (
        <fieldset className="sbw-feedback">
          <legend>{labels.question}</legend>
          <div className="sbw-feedback-buttons">
            <button type="button" className="sbw-button sbw-secondary" onClick={() => onFeedback(true)}>
              <span aria-hidden="true">👍 </span>
              {labels.yes}
            </button>
            <button type="button" className="sbw-button sbw-secondary" onClick={() => onFeedback(false)}>
              <span aria-hidden="true">👎 </span>
              {labels.no}
            </button>
          </div>
        </fieldset>
      ) : null}
      {onNewChat ? (
        <button type="button" className="sbw-button sbw-primary" data-autofocus onClick={onNewChat}>
          {labels.newChat}
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
  /**
   * Sends the message. A rejection keeps what was typed: a validation error's issues on the email or the message show
   * at that field (`describeIssue`), any other error as an alert ({@link visitorText}).
   */
  onSubmit: (values: AwayFormValues) => void | Promise<void>
  defaultName?: string
  defaultEmail?: string
  /** The visitor's language for labels and errors. Default English. */
  locale?: WidgetLocale
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** The form's fields a validation issue can point at, by the last part of its path. */
type AwayField = 'email' | 'message'
type Problems = Partial<Record<AwayField, string>>

/** What a rejected submit says at each field: the issues on the email or the message, in the visitor's words. */
function problemsOf(error: unknown, locale: WidgetLocale | undefined): Problems {
  const problems: Problems = {}
  if (!isChatApiError(error)) return problems
  for (const issue of error.issues ?? []) {
    const field = /(email|message)(?:\[\d+\])?$/.exec(issue.path)?.[1] as AwayField | undefined
    if (field && !problems[field]) problems[field] = issueText(issue, locale)
  }
  return problems
}

/**
 * Outside opening hours: the visitor leaves an email (and a name, if they like) and a message, and is told the answer
 * comes by email. The session's `availability` decides when this shows (status `offline`, #24 item 4), and its `send`
 * needs the email: ReferenceWidget gives the author first, then sends, and a missing email comes back as the session's
 * own validation error, shown at the email field. The form checks only what the session cannot before sending (an
 * empty message, an email that is not one), in the same words (`describeIssue`).
 */
export function AwayForm({ onSubmit, defaultName = '', defaultEmail = '', locale }: AwayFormProps) {
  const labels = widgetLabels(locale).away
  const [name, setName] = useState(defaultName)
  const [email, setEmail] = useState(defaultEmail)
  const [message, setMessage] = useState('')
  const [problems, setProblems] = useState<Problems>({})
  const [status, setStatus] = useState<'editing' | 'sending' | 'sent'>('editing')
  const [error, setError] = useState<unknown>(null)
  const nameId = useId()
  const emailId = useId()
  const messageId = useId()
  const show = (found: Problems) => {
    setProblems(found)
    if (found.email || found.message) document.getElementById(found.email ? emailId : messageId)?.focus()
    return Boolean(found.email || found.message)
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const typed = email.trim()
    const found: Problems = {
      email: typed && !EMAIL.test(typed) ? issueText({ path: 'author.email', code: 'email' }, locale) : undefined,
      message: message.trim() ? undefined : issueText({ path: 'messages[0].message', code: 'required' }, locale),
    }
    if (show(found)) return
    setStatus('sending')
    setError(null)
    try {
      await onSubmit({ name: name.trim(), email: typed, message: message.trim() })
      setStatus('sent')
    } catch (caught) {
      setStatus('editing')
      if (!show(problemsOf(caught, locale))) setError(caught)
    }
  }
  if (status === 'sent')
    return (
      <div className="sbw-away" role="status">
        <p className="sbw-headline">{labels.sentHeadline}</p>
        <p className="sbw-detail">{labels.sentDetail(email.trim())}</p>
      </div>
    )
  return (
    <form className="sbw-away" onSubmit={submit} noValidate>
      <div className="sbw-field">
        <label htmlFor={nameId}>{labels.name}</label>
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
        <label htmlFor={emailId}>{labels.email}</label>
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
        <label htmlFor={messageId}>{labels.message}</label>
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
        {status === 'sending' ? labels.sending : labels.send}
      </button>
    </form>
  )
}

/** The visitor's past conversations (`useMyConversations()`), newest first; choosing one opens it. */
export function HistoryList({
  items,
  onOpen,
  locale,
}: {
  items: readonly HistoryItem[]
  onOpen: (id: number) => void
  locale?: WidgetLocale
}) {
  const labels = widgetLabels(locale)
  if (!items.length)
    return (
      <div className="sbw-history sbw-empty">
        <p>{labels.history.empty}</p>
      </div>
    )
  const whoWrote = { visitor: labels.log.you, bot: labels.log.assistant, agent: labels.log.support }
  return (
    <ul className="sbw-history" aria-label={labels.history.label}>
      {items.map((item) => {
        const last = item.lastMessage
        return (
          <li key={item.id}>
            <button type="button" className="sbw-history-item" onClick={() => onOpen(item.id)}>
              <span className="sbw-history-title">{item.title?.trim() || labels.history.untitled}</span>
              <span className="sbw-history-when">
                {timeWords(item.lastModifiedTime ?? item.creationTime, undefined, locale)}
              </span>
              <span className="sbw-history-preview">
                {last ? `${whoWrote[last.role]}: ${last.message}` : labels.history.noMessages}
              </span>
              <span className="sbw-pill" data-open={!item.isClosed}>
                {item.isClosed ? labels.history.ended : labels.history.open}
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
    case 'left':
      return <span className="sbw-initial">✉</span>
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
