// What the session keeps in storage about its conversation, and who the visitor is.
import { randomId } from '../random'
import { asStorageError, type ChatSessionStorage } from '../storage'
import type { UserValue } from '../types'

/** The storage key a session uses unless told otherwise. */
export const DEFAULT_SESSION_KEY = 'socialboards-chat-react:session'

/** The conversation a session holds, as storage keeps it (shared by tabs). */
export interface Stored {
  conversationId: number
  isBotEnabled: boolean
  /**
   * Opened from history (`open`) and taken for a bot chat until its takeover is read once; kept, so
   * a reload before that read still reads it once and then stops (absent: known).
   */
  botUnknown?: boolean
  /** Server minus local clock (ms) when the conversation was created: seeds the clock after a reload. */
  clockOffset?: number
  /** Started outside opening hours: its replies come by email (absent, read as `false`, in older records). */
  repliesByEmail?: boolean
  /**
   * Who started it: a digest of the author's identifiers (see {@link visitorKey}), never the
   * identifiers themselves. A session of another visitor never shows it (absent: an older layout).
   */
  visitor?: string
  /** The closed conversation this one followed up (`previousConversationId`): still shown above it after a reload. */
  previous?: number
}

/**
 * A short digest (FNV-1a, 32 bits, hex) of the identifiers a visitor is known by (`id`, `email`,
 * `customIdentifier`, trimmed and lower case): it tells one visitor from another on a shared
 * browser without keeping their email in storage. Not a secret: it only tells visitors apart.
 */
export function visitorKey(author: UserValue): string {
  const text = (['id', 'email', 'customIdentifier'] as const)
    .map((name) => (typeof author[name] === 'string' ? (author[name] as string).trim().toLowerCase() : ''))
    .join('\u0000')
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/** What storage holds under the session's key, or `null` when it holds nothing usable. */
export function parseStored(raw: string | null): Stored | null {
  try {
    const value = raw ? JSON.parse(raw) : null
    return value && Number.isSafeInteger(value.conversationId) && value.conversationId > 0
      ? {
          conversationId: value.conversationId,
          isBotEnabled: value.isBotEnabled === true,
          ...(value.botUnknown === true ? { botUnknown: true } : {}),
          ...(Number.isFinite(value.clockOffset) ? { clockOffset: value.clockOffset } : {}),
          repliesByEmail: value.repliesByEmail === true,
          ...(typeof value.visitor === 'string' ? { visitor: value.visitor } : {}),
          ...(Number.isSafeInteger(value.previous) && value.previous > 0 ? { previous: value.previous } : {}),
        }
      : null
  } catch {
    return null
  }
}

/** Reads and writes the stored conversation; a storage that throws is reported, never thrown. */
export interface StoredConversation {
  read(): Stored | null
  /** Writes `value` (or removes it); returns the storage's error, or `null` once written. */
  write(value: Stored | null): Error | null
}

/** The stored conversation under `key` in `storage`. */
export function storedConversation(storage: ChatSessionStorage, key: string): StoredConversation {
  return {
    read() {
      try {
        return parseStored(storage.getItem(key))
      } catch {
        return null
      }
    },
    write(value) {
      try {
        if (value) storage.setItem(key, JSON.stringify(value))
        else storage.removeItem(key)
        return null
      } catch (error) {
        return asStorageError(error)
      }
    },
  }
}

/**
 * The visitor as the API will know them. Without any identifier (`id`, `email`,
 * `customIdentifier`), a generated `customIdentifier` kept in storage under `key` (made once, then
 * reused), so the API's rule is met and a returning visitor is the same person.
 */
export function identify(
  author: UserValue,
  storage: ChatSessionStorage,
  key: string,
  onStoreError: (error: Error) => void,
): UserValue {
  if (author.isBot || author.id || author.email || author.customIdentifier) return author
  let generated: string | null = null
  try {
    generated = storage.getItem(key)
  } catch {
    // Read below as missing: a new identifier, kept in memory.
  }
  if (!generated) {
    generated = randomId()
    try {
      storage.setItem(key, generated)
    } catch (error) {
      onStoreError(asStorageError(error))
    }
  }
  return { ...author, customIdentifier: generated }
}
