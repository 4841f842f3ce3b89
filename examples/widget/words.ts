// What the widget says to the visitor: every session state in plain words, never a raw status value or a log line.
import {
  type AnnouncerMessages,
  announcerMessagesEn,
  announcerMessagesNb,
  type ChatSession,
  type ConversationFeedback,
  describeError,
} from 'socialboards-chat-react'
import { errorCatalogNb } from 'socialboards-chat-react/core'

/** The visitor's language: a tag (`'nb'`, `'en-GB'`) or several in order of preference (`navigator.languages`). */
export type WidgetLocale = string | readonly string[]

/** The error catalogs the widget ships (English is built into `describeError`). Add yours here. */
const errorCatalogs = { nb: errorCatalogNb }

/** The announcer's (and notifications') words by language; the first of `locale` found wins, else English. */
export function announcerWords(locale: WidgetLocale | undefined): AnnouncerMessages {
  for (const tag of typeof locale === 'string' ? [locale] : (locale ?? [])) {
    const language = tag.toLowerCase().split('-')[0]
    if (language === 'nb' || language === 'no') return announcerMessagesNb
    if (language === 'en') return announcerMessagesEn
  }
  return announcerMessagesEn
}

/**
 * What the panel shows, in the widget's own terms. `resuming` is a start that picks up a stored conversation;
 * `offline` comes from the session's availability once it reports one (#24 item 4): until then only stories show it.
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
  | { kind: 'error'; error: unknown; canRetry: boolean }

/** The session's state as the widget shows it. */
export function stateOf(
  chat: Pick<ChatSession, 'status' | 'conversationId' | 'conversation' | 'queue' | 'messages' | 'error' | 'endReason'>,
): WidgetState {
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

/** "about 4 minutes", "under a minute". */
export function waitWords(minutes: number): string {
  if (minutes < 1) return 'under a minute'
  const rounded = Math.round(minutes)
  return rounded === 1 ? 'about 1 minute' : `about ${rounded} minutes`
}

/** "1st", "2nd", "3rd", "11th", "22nd". */
function ordinal(place: number): string {
  const tens = place % 100
  if (tens >= 11 && tens <= 13) return `${place}th`
  return `${place}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[place % 10] ?? 'th'}`
}

/** The headline and the line under it for each state. */
export function stateWords(state: WidgetState, locale?: WidgetLocale): { headline: string; detail: string } {
  switch (state.kind) {
    case 'welcome':
      return state.previousEnded
        ? { headline: 'Your previous chat has ended', detail: 'Send a message to start a new one.' }
        : { headline: 'Hi! How can we help?', detail: 'Send us a message and we will connect you with our team.' }
    case 'starting':
      return { headline: 'Starting your chat…', detail: 'This takes a moment.' }
    case 'resuming':
      return { headline: 'Picking up where you left off…', detail: 'Loading your conversation.' }
    case 'queued': {
      const headline =
        state.position === null
          ? 'Waiting for the next available person'
          : state.position === 1
            ? 'You are next in line'
            : `You are ${ordinal(state.position)} in line`
      const detail =
        state.waitMinutes === null
          ? 'Someone from our team will be with you shortly.'
          : `Estimated wait: ${waitWords(state.waitMinutes)}.`
      return { headline, detail }
    }
    case 'bot':
      return {
        headline: 'You are chatting with our assistant',
        detail: 'It answers right away. Ask for a person whenever you like.',
      }
    case 'agent':
      return {
        headline: state.agentName ? `${state.agentName} joined the chat` : 'A member of our team joined the chat',
        detail: 'You are talking to a person now.',
      }
    case 'closed':
      return { headline: 'This chat has ended', detail: 'Thank you for chatting with us.' }
    case 'offline':
      return { headline: 'We are away right now', detail: 'Leave a message and we will reply by email.' }
    case 'error':
      return {
        headline: state.canRetry ? 'We could not start your chat' : 'We are having trouble reaching the chat',
        detail: state.canRetry ? visitorText(state.error, locale) : 'We will keep trying. Your messages are safe here.',
      }
  }
}

/** "14:05" today, "3 Dec" before; empty when the time is unknown or unreadable. */
export function timeWords(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return date.toDateString() === now.toDateString()
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })
}
