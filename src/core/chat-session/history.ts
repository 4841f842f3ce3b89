// The loaded history (pages merged into one ordered list) and THE message view: history plus the visitor's messages on their way.
import { type ChatMessage, messageRole, storedMessage } from '../messages'
import type { OutboxEntry } from '../outbox'
import type { ConversationMessage, User, UserValue } from '../types'

/** The messages loaded so far, oldest to newest. Each view object is kept while its message is unchanged. */
export interface History {
  /** Stored messages by id. */
  byId: ReadonlyMap<number, { source: ConversationMessage; view: ChatMessage }>
  /** Oldest to newest. */
  list: readonly ChatMessage[]
  /** How many messages the server held at the last load of the newest; -1 before the first. */
  total: number
  /** The views the last merge added or changed, oldest first. */
  added: readonly ChatMessage[]
}

/** No history loaded yet. */
export const EMPTY_HISTORY: History = { byId: new Map(), list: [], total: -1, added: [] }

/** Server time, then id. */
export const byTime = (a: ChatMessage, b: ChatMessage) =>
  Date.parse(a.creationTime ?? '') - Date.parse(b.creationTime ?? '') || (a.id ?? 0) - (b.id ?? 0)

/**
 * Adds messages (new or older) to the history: pure, `history` is left as it was. New messages
 * after the last one shown (the usual case) are appended; anything else re-sorts. `visitors` say
 * who the visitor is (the conversation's author, then the author as given) for each message's role.
 */
export function mergeHistory(
  history: History,
  arrived: readonly ConversationMessage[],
  visitors: readonly (User | UserValue | undefined)[],
): History {
  let appendOnly = true
  const last = history.list[history.list.length - 1]
  const added: ChatMessage[] = []
  const byId = new Map(history.byId)
  for (const source of arrived) {
    const known = byId.get(source.id)
    if (known && known.source.message === source.message && known.source.lastModifiedTime === source.lastModifiedTime)
      continue
    const view = storedMessage(source, messageRole(source.author, visitors))
    if (known || (last && byTime(view, last) < 0)) appendOnly = false
    byId.set(source.id, { source, view })
    added.push(view)
  }
  if (!added.length) return history.added.length ? { ...history, added } : history
  added.sort(byTime)
  const list = appendOnly ? [...history.list, ...added] : [...byId.values()].map((item) => item.view).sort(byTime)
  return { byId, list, total: history.total, added }
}

/** The visitor's entries the history does not list yet: a sent one leaves the view once listed. */
export function waitingEntries(
  entries: readonly OutboxEntry[],
  listed: (serverId: number) => boolean,
): readonly OutboxEntry[] {
  return entries.filter((entry) => !(entry.sent && listed(entry.sent.id)))
}

/**
 * THE message view, shared by the session and the hooks: the history, then the visitor's messages
 * on their way that it does not list yet. `viewOf` gives an entry's view (keep it per entry, see
 * {@link entryViews}). Returns `history` itself when nothing waits.
 */
export function messageView(
  history: readonly ChatMessage[],
  entries: readonly OutboxEntry[],
  listed: (serverId: number) => boolean,
  viewOf: (entry: OutboxEntry) => ChatMessage,
): readonly ChatMessage[] {
  const waiting = waitingEntries(entries, listed)
  return waiting.length ? [...history, ...waiting.map(viewOf)] : history
}

/** One view per entry object, made by `make` once and kept while the entry is unchanged. */
export function entryViews(make: (entry: OutboxEntry) => ChatMessage): (entry: OutboxEntry) => ChatMessage {
  const views = new WeakMap<OutboxEntry, ChatMessage>()
  return (entry) => {
    let view = views.get(entry)
    if (!view) {
      view = make(entry)
      views.set(entry, view)
    }
    return view
  }
}

/** Whether two lists hold the same objects in the same order. */
export const sameItems = <T>(a: readonly T[], b: readonly T[]) =>
  a === b || (a.length === b.length && a.every((item, index) => item === b[index]))
