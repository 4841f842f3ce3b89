// What the widget says to the visitor: every session state in plain words, never a raw status value or a log line.
import {
  type AnnouncerMessages,
  announcerMessagesEn,
  announcerMessagesNb,
  type ChatSession,
  type ConversationFeedback,
  describeError,
  describeIssue,
  type ValidationIssue,
} from 'socialboards-chat-react'
import { errorCatalogNb } from 'socialboards-chat-react/core'
import { languageOf, type WidgetLocale, widgetLabels } from './labels'

export type { WidgetLocale }

/** The error catalogs the widget ships (English is built into `describeError`). Add yours here. */
const errorCatalogs = { nb: errorCatalogNb }

/** What a screen reader (and a notification) is told, by language. Add yours here. */
const announcerCatalogs: Readonly<Record<string, AnnouncerMessages>> = {
  en: announcerMessagesEn,
  nb: announcerMessagesNb,
  no: announcerMessagesNb,
}

/** The announcer's (and notifications') words by language; the first of `locale` found wins, else English. */
export function announcerWords(locale: WidgetLocale | undefined): AnnouncerMessages {
  return announcerCatalogs[languageOf(locale, announcerCatalogs)] ?? announcerMessagesEn
}

/**
 * What the panel shows, in the widget's own terms. `resuming` is a start that picks up a stored conversation;
 * `offline` is the session's status outside its `availability` schedule (#24 item 4); `left` is a message left then,
 * waiting for the team (`availability.repliesByEmail`): the reply goes to `email`, not to a queue the visitor waits in.
 */
export type WidgetState =
  | { kind: 'welcome'; previousEnded: boolean }
  | { kind: 'starting' }
  | { kind: 'resuming' }
  | { kind: 'queued'; position: number | null; waitMinutes: number | null }
  | { kind: 'bot' }
  | { kind: 'agent'; agentName: string | null }
  | { kind: 'closed'; feedback: ConversationFeedback | null }
  | { kind: 'offline' }
  | { kind: 'left'; email: string | null }
  | { kind: 'error'; error: unknown; canRetry: boolean }

/** The session's state as the widget shows it. */
export function stateOf(
  chat: Pick<
    ChatSession,
    'status' | 'conversationId' | 'conversation' | 'queue' | 'messages' | 'error' | 'endReason' | 'availability'
  >,
): WidgetState {
  // Left outside opening hours and nobody has picked it up yet: no place in line to wait in, the answer comes by email.
  if (chat.availability.repliesByEmail && (chat.status === 'queued' || chat.status === 'with-bot'))
    return { kind: 'left', email: chat.conversation?.author.email ?? null }
  switch (chat.status) {
    case 'idle':
      return { kind: 'welcome', previousEnded: chat.endReason !== null }
    case 'offline':
      return { kind: 'offline' }
    case 'resuming':
      return { kind: 'resuming' }
    case 'starting':
      return { kind: 'starting' }
    case 'queued':
      return {
        kind: 'queued',
        position: chat.queue && chat.queue.position > 0 ? chat.queue.position : null,
        waitMinutes: chat.queue?.waitTime ?? null,
      }
    case 'with-bot':
      return { kind: 'bot' }
    case 'with-agent': {
      const agent = [...chat.messages].reverse().find((message) => message.role === 'agent')
      return { kind: 'agent', agentName: agent?.author.name?.trim() || null }
    }
    case 'closed':
      return { kind: 'closed', feedback: chat.conversation?.feedback ?? null }
    case 'error':
      // Without a conversation the start failed, and the visitor can try again; a failed read is retried by the session.
      return { kind: 'error', error: chat.error, canRetry: chat.conversationId === undefined }
  }
}

/**
 * The one sentence a visitor reads about an error, in their language: `describeError` with the widget's catalogs.
 * Never `error.message`: that is a log line for developers.
 */
export function visitorText(error: unknown, locale?: WidgetLocale): string {
  return describeError(error, { locale, messages: errorCatalogs })
}

/**
 * One field's problem in the visitor's words (`describeIssue` with the widget's catalogs), for a form that checks
 * before it sends, in the same words the session's own check would give.
 */
export function issueText(issue: Pick<ValidationIssue, 'path' | 'code'>, locale?: WidgetLocale): string {
  return describeIssue({ message: '', ...issue }, { locale, messages: errorCatalogs })
}

/** "Estimated wait: about 4 minutes.", in the visitor's language. */
export function waitWords(minutes: number, locale?: WidgetLocale): string {
  return widgetLabels(locale).states.wait(minutes)
}

/** The headline and the line under it for each state, in the visitor's language. */
export function stateWords(state: WidgetState, locale?: WidgetLocale): { headline: string; detail: string } {
  const words = widgetLabels(locale).states
  switch (state.kind) {
    case 'welcome':
      return state.previousEnded ? words.welcomeAgain : words.welcome
    case 'starting':
      return words.starting
    case 'resuming':
      return words.resuming
    case 'queued':
      return { headline: words.queued(state.position), detail: words.wait(state.waitMinutes) }
    case 'bot':
      return words.bot
    case 'agent':
      return { headline: words.agentJoined(state.agentName), detail: words.withAgent }
    case 'closed':
      return words.closed
    case 'offline':
      return words.offline
    case 'left':
      return words.left(state.email)
    case 'error':
      return state.canRetry
        ? { headline: words.startFailed, detail: visitorText(state.error, locale) }
        : words.unreachable
  }
}

/** "14:05" today, "3 Dec" before (in the visitor's language); empty when the time is unknown or unreadable. */
export function timeWords(iso: string | null | undefined, now = new Date(), locale?: WidgetLocale): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  const tag = widgetLabels(locale).dateLocale
  return date.toDateString() === now.toDateString()
    ? date.toLocaleTimeString(tag, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString(tag, { day: 'numeric', month: 'short' })
}
