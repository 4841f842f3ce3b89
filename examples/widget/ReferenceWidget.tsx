// The reference widget: a launcher and a panel on top of useChatSession. Copy this folder and restyle widget.css;
// the library stays headless, so everything here is yours to change.
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState } from 'react'
import {
  type Availability,
  browserStorage,
  type ChatSessionStorage,
  chatKeys,
  type UserValue,
  useChatAnnouncer,
  useChatAttention,
  useChatSession,
  useMyConversations,
} from 'socialboards-chat-react'
import { DEFAULT_SESSION_KEY } from 'socialboards-chat-react/core'
import { widgetLabels } from './labels'
import { type AwayFormValues, ChatPanel, WidgetShell, type WidgetTheme } from './parts'
import { announcerWords, stateOf, type WidgetLocale } from './words'
import './widget.css'

/** Props of {@link ReferenceWidget}. */
export interface ReferenceWidgetProps {
  /** The visitor. Without an identifier the session makes an anonymous one. */
  author?: UserValue
  /** The panel's heading. Default "Support" in the visitor's language (`locale`). */
  title?: string
  /** Start conversations with the bot (the visitor can ask for a person). */
  isBotEnabled?: boolean
  storage?: ChatSessionStorage
  storageKey?: string
  pollInterval?: number
  theme?: WidgetTheme
  placement?: 'floating' | 'inline'
  /** Open at first render (focus is not moved: only the visitor's own opening moves it). */
  defaultOpen?: boolean
  /**
   * The visitor's language for every label (`widgetLabels`), every error (`describeError`) and what a screen reader is
   * told (`useChatAnnouncer`): `'nb'` (Norwegian Bokmål) or English (the default), or several in order of preference
   * (`navigator.languages`).
   */
  locale?: WidgetLocale
  /**
   * When the team is in (`useChatSession`'s `availability`): a weekly schedule in a time zone, or a function. Outside
   * it the panel shows the away form: the visitor leaves an email and a message, and the reply comes by email.
   */
  availability?: Availability
  /** A sound (your app's URL) played when a reply arrives while the tab is hidden. Default none. */
  sound?: string
  /** Offers "Notify me of replies" (a browser notification while the tab is hidden). Default false. */
  notifications?: boolean
  /** After "Sign out of chat" has made this device forget the visitor: sign them out of your app too. */
  onSignOut?: () => void
}

/**
 * A complete support widget: every session state in words, errors in the visitor's language (`describeError`),
 * replies said by a polite live region (`useChatAnnouncer`), the unread count on the launcher and in the tab's title
 * while it is hidden (`useChatAttention`), feedback once the chat has ended, "Start a new chat" after it, Retry on a
 * message that did not go, past chats and sign-out behind the server half, and a form for when nobody is in.
 */
export function ReferenceWidget({
  author,
  title,
  isBotEnabled = false,
  storage,
  storageKey,
  pollInterval,
  theme = 'auto',
  placement = 'floating',
  defaultOpen = false,
  locale,
  sound,
  notifications = false,
  onSignOut,
  availability,
}: ReferenceWidgetProps) {
  const [open, setOpen] = useState(defaultOpen)
  // What the visitor typed into the away form (name, email) joins the app's author. It is kept beside the session's
  // record: after a reload the session must see the same visitor, or it sets the conversation aside as another's.
  const [awayAuthor, setAwayAuthor] = useKeptAuthor(storage, `${storageKey ?? DEFAULT_SESSION_KEY}:away-author`)
  // A message left in the away form goes without the widget's title: the session then gives it its own
  // ("Message left outside opening hours"), so the team sees at once that the answer goes by email.
  const [leftAway, setLeftAway] = useState(false)
  const conversation = useMemo(
    () => (leftAway ? { isBotEnabled } : { title: 'Website chat', isBotEnabled }),
    [leftAway, isBotEnabled],
  )
  const chat = useChatSession({
    author: awayAuthor ? { ...author, ...awayAuthor } : author,
    storage,
    storageKey,
    pollInterval,
    conversation,
    availability,
    // This widget offers its own "Start a new chat" button after a close, so a send never starts one by itself.
    afterClose: 'stay-closed',
  })
  const words = announcerWords(locale)
  const { announcements } = useChatAnnouncer(chat, { messages: words })
  const attention = useChatAttention(chat, { sound, notifications, messages: words })
  // The history is the server half's (`GET …/visitor/conversations`): without it the query fails and none is shown.
  const history = useMyConversations()
  const queryClient = useQueryClient()
  const [actionError, setActionError] = useState<unknown>(null)
  const act = (action: () => Promise<unknown>) => {
    setActionError(null)
    action().catch(setActionError)
  }
  const { unreadCount, markSeen } = chat
  // What the visitor has in front of them is seen.
  useEffect(() => {
    if (open && unreadCount > 0) markSeen()
  }, [open, unreadCount, markSeen])

  // The away form (#24 item 4): while `offline`, `send` needs the author's email. With the hook, "update the author"
  // is its `author` option (the session takes it when the hook's effect runs), so the message is sent by the effect
  // after the one that hands the new author over: `chat.update({ author })` then `chat.send(message)` in core terms.
  const away = useRef<{ message: string; done: (error?: unknown) => void } | null>(null)
  const submitAway = ({ name, email, message }: AwayFormValues) =>
    new Promise<void>((resolve, reject) => {
      away.current = { message, done: (error) => (error === undefined ? resolve() : reject(error)) }
      setLeftAway(true)
      setAwayAuthor(name ? { name, email } : { email })
    })
  const { send } = chat
  useEffect(() => {
    const pending = away.current
    if (!pending || !awayAuthor) return
    away.current = null
    try {
      send(pending.message) // throws a validation error (author.email required) rather than queue without one
      pending.done()
    } catch (error) {
      pending.done(error)
    }
  }, [awayAuthor, send])
  const openPast = (id: number) => {
    if (id !== chat.conversationId) act(() => chat.open(id))
  }

  return (
    <WidgetShell
      open={open}
      onOpenChange={setOpen}
      unreadCount={unreadCount}
      theme={theme}
      placement={placement}
      locale={locale}
    >
      <ChatPanel
        title={title ?? widgetLabels(locale).panel.title}
        state={stateOf(chat)}
        messages={chat.messages}
        locale={locale}
        announcements={announcements}
        onSend={chat.send}
        onRetry={chat.retry}
        onDiscard={chat.discard}
        onRequestHuman={() => act(chat.requestHuman)}
        onEndChat={chat.conversationId === undefined ? undefined : () => act(chat.close)}
        onNewChat={() => {
          setActionError(null)
          setLeftAway(false)
          chat.reset()
        }}
        onTryAgain={() => act(() => chat.start())}
        onFeedback={(isPositive) => act(() => chat.leaveFeedback({ isPositive }))}
        hasOlder={chat.hasOlder}
        isLoadingOlder={chat.isLoadingOlder}
        onLoadOlder={() => act(chat.loadOlder)}
        onMinimise={() => setOpen(false)}
        actionError={actionError}
        persistWarning={chat.persistError !== null}
        onAwaySubmit={submitAway}
        awayDefaults={{ name: author?.name ?? '', email: author?.email ?? '' }}
        repliesByEmail={chat.availability.repliesByEmail}
        history={history.isSuccess ? { items: history.data, onOpen: openPast } : undefined}
        onRequestNotifications={
          notifications && attention.notificationPermission === 'default'
            ? () => void attention.requestNotifications()
            : undefined
        }
        onSignOut={
          chat.conversationId !== undefined || (history.data?.length ?? 0) > 0
            ? () =>
                act(async () => {
                  setAwayAuthor(null)
                  setLeftAway(false)
                  try {
                    await chat.signOut()
                  } finally {
                    // What the library cached was this visitor's (the history too): the next one starts clean.
                    await queryClient.resetQueries({ queryKey: chatKeys.all })
                  }
                  onSignOut?.()
                })
            : undefined
        }
      />
    </WidgetShell>
  )
}

/**
 * A small piece of state kept in the session's storage (or `localStorage`): the author the away form gave. Read once
 * on mount, written on every change, removed when set to `null` (a sign-out).
 */
function useKeptAuthor(storage: ChatSessionStorage | undefined, key: string) {
  const [kept] = useState(() => storage ?? browserStorage())
  const [value, setValue] = useState<UserValue | null>(() => {
    try {
      const parsed = JSON.parse(kept?.getItem(key) ?? 'null')
      if (!parsed || typeof parsed.email !== 'string') return null
      return typeof parsed.name === 'string' ? { name: parsed.name, email: parsed.email } : { email: parsed.email }
    } catch {
      return null
    }
  })
  const set = (next: UserValue | null) => {
    try {
      if (next) kept?.setItem(key, JSON.stringify(next))
      else kept?.removeItem(key)
    } catch {
      // A full or blocked storage: the author still holds for this page.
    }
    setValue(next)
  }
  return [value, set] as const
}
