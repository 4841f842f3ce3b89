'use client'
// useChatAnnouncer: what a polite live region should say as the session changes (the pure diff lives in core).
import { useEffect, useRef, useState } from 'react'
import { type AnnouncerMessages, type AnnouncerState, announcementsOf, announcementTexts } from '../../core/announcer'

/** Options of {@link useChatAnnouncer}. */
export interface UseChatAnnouncerOptions {
  /** The words, in the visitor's language. Default English (`announcerMessagesEn`); `announcerMessagesNb` ships too. */
  messages?: AnnouncerMessages
  /** More new messages at once than this are told as one "N new messages". Default 3. */
  maxMessages?: number
  /** How many of the latest announcements stay in the region (older ones leave it). Default 3. */
  keep?: number
}

/** One thing to say: render each as its own element, keyed by `id`, inside the live region. */
export interface ChatAnnouncerItem {
  /** Unique within the hook's life: a new element for each announcement, so it is read even when its text repeats. */
  id: number
  text: string
}

/** What {@link useChatAnnouncer} returns. */
export interface ChatAnnouncer {
  /** The latest announcements, oldest first (at most `keep`). */
  announcements: readonly ChatAnnouncerItem[]
  /** The newest announcement's text; `''` before the first. */
  text: string
}

/**
 * The text for a polite live region as a chat changes: each new agent or bot message, an agent
 * joining, the chat closing, once each, in the visitor's language. Never the visitor's own
 * messages, nor history (what shows on the first render, after a remount or a reload, or with
 * `loadOlder`). Pass the session (`useChatSession`'s result, or any object with its `status`,
 * `conversationId`, `conversation`, `messages` and `unreadCount`).
 *
 * @example
 * ```tsx
 * const chat = useChatSession({ author })
 * const { announcements } = useChatAnnouncer(chat, { messages: announcerMessagesNb })
 * return (
 *   <>
 *     <ol role="log" aria-label="Messages">{chat.messages.map((m) => <li key={m.key}>{m.message}</li>)}</ol>
 *     <div aria-live="polite" className="visually-hidden">
 *       {announcements.map((item) => <p key={item.id}>{item.text}</p>)}
 *     </div>
 *   </>
 * )
 * ```
 */
export function useChatAnnouncer(session: AnnouncerState, options: UseChatAnnouncerOptions = {}): ChatAnnouncer {
  const { status, conversationId, conversation, messages, unreadCount } = session
  const { messages: words, maxMessages, keep = 3 } = options
  const previous = useRef<AnnouncerState | undefined>(undefined)
  const counter = useRef(0)
  const [announcements, setAnnouncements] = useState<readonly ChatAnnouncerItem[]>([])

  // biome-ignore lint/correctness/useExhaustiveDependencies: the words and limits of the moment a change arrives are used; changing them tells nothing.
  useEffect(() => {
    const next: AnnouncerState = { status, conversationId, conversation, messages, unreadCount }
    const found = announcementsOf(previous.current, next)
    previous.current = next
    if (!found.length) return
    const items = announcementTexts(found, { messages: words, maxMessages }).map((item) => ({
      id: ++counter.current,
      text: item.text,
    }))
    setAnnouncements((shown) => [...shown, ...items].slice(-Math.max(1, keep)))
  }, [status, conversationId, conversation, messages, unreadCount])

  return { announcements, text: announcements[announcements.length - 1]?.text ?? '' }
}
