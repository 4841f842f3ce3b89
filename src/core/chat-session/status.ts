// The session's status and queue place, derived from its facts alone.
import type { ChatMessage } from '../messages'
import type { Conversation } from '../types'
import { ALWAYS_OPEN } from './availability' // #24 availability
import { unreadCount } from './marks'
import type { SessionModel } from './model'
import type { ChatSessionState, ChatSessionStatus, QueuePosition, SessionFacts } from './types'

/** The queue state a conversation reports, or `null` when it reports none. */
export function toQueuePosition(conversation: Conversation): QueuePosition | null {
  const info = conversation.queuePositionInfo
  if (!info) return null
  return { position: info.position, waitTime: info.waitTime ?? null, isWithAgent: info.position === -1 }
}

/**
 * The session's status, from its facts alone:
 * no conversation → `starting` while a start runs, `error` if the last one failed, else `idle`;
 * a conversation not read yet → `error` if reading it failed, else `resuming` (it was found in
 * storage or started by another tab: a start here holds the conversation it created, read);
 * then `closed`; a bot chat whose takeover is not read yet stays `starting` (or `resuming`); then
 * `with-bot` (a bot conversation its bot still has), `with-agent` (queue position -1), else `queued`.
 */
export function sessionStatus(facts: SessionFacts): ChatSessionStatus {
  if (facts.conversationId === undefined) return facts.starting ? 'starting' : facts.startFailed ? 'error' : 'idle'
  const conversation = facts.conversation
  if (!conversation) return facts.readFailed ? 'error' : 'resuming'
  if (conversation.isClosed) return 'closed'
  // A bot chat whose takeover is not read yet is still arriving: never `queued` before its first `with-bot`.
  if (facts.isBotEnabled && !facts.takeover) return facts.resumed === false ? 'starting' : 'resuming'
  if (facts.isBotEnabled && facts.takeover?.isAssignedToBot) return 'with-bot'
  if (conversation.queuePositionInfo?.position === -1) return 'with-agent'
  return 'queued'
}

/** The state a chat UI shows, from the model, the message view and the storage's last error. */
export function stateOf(
  model: SessionModel,
  messages: readonly ChatMessage[],
  persistError: Error | null,
): ChatSessionState {
  const { conversation, history } = model
  const conversationId = model.stored?.conversationId
  return {
    status: sessionStatus({
      conversationId,
      starting: model.starting > 0,
      startFailed: model.startError !== null,
      conversation,
      readFailed: model.readError !== null,
      isBotEnabled: model.stored?.isBotEnabled === true,
      takeover: model.takeover,
      resumed: conversationId !== model.startedHere,
    }),
    conversationId,
    conversation,
    messages,
    hasOlder: history.total > history.byId.size,
    isLoadingOlder: model.loadingOlder,
    unreadCount: unreadCount(history.list, model.seen, history.total),
    queue: conversation ? toQueuePosition(conversation) : null,
    error: conversationId === undefined ? model.startError : model.readError,
    endReason: model.endReason,
    previousConversationId: model.previous?.conversationId ?? model.stored?.previous,
    persistError,
    availability: ALWAYS_OPEN, // #24 availability: the engine applies its schedule (withAvailability)
  }
}

const sameQueue = (a: QueuePosition | null, b: QueuePosition | null) =>
  a === b || (a !== null && b !== null && a.position === b.position && a.waitTime === b.waitTime)

/**
 * The state to publish after `previous`: `previous` itself when nothing in it changed (so nothing
 * re-renders), else `next`, keeping the previous queue object while it is equal.
 */
export function nextState(previous: ChatSessionState | undefined, next: ChatSessionState): ChatSessionState {
  if (!previous) return next
  const keys = Object.keys(next) as (keyof ChatSessionState)[]
  const sameQueues = sameQueue(previous.queue, next.queue)
  if (keys.every((key) => (key === 'queue' ? sameQueues : previous[key] === next[key]))) return previous
  return sameQueues ? { ...next, queue: previous.queue } : next
}
