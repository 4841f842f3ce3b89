'use client'
// useChatAttention: the attention rules of core (title badge, sound, notification while hidden) adapted to React.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import type { AnnouncerState } from '../../core/announcer'
import {
  type AttentionEnvironment,
  type AttentionPermission,
  browserAttention,
  type ChatAttention,
  type ChatAttentionOptions,
  type ChatAttentionSnapshot,
  createChatAttention,
} from '../../core/attention'

/** Options of {@link useChatAttention}. */
export interface UseChatAttentionOptions extends ChatAttentionOptions {
  /** The browser parts to use (tests, embedded views). Default: the page's own. Keep it the same object across renders. */
  environment?: AttentionEnvironment
}

/** What {@link useChatAttention} returns. */
export interface UseChatAttentionResult extends ChatAttentionSnapshot {
  /**
   * Asks the visitor for permission to show notifications: call it from a click on your own
   * button (browsers ignore or penalise prompts nobody asked for). Resolves with the answer.
   */
  requestNotifications(): Promise<AttentionPermission>
}

/** Before mount and on the server: nothing counted, notifications unknown (so no "enable" button flashes). */
const SERVER: ChatAttentionSnapshot = { count: 0, notificationPermission: 'unsupported' }
const none = () => () => {}
const server = () => SERVER

/**
 * Gets the visitor's attention while the page is hidden: each new agent or bot message puts the
 * unread count in the document's title (`"(2) Support"`, back to the plain title when the page
 * is shown), plays `sound` if given (a refused autoplay is ignored) and, once the visitor allowed
 * it, shows a `Notification`. It never asks for permission by itself: call `requestNotifications()`
 * from a button. Nothing runs during a server render.
 *
 * @example
 * ```tsx
 * const chat = useChatSession({ author })
 * const attention = useChatAttention(chat, { sound: '/sounds/ping.mp3' })
 * attention.notificationPermission === 'default' && (
 *   <button type="button" onClick={attention.requestNotifications}>Notify me of replies</button>
 * )
 * ```
 */
export function useChatAttention(
  session: AnnouncerState,
  options: UseChatAttentionOptions = {},
): UseChatAttentionResult {
  const { status, conversationId, conversation, messages, unreadCount } = session
  const { environment } = options
  const [attention, setAttention] = useState<ChatAttention | null>(null)

  // Created after mount (no document on a server), destroyed on unmount (the title goes back).
  // biome-ignore lint/correctness/useExhaustiveDependencies: options are passed on by the next effect, on every render.
  useEffect(() => {
    const created = createChatAttention(options, environment ?? browserAttention())
    setAttention(created)
    return () => created.destroy()
  }, [environment])
  useEffect(() => attention?.setOptions(options))
  useEffect(() => {
    attention?.update({ status, conversationId, conversation, messages, unreadCount })
  }, [attention, status, conversationId, conversation, messages, unreadCount])

  const snapshot = useSyncExternalStore(attention?.subscribe ?? none, attention?.getSnapshot ?? server, server)
  const requestNotifications = useCallback(
    () =>
      attention
        ? attention.requestNotifications()
        : ((environment ?? browserAttention()).notifications?.request() ?? Promise.resolve('unsupported' as const)),
    [attention, environment],
  )
  return { ...snapshot, requestNotifications }
}
