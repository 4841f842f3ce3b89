// Getting a visitor's attention while the page is hidden: a title badge, a sound, a notification. The browser is
// injected (document title, visibility, audio, Notification), so the rules run anywhere and the module is SSR-safe.
import { type AnnouncerMessages, type AnnouncerState, announcementsOf, announcerMessagesEn } from './announcer'
import type { VisibilitySignal } from './index'
import type { ChatMessage } from './messages'

/** What the document's title is read from and written to. */
export interface AttentionDocument {
  title: string
}

/** What `Notification.permission` says, or `unsupported` where there is no `Notification`. */
export type AttentionPermission = NotificationPermission | 'unsupported'

/** The browser's notifications, as the attention rules use them. */
export interface AttentionNotifications {
  permission(): AttentionPermission
  /** Asks the visitor (the browser's prompt). Only ever called by `requestNotifications()`. */
  request(): Promise<AttentionPermission>
  show(title: string, options: { body: string; tag: string; icon?: string }): void
}

/** The browser parts the attention rules use; each may be missing (a server, a test). */
export interface AttentionEnvironment {
  document?: AttentionDocument
  visibility?: VisibilitySignal
  /** Plays the sound at `url`; may reject (browsers refuse autoplay before the visitor interacted). */
  playSound?: (url: string) => Promise<unknown> | undefined
  notifications?: AttentionNotifications
}

/** Options of {@link createChatAttention} and `useChatAttention`. */
export interface ChatAttentionOptions {
  /**
   * The unread count in the document's title while hidden: `true` for `"(2) Title"`
   * ({@link attentionTitle}), a function for your own, `false` for none. Default `true`.
   */
  title?: boolean | ((count: number, title: string) => string)
  /** A sound to play (once per batch of new messages) while hidden: your app's own URL. Default none. */
  sound?: string
  /**
   * Shows a `Notification` per batch of new messages while hidden, once the visitor has granted
   * permission. Never asks for it: call `requestNotifications()` from your own button. Default `true`.
   */
  notifications?: boolean
  /** An icon for notifications (your app's URL). */
  notificationIcon?: string
  /** The words of notifications. Default English (`announcerMessagesEn`). */
  messages?: AnnouncerMessages
}

/** What {@link createChatAttention} reports. */
export interface ChatAttentionSnapshot {
  /** New agent and bot messages since the page was hidden; 0 while it is shown. */
  count: number
  /** Whether notifications may be shown: `default` until the visitor is asked. */
  notificationPermission: AttentionPermission
}

/** The attention rules for one page, fed each session state. */
export interface ChatAttention {
  /** Feeds the session's latest state: new agent or bot messages while hidden badge, ring and notify. */
  update(state: AnnouncerState): void
  /** Changes the options (the latest are used from the next message on). */
  setOptions(options: ChatAttentionOptions): void
  getSnapshot(): ChatAttentionSnapshot
  subscribe(listener: () => void): () => void
  /** Asks the visitor for notification permission: call it from a click, never on load. */
  requestNotifications(): Promise<AttentionPermission>
  /** Puts the title back and stops listening. */
  destroy(): void
}

/** The default title badge: `"(3) Support"`; the plain title for 0. */
export function attentionTitle(count: number, title: string): string {
  return count > 0 ? `(${count}) ${title}` : title
}

const BODY_LENGTH = 160
const clip = (text: string) => (text.length > BODY_LENGTH ? `${text.slice(0, BODY_LENGTH - 1)}…` : text)

/**
 * The browser's document, visibility, audio and notifications, read when called (never at import,
 * so it is safe on a server, where it returns an empty environment).
 */
export function browserAttention(): AttentionEnvironment {
  const scope = globalThis as {
    document?: Document
    Audio?: typeof Audio
    Notification?: typeof Notification
    focus?: () => void
  }
  const document = scope.document
  if (!document) return {}
  const sounds = new Map<string, HTMLAudioElement>()
  const NotificationClass = scope.Notification
  return {
    document,
    visibility: {
      isVisible: () => document.visibilityState !== 'hidden',
      subscribe: (listener) => {
        document.addEventListener('visibilitychange', listener)
        return () => document.removeEventListener('visibilitychange', listener)
      },
    },
    playSound: scope.Audio
      ? (url) => {
          let audio = sounds.get(url)
          if (!audio) {
            audio = new (scope.Audio as typeof Audio)(url)
            sounds.set(url, audio)
          }
          audio.currentTime = 0
          return audio.play()
        }
      : undefined,
    notifications: NotificationClass
      ? {
          permission: () => NotificationClass.permission,
          // The callback form too: older Safari returns nothing from requestPermission.
          request: () =>
            new Promise<AttentionPermission>((resolve) => {
              const answer = NotificationClass.requestPermission(resolve)
              if (answer) answer.then(resolve, () => resolve(NotificationClass.permission))
            }),
          show(title, options) {
            const notification = new NotificationClass(title, options)
            notification.onclick = () => {
              scope.focus?.()
              notification.close()
            }
          },
        }
      : undefined,
  }
}

/**
 * The attention rules: while the page is hidden, each batch of new agent or bot messages (as
 * `announcementsOf` finds them: never history, never the visitor's own) raises the title's count,
 * plays `sound` and, with permission, shows a notification; when the page is shown again the
 * title is put back. A sound the browser refuses (autoplay) and a notification it cannot show are
 * ignored: nothing here throws at the app.
 *
 * @example
 * ```ts
 * const attention = createChatAttention({ sound: '/sounds/ping.mp3' })
 * session.subscribe(() => attention.update(session.getSnapshot()))
 * ```
 */
export function createChatAttention(
  options: ChatAttentionOptions = {},
  environment: AttentionEnvironment = browserAttention(),
): ChatAttention {
  let current = options
  let previous: AnnouncerState | undefined
  let count = 0
  /** The title before the badge, and the badged title this wrote (to tell whether the app changed it since). */
  let base: string | undefined
  let shown: string | undefined
  const { document, visibility, notifications } = environment
  const permission = () => notifications?.permission() ?? 'unsupported'
  let snapshot: ChatAttentionSnapshot = { count, notificationPermission: permission() }
  const listeners = new Set<() => void>()
  const publish = () => {
    const next = { count, notificationPermission: permission() }
    if (next.count === snapshot.count && next.notificationPermission === snapshot.notificationPermission) return
    snapshot = next
    for (const listener of [...listeners]) listener()
  }

  const restore = () => {
    if (document && shown !== undefined && document.title === shown && base !== undefined) document.title = base
    base = shown = undefined
  }
  const clear = () => {
    restore()
    count = 0
    publish()
  }
  const badge = () => {
    const format = current.title ?? true
    if (!document || format === false) return
    // The app changed the title meanwhile: the badge goes on its new title.
    if (shown === undefined || document.title !== shown) base = document.title
    shown = (format === true ? attentionTitle : format)(count, base as string)
    document.title = shown
  }
  const ring = () => {
    if (!current.sound || !environment.playSound) return
    try {
      environment.playSound(current.sound)?.catch(() => {})
    } catch {
      // A browser without audio, or one that refuses it: no sound, no error.
    }
  }
  const notify = (latest: ChatMessage, conversationId: number | undefined) => {
    if (current.notifications === false || !notifications || permission() !== 'granted') return
    const messages = current.messages ?? announcerMessagesEn
    try {
      notifications.show(messages.notificationTitle(count, latest.author.name?.trim() || undefined), {
        body: clip(latest.message),
        // One notification per conversation: a newer one replaces it.
        tag: `socialboards-chat-${conversationId ?? 'new'}`,
        ...(current.notificationIcon ? { icon: current.notificationIcon } : {}),
      })
    } catch {
      // Some browsers (Android Chrome) allow notifications only from a service worker.
    }
  }

  const unsubscribe = visibility?.subscribe(() => {
    if (visibility.isVisible()) clear()
  })

  return {
    update(state) {
      const last = previous
      previous = state
      if (last && last.conversationId !== state.conversationId && count) clear()
      if (!visibility || visibility.isVisible()) return
      const arrived = announcementsOf(last, state).flatMap((found) => (found.kind === 'message' ? [found.message] : []))
      const latest = arrived[arrived.length - 1]
      if (!latest) return
      count += arrived.length
      badge()
      ring()
      notify(latest, state.conversationId)
      publish()
    },
    setOptions(options) {
      current = options
    },
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async requestNotifications() {
      if (!notifications) return 'unsupported'
      const answer = await notifications.request()
      publish()
      return answer
    },
    destroy() {
      unsubscribe?.()
      restore()
      listeners.clear()
    },
  }
}
