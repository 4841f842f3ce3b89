// The session model: one record for the conversation the session holds, pure transitions, and the stale-answer check.

import type { ConversationTakeover } from '../endpoints'
import type { ChatApiError } from '../errors'
import type { ChatMessage } from '../messages'
import type { Conversation, ConversationMessage, UserValue } from '../types'
import { EMPTY_HISTORY, type History, mergeHistory } from './history'
import { type Mark, type Marks, markOf } from './marks'
import type { Stored } from './stored'
import type { ChatSessionEndReason } from './types'

/** Everything the session knows about the conversation it holds (or the lack of one). */
export interface SessionModel {
  /** Counts the conversations held: moves whenever the conversation held changes, so older answers are known stale. */
  epoch: number
  /** The conversation held, as storage keeps it; `null`: none. */
  stored: Stored | null
  /** The conversation found in storage at start-up, until the server confirms it (`verified`). */
  resumedId: number | undefined
  verified: boolean
  /** Starts under way. */
  starting: number
  startError: ChatApiError | null
  /** As last read (or created). */
  conversation: Conversation | undefined
  readError: ChatApiError | null
  takeover: ConversationTakeover | undefined
  endReason: ChatSessionEndReason | null
  /** The conversation started in this session (its first messages are news, not history). */
  startedHere: number | undefined
  /** The newest message the visitor has seen. */
  seen: Mark | undefined
  loadingOlder: boolean
  /** The URL last sent (or given with the create), and the one wanted. */
  lastUrl: string | undefined
  wantedUrl: string | undefined
  history: History
  /**
   * The closed conversation a follow-up left, and its messages as they were shown: still shown
   * before the follow-up's until the visitor moves on (`reset`, `signOut`, `open`, another visitor).
   */
  previous: { conversationId: number; messages: readonly ChatMessage[] } | undefined
}

/** The conversation (and its epoch) an asynchronous request was made for. */
export interface Asked<Id extends number | undefined = number> {
  conversationId: Id
  epoch: number
}

/** Something that happened to the session. Events that answer a request carry what it was `asked` for. */
export type SessionEvent =
  | { type: 'held'; stored: Stored | null; conversation?: Conversation; seen: Mark | undefined; resumed?: boolean }
  | { type: 'read'; asked: Asked; conversation: Conversation }
  | { type: 'read failed'; asked: Asked; error: ChatApiError }
  | {
      type: 'newest loaded'
      asked: Asked
      messages: readonly ConversationMessage[]
      total: number
      visitor: UserValue
      /** The marks storage held before: on a resume without a seen mark, what is loaded counts as seen. */
      marks: Marks | null
    }
  | { type: 'older loading'; loading: boolean; asked?: Asked }
  | { type: 'older loaded'; asked: Asked; messages: readonly ConversationMessage[]; visitor: UserValue }
  /** After a reload: the closed conversation the held one followed up, read again to show it above. */
  | {
      type: 'previous loaded'
      asked: Asked
      conversationId: number
      messages: readonly ConversationMessage[]
      visitor: UserValue
    }
  | { type: 'seen'; mark: Mark | undefined }
  | { type: 'takeover changed'; asked: Asked; takeover: ConversationTakeover }
  /** An opened conversation, taken for a bot chat until its takeover was read: now known to be one or not. */
  | { type: 'bot chat known'; asked: Asked; isBot: boolean }
  | { type: 'conversation changed'; asked: Asked; change: Partial<Conversation> }
  | { type: 'page wanted'; url: string }
  | { type: 'page sent'; asked: Asked; url: string | undefined }
  | { type: 'forgotten'; reason: ChatSessionEndReason | null; asked?: Asked }
  | { type: 'signed out' }
  /** The visitor opened a past conversation (`open`): held, with nothing of the one left. */
  | { type: 'opened'; stored: Stored; seen: Mark | undefined }
  /** The held conversation closed and the visitor writes on: it is let go, its messages (`shown`) kept readable. */
  | { type: 'followed up'; shown: readonly ChatMessage[] }
  | { type: 'start began' }
  | {
      type: 'started'
      /** What the start was asked for: a start that lands after a reset, a sign-out or a switch is dropped. */
      asked: Asked<number | undefined>
      stored: Stored
      conversation: Conversation
      url: string | undefined
      seen: Mark | undefined
    }
  | { type: 'start ended'; error?: ChatApiError }

/** A session holding nothing yet. */
export const INITIAL_MODEL: SessionModel = {
  epoch: 0,
  stored: null,
  resumedId: undefined,
  verified: false,
  starting: 0,
  startError: null,
  conversation: undefined,
  readError: null,
  takeover: undefined,
  endReason: null,
  startedHere: undefined,
  seen: undefined,
  loadingOlder: false,
  lastUrl: undefined,
  wantedUrl: undefined,
  history: EMPTY_HISTORY,
  previous: undefined,
}

/** What a start begun now is asked for: the conversation held (none, usually) and the epoch. */
export const askToStart = (model: SessionModel): Asked<number | undefined> => ({
  conversationId: model.stored?.conversationId,
  epoch: model.epoch,
})

/** What a request made now is asked for; `undefined` when the session holds no conversation. */
export function askFor(model: SessionModel): Asked | undefined {
  const conversationId = model.stored?.conversationId
  return conversationId === undefined ? undefined : { conversationId, epoch: model.epoch }
}

/**
 * THE stale-answer rule: an answer counts only while the session still holds the conversation (and
 * the epoch) it was asked for. After a reset, a sign-out, another tab's start or a follow-up it is dropped.
 */
export function isCurrent(model: SessionModel, asked: Asked<number | undefined> | undefined): boolean {
  return asked === undefined || (asked.epoch === model.epoch && asked.conversationId === model.stored?.conversationId)
}

/** Makes `stored` the conversation held; a different one lets everything of the previous go. */
function held(model: SessionModel, stored: Stored | null, conversation?: Conversation, seen?: Mark): SessionModel {
  if (stored?.conversationId === model.stored?.conversationId)
    return { ...model, stored, ...(conversation ? { conversation } : {}) }
  return {
    ...model,
    epoch: model.epoch + 1,
    stored,
    conversation,
    takeover: undefined,
    readError: null,
    history: EMPTY_HISTORY,
    loadingOlder: false,
    lastUrl: undefined,
    seen,
  }
}

/** The conversation as read: the same answer as last time keeps the same object (nothing re-renders). */
function read(model: SessionModel, fresh: Conversation): SessionModel {
  const same = model.conversation && JSON.stringify(model.conversation) === JSON.stringify(fresh)
  const verified = model.verified || model.stored?.conversationId === model.resumedId
  return { ...model, readError: null, verified, conversation: same ? model.conversation : fresh }
}

/** The newest page(s) merged in; on a first load of a conversation not started here, what is loaded counts as seen unless a mark says otherwise. */
function newestLoaded(model: SessionModel, event: Extract<SessionEvent, { type: 'newest loaded' }>): SessionModel {
  const first = model.history.total < 0
  const merged = mergeHistory(model.history, event.messages, [model.conversation?.author, event.visitor])
  const history = { ...merged, total: event.total }
  const newest = merged.added[merged.added.length - 1]
  const settles = first && model.stored?.conversationId !== model.startedHere && newest && !event.marks?.seen
  return { ...model, history, ...(settles ? { seen: markOf(newest) } : {}) }
}

/** Why the session must let a resumed conversation go after this answer: closed, or gone (404). Only a definite answer does. */
export function resumeEnding(
  model: SessionModel,
  asked: Asked,
  answer: { conversation: Conversation } | { error: ChatApiError },
): ChatSessionEndReason | null {
  const { conversationId } = asked
  if (conversationId !== model.resumedId || model.verified) return null
  if ('conversation' in answer) return answer.conversation.isClosed ? { kind: 'closed', conversationId } : null
  const { error } = answer
  return error.kind === 'http' && error.status === 404 ? { kind: 'missing', conversationId, error } : null
}

/** The pure transition: `(model, event) → model`. */
export function transition(model: SessionModel, event: SessionEvent): SessionModel {
  switch (event.type) {
    case 'held': {
      const next = held(model, event.stored, event.conversation, event.seen)
      return event.resumed && event.stored ? { ...next, resumedId: event.stored.conversationId } : next
    }
    case 'read':
      return read(model, event.conversation)
    case 'read failed':
      return { ...model, readError: event.error }
    case 'newest loaded':
      return newestLoaded(model, event)
    case 'older loading':
      return { ...model, loadingOlder: event.loading }
    case 'older loaded':
      return {
        ...model,
        history: mergeHistory(model.history, event.messages, [model.conversation?.author, event.visitor]),
      }
    case 'seen':
      return { ...model, seen: event.mark }
    case 'takeover changed':
      return { ...model, takeover: event.takeover }
    case 'conversation changed':
      return model.conversation ? { ...model, conversation: { ...model.conversation, ...event.change } } : model
    case 'page wanted':
      return { ...model, wantedUrl: event.url }
    case 'page sent':
      return { ...model, lastUrl: event.url }
    case 'forgotten': {
      // A new holding even with nothing held: a start under way belongs to what was forgotten.
      const next = held({ ...model, resumedId: undefined, endReason: event.reason, previous: undefined }, null)
      const moved = { ...next, epoch: model.epoch + 1, starting: 0 }
      return event.reason ? moved : { ...moved, startError: null }
    }
    case 'signed out': {
      // A new holding even with nothing held: whatever was asked before belongs to the visitor who left.
      const next = held(
        { ...model, resumedId: undefined, endReason: null, startError: null, previous: undefined },
        null,
      )
      return {
        ...next,
        epoch: model.epoch + 1,
        starting: 0,
        startedHere: undefined,
        seen: undefined,
        wantedUrl: undefined,
      }
    }
    case 'followed up': {
      const closed = model.stored?.conversationId
      if (closed === undefined) return model
      const messages = [...(model.previous?.messages ?? []), ...event.shown]
      const next = held({ ...model, resumedId: undefined, endReason: null, startError: null }, null)
      return { ...next, startedHere: undefined, previous: { conversationId: closed, messages } }
    }
    case 'bot chat known': {
      if (!model.stored?.botUnknown) return model
      const { botUnknown: _known, ...stored } = model.stored
      return { ...model, stored: { ...stored, isBotEnabled: event.isBot } }
    }
    case 'previous loaded': {
      if (model.previous || model.stored?.previous !== event.conversationId) return model
      const { list } = mergeHistory(EMPTY_HISTORY, event.messages, [model.conversation?.author, event.visitor])
      return { ...model, previous: { conversationId: event.conversationId, messages: list } }
    }
    case 'opened': {
      const next = held({ ...model, resumedId: undefined, previous: undefined }, event.stored, undefined, event.seen)
      return { ...next, endReason: null, startError: null }
    }
    case 'start began':
      return { ...model, starting: model.starting + 1 }
    case 'started': {
      const next = held(model, event.stored, event.conversation, event.seen)
      return {
        ...next,
        startedHere: event.stored.conversationId,
        endReason: null,
        startError: null,
        lastUrl: event.url,
      }
    }
    case 'start ended':
      return { ...model, starting: model.starting - 1, ...(event.error ? { startError: event.error } : {}) }
  }
}
