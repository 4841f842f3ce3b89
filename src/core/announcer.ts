// What a change of session state means to someone who cannot see it: a pure diff of two states, and its words.
// Session types come through the core entry (type-only), so this file does not depend on where the engine lives.
import type { ChatSessionState, ChatSessionStatus } from './index'
import type { ChatMessage } from './messages'

/** The part of a session's state the announcer reads (a `ChatSessionState`, or `useChatSession`'s result). */
export type AnnouncerState = Pick<
  ChatSessionState,
  'status' | 'conversationId' | 'conversation' | 'messages' | 'unreadCount'
>

/** One thing worth telling: a new agent or bot message, an agent joining, or the chat closing. */
export type ChatAnnouncement =
  | {
      kind: 'message'
      /** A stable id for this announcement (the message's key). */
      key: string
      message: ChatMessage
    }
  | { kind: 'agent-joined'; key: string }
  | { kind: 'closed'; key: string }

/**
 * The visitor-facing words of the announcer and of `useChatAttention`'s notifications, one set per
 * language. Fill one for each language your visitors use; English ({@link announcerMessagesEn})
 * and Norwegian Bokmål (`announcerMessagesNb`) ship with the library.
 */
export interface AnnouncerMessages {
  /** A new agent message. `name` is the agent's name when the API gives one. */
  agentMessage(text: string, name: string | undefined): string
  /** A new bot message. `name` is the bot's name when the API gives one. */
  botMessage(text: string, name: string | undefined): string
  /** More new messages arrived at once than are read out one by one (see `maxMessages`). */
  manyMessages(count: number): string
  /** An agent took the conversation (from the queue or from the bot). */
  agentJoined(): string
  /** The conversation was closed. */
  closed(): string
  /** A browser notification's title for new messages while the page is hidden. */
  notificationTitle(count: number, name: string | undefined): string
}

/** The English words (the default). */
export const announcerMessagesEn: AnnouncerMessages = {
  agentMessage: (text, name) => `${name ?? 'Agent'} says: ${text}`,
  botMessage: (text, name) => `${name ?? 'Bot'} (bot) says: ${text}`,
  manyMessages: (count) => `${count} new messages.`,
  agentJoined: () => 'An agent has joined the chat.',
  closed: () => 'The chat has ended.',
  notificationTitle: (count, name) =>
    count > 1 ? `${count} new messages` : name ? `New message from ${name}` : 'New message',
}

/** Statuses of an open conversation: an agent joining or the chat closing is news only after one of these. */
const OPEN: ReadonlySet<ChatSessionStatus> = new Set(['queued', 'with-bot', 'with-agent'])

const isStored = (message: ChatMessage) => message.localId === undefined && message.id !== undefined

/**
 * What changed between two states of one session that a visitor should hear, oldest first:
 * - each agent or bot message that is new in `next` and newer than every stored message `previous`
 *   had (older history loaded with `loadOlder` is not news; the visitor's own messages never are);
 * - `agent-joined` when the status goes from `queued` or `with-bot` to `with-agent`;
 * - `closed` when it goes from an open status to `closed`.
 *
 * Nothing is news when there is no `previous` (a first render, a remount), when the conversation
 * changed, or while `previous` had not read its conversation yet (a resume: its history shows at
 * once). When `previous` had no stored message yet (a new conversation's first load), at most
 * `next.unreadCount` of the newest count, so history the session marked as seen stays quiet.
 */
export function announcementsOf(previous: AnnouncerState | undefined, next: AnnouncerState): ChatAnnouncement[] {
  if (!previous?.conversation || previous.conversationId !== next.conversationId) return []
  const found: ChatAnnouncement[] = []
  if (next.messages !== previous.messages) {
    const before = new Set<string>()
    let hadStored = false
    for (const message of previous.messages) {
      before.add(message.key)
      if (isStored(message)) hadStored = true
    }
    // Only what comes after the newest message both states share is new; anything before it is older history.
    let start = 0
    for (let index = next.messages.length - 1; index >= 0; index--) {
      const message = next.messages[index] as ChatMessage
      if (isStored(message) && before.has(message.key)) {
        start = index + 1
        break
      }
    }
    let fresh = next.messages
      .slice(start)
      .filter((message) => isStored(message) && message.role !== 'visitor' && !before.has(message.key))
    if (!hadStored) fresh = next.unreadCount > 0 ? fresh.slice(-next.unreadCount) : []
    for (const message of fresh) found.push({ kind: 'message', key: message.key, message })
  }
  if (previous.status !== next.status) {
    const id = next.conversationId
    if (next.status === 'with-agent' && (previous.status === 'queued' || previous.status === 'with-bot'))
      found.push({ kind: 'agent-joined', key: `agent-joined-${id}-${next.messages.length}` })
    if (next.status === 'closed' && OPEN.has(previous.status)) found.push({ kind: 'closed', key: `closed-${id}` })
  }
  return found
}

const nameOf = (message: ChatMessage) => message.author.name?.trim() || undefined

/**
 * The words for announcements, in the visitor's language (`messages`, default English), one text
 * each; when more than `maxMessages` (default 3) messages arrived at once, one `manyMessages` text
 * takes their place.
 *
 * @example
 * ```ts
 * const texts = announcementTexts(announcementsOf(previous, next), { messages: announcerMessagesNb })
 * ```
 */
export function announcementTexts(
  announcements: readonly ChatAnnouncement[],
  options: { messages?: AnnouncerMessages; maxMessages?: number } = {},
): { key: string; text: string }[] {
  const messages = options.messages ?? announcerMessagesEn
  const count = announcements.filter((announcement) => announcement.kind === 'message').length
  const many = count > (options.maxMessages ?? 3)
  const texts: { key: string; text: string }[] = []
  for (const announcement of announcements) {
    if (announcement.kind === 'message') {
      if (many) {
        if (!texts.some((text) => text.key.startsWith('many-')))
          texts.push({ key: `many-${announcement.key}`, text: messages.manyMessages(count) })
        continue
      }
      const { message } = announcement
      const say = message.role === 'bot' ? messages.botMessage : messages.agentMessage
      texts.push({ key: announcement.key, text: say(message.message, nameOf(message)) })
    } else
      texts.push({
        key: announcement.key,
        text: announcement.kind === 'closed' ? messages.closed() : messages.agentJoined(),
      })
  }
  return texts
}
