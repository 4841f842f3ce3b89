// The reference widget: a launcher and a panel on top of useChatSession. Copy this folder and restyle widget.css;
// the library stays headless, so everything here is yours to change.
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import {
  type ChatSessionStorage,
  chatKeys,
  type UserValue,
  useChatAnnouncer,
  useChatAttention,
  useChatSession,
  useMyConversations,
} from 'socialboards-chat-react'
import { type AwayFormValues, ChatPanel, WidgetShell, type WidgetTheme } from './parts'
import { announcerWords, stateOf, type WidgetLocale } from './words'
import './widget.css'

/** Props of {@link ReferenceWidget}. */
export interface ReferenceWidgetProps {
  /** The visitor. Without an identifier the session makes an anonymous one. */
  author?: UserValue
  /** The panel's heading. Default "Support". */
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
   * The visitor's language for errors and for what a screen reader is told: `'nb'` (Norwegian Bokmål) or English
   * (the default), or several in order of preference (`navigator.languages`).
   */
  locale?: WidgetLocale
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
  title = 'Support',
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
}: ReferenceWidgetProps) {
  const [open, setOpen] = useState(defaultOpen)
  const [conversation] = useState(() => ({ title: 'Website chat', isBotEnabled }))
  // What the visitor typed into the away form (name, email) joins the app's author.
  const [awayAuthor, setAwayAuthor] = useState<UserValue | null>(null)
  const chat = useChatSession({
    author: awayAuthor ? { ...author, ...awayAuthor } : author,
    storage,
    storageKey,
    pollInterval,
    conversation,
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
  // `availability` (#24 item 4) is read through a widened type so this typechecks before the session has it.
  // TODO(#24 item 4): once `ChatSession` has `availability`, read `chat.availability.repliesByEmail` directly.
  const availability = (chat as { availability?: { repliesByEmail?: boolean } }).availability
  const openPast = (id: number) => {
    if (id !== chat.conversationId) act(() => chat.open(id))
  }

  return (
    <WidgetShell open={open} onOpenChange={setOpen} unreadCount={unreadCount} theme={theme} placement={placement}>
      <ChatPanel
        title={title}
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
        repliesByEmail={availability?.repliesByEmail === true}
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
