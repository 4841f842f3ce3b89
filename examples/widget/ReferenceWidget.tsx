// The reference widget: a launcher and a panel on top of useChatSession. Copy this folder and restyle widget.css;
// the library stays headless, so everything here is yours to change.
import { useEffect, useState } from 'react'
import { type ChatSessionStorage, type UserValue, useChatSession } from 'socialboards-chat-react'
import { ChatPanel, WidgetShell, type WidgetTheme } from './parts'
import { stateOf } from './words'
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
}

/**
 * A complete support widget: every session state in words, the unread count on the launcher, feedback once the chat
 * has ended, "Start a new chat" after it, Retry on a message that did not go.
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
}: ReferenceWidgetProps) {
  const [open, setOpen] = useState(defaultOpen)
  const [conversation] = useState(() => ({ title: 'Website chat', isBotEnabled }))
  const chat = useChatSession({ author, storage, storageKey, pollInterval, conversation })
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

  // TODO(#23, #24): history (`useMyConversations`), sign-out (`signOut`) and the offline form (`availability`) plug
  // in here as `history`, `onSignOut` and `onAwaySubmit` once the session has them; the stories show them now.
  return (
    <WidgetShell open={open} onOpenChange={setOpen} unreadCount={unreadCount} theme={theme} placement={placement}>
      <ChatPanel
        title={title}
        state={stateOf(chat)}
        messages={chat.messages}
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
      />
    </WidgetShell>
  )
}
