// What a change of state means for the app's callbacks (a pure diff), and new messages told once across tabs.
import type { ChatApiError } from '../errors'
import type { ChatMessage } from '../messages'
import { type Lock, STORAGE_SETTLE_MS, type Timers } from '../outbox'
import { isAfter, type MarkStore, markOf } from './marks'
import type { ChatSessionEvents, ChatSessionState, ChatSessionStatus } from './types'

/** The callbacks a session tells. */
export const EVENT_NAMES = ['onMessage', 'onStatusChange', 'onAgentJoined', 'onClosed', 'onError'] as const

const OPEN = new Set<ChatSessionStatus>(['queued', 'with-bot', 'with-agent'])

/** One callback call. */
export type Told =
  | ['onStatusChange', ChatSessionStatus, ChatSessionStatus]
  | ['onAgentJoined']
  | ['onClosed']
  | ['onError', ChatApiError]

/**
 * The callbacks a change of state means, in order. `reported` holds the local ids of failed messages
 * already told (each failure is told once); it is updated.
 */
export function changeEvents(previous: ChatSessionState, next: ChatSessionState, reported: Set<number>): Told[] {
  const told: Told[] = []
  if (previous.status !== next.status) {
    told.push(['onStatusChange', next.status, previous.status])
    if (next.status === 'with-agent' && (previous.status === 'queued' || previous.status === 'with-bot'))
      told.push(['onAgentJoined'])
    if (next.status === 'closed' && OPEN.has(previous.status)) told.push(['onClosed'])
  }
  if (next.error && next.error !== previous.error) told.push(['onError', next.error])
  if (next.messages === previous.messages) return told
  // The visitor's own messages are at the end: each failure is told once.
  for (let index = next.messages.length - 1; index >= 0; index--) {
    const message = next.messages[index] as ChatMessage
    if (message.localId === undefined) break
    if (message.status !== 'failed') reported.delete(message.localId)
    else if (!reported.has(message.localId) && message.error) {
      reported.add(message.localId)
      told.push(['onError', message.error])
    }
  }
  return told
}

/** Calls an event callback; one that throws is reported later, and breaks nothing here. */
export function fire(events: ChatSessionEvents, timers: Timers, [name, ...args]: Told | ['onMessage', ChatMessage]) {
  const callback = events[name] as ((...values: unknown[]) => void) | undefined
  try {
    callback?.(...args)
  } catch (error) {
    timers.setTimeout(() => {
      throw error
    }, 0)
  }
}

/** What {@link announceMessages} needs. */
export interface Announcer {
  lock: Lock
  /** The lock's name, shared by the tabs on the same storage. */
  lockName: string
  marks: MarkStore
  timers: Timers
  /** Whether the session still holds the conversation. */
  holds: (conversationId: number) => boolean
  tell: (message: ChatMessage) => void
  onStoreError: (error: Error) => void
}

/**
 * Tells each new agent or bot message once: the announced mark in storage is shared by tabs. A
 * browser shows one tab's storage write to another a moment later, so the mark is read and moved
 * under the tabs' lock, which the tab that told holds a little longer: a tab that saw the same
 * message reads the mark only once the write has reached it.
 */
export function announceMessages(announcer: Announcer, conversationId: number, added: readonly ChatMessage[]) {
  const theirs = added.filter((message) => message.role !== 'visitor')
  if (!theirs.length) return
  const { marks, timers } = announcer
  announcer
    .lock(announcer.lockName, async () => {
      if (!announcer.holds(conversationId)) return
      const announced = marks.read(conversationId)?.announced
      const fresh = theirs.filter((message) => isAfter(markOf(message), announced))
      const newest = fresh[fresh.length - 1]
      if (!newest) return
      const error = marks.write(conversationId, { announced: markOf(newest) })
      if (error) announcer.onStoreError(error)
      for (const message of fresh) announcer.tell(message)
      await new Promise<void>((resolve) => timers.setTimeout(() => resolve(), STORAGE_SETTLE_MS))
    })
    .catch(() => {})
}

/**
 * History shown on a resume (or another tab's start) is not news: marks missing from storage start
 * at its newest message, so old history is neither told nor unread.
 */
export function settleMarks(
  marks: MarkStore,
  conversationId: number,
  added: readonly ChatMessage[],
): Error | null | undefined {
  const newest = added[added.length - 1]
  const kept = marks.read(conversationId)
  if (!newest || (kept?.seen && kept.announced)) return undefined
  const mark = markOf(newest)
  return marks.write(conversationId, { seen: kept?.seen ?? mark, announced: kept?.announced ?? mark })
}
