// Seen marks and unread counting: how far the visitor has seen, and how far new messages were told, per conversation.
import type { ChatMessage } from '../messages'
import { asStorageError, type ChatSessionStorage } from '../storage'

/** A message's place in time: server time (ms), then id. */
export type Mark = [number, number]

/** How far the visitor has seen, and how far new messages were told, in one conversation. */
export interface Marks {
  conversationId: number
  seen?: Mark
  announced?: Mark
}

const isMark = (value: unknown): value is Mark =>
  Array.isArray(value) && value.length === 2 && value.every((part) => Number.isFinite(part))

/** The marks storage holds, or `null` when it holds nothing usable. */
export function parseMarks(raw: string | null): Marks | null {
  try {
    const value = raw ? JSON.parse(raw) : null
    if (!value || !Number.isSafeInteger(value.conversationId)) return null
    return {
      conversationId: value.conversationId,
      ...(isMark(value.seen) ? { seen: value.seen } : {}),
      ...(isMark(value.announced) ? { announced: value.announced } : {}),
    }
  } catch {
    return null
  }
}

/** The mark of a message. */
export const markOf = (message: ChatMessage): Mark => [Date.parse(message.creationTime ?? '') || 0, message.id ?? 0]

/** Whether `mark` comes after `than` (anything comes after no mark). */
export const isAfter = (mark: Mark, than: Mark | undefined) =>
  !than || mark[0] > than[0] || (mark[0] === than[0] && mark[1] > than[1])

/**
 * Agent and bot messages after the seen mark, counted from the newest back: O(unread). When every
 * loaded message is after the mark and the server holds more (`total`, its count at the last load),
 * the ones not loaded are after it too and count as well (their authors are not known until loaded).
 */
export function unreadCount(history: readonly ChatMessage[], seen: Mark | undefined, total = -1): number {
  let count = 0
  for (let index = history.length - 1; index >= 0; index--) {
    const message = history[index] as ChatMessage
    if (!isAfter(markOf(message), seen)) return count
    if (message.role !== 'visitor') count++
  }
  return seen && history.length ? count + Math.max(0, total - history.length) : count
}

/** The marks of one storage key, for the conversation asked about. */
export interface MarkStore {
  /** The marks of conversation `id`, or `null` (none kept, or kept for another conversation). */
  read(id: number | undefined): Marks | null
  /** Moves the marks of conversation `id`; returns the storage's error, or `null`. */
  write(id: number, change: Omit<Marks, 'conversationId'>): Error | null
}

/** Marks kept in `storage` under `key` (one conversation's at a time, shared by tabs). */
export function markStore(storage: ChatSessionStorage, key: string): MarkStore {
  const read = (id: number | undefined): Marks | null => {
    try {
      const value = parseMarks(storage.getItem(key))
      return value && value.conversationId === id ? value : null
    } catch {
      return null
    }
  }
  return {
    read,
    write(id, change) {
      try {
        storage.setItem(key, JSON.stringify({ ...read(id), ...change, conversationId: id }))
        return null
      } catch (error) {
        return asStorageError(error)
      }
    },
  }
}
