// The Chat API's wire types, as the public reference documents them.
/**
 * Wire types of the Socialboards External Chat API, as its public reference documents them.
 *
 * Where the reference's pages or examples disagree, response types are permissive (optional and
 * nullable) and request types are strict. Timestamps stay the ISO-8601 strings the server sends
 * (offsets and up to 7 fractional digits), so nothing is lost in a conversion.
 *
 * @see https://developers.socialboards.com/docs/apis/external-chat-api/reference/objects/conversation
 * @packageDocumentation
 */

/**
 * Conversation sentiment (Ticket API "Sentiment" enumeration).
 *
 * The Ticket API documents `"question"` (also the server's default when the field is omitted or
 * `null`), `"praise"`, `"suggestion"` and `"complaint"`. The enumeration page itself is not public,
 * so any other non-empty string is accepted and passed through unchanged.
 */
export type Sentiment = 'question' | 'praise' | 'suggestion' | 'complaint' | (string & {})

/**
 * A user's status in Socialboards (User status enumeration): `"client"` for visitors, `"team"` for
 * staff (as the Ticket API shows reply authors). The full list is not public.
 */
export type UserStatus = 'client' | 'team' | (string & {})

/** Message order. `creation_time_desc` (the documented default) returns the latest 100 messages. */
export type OrderBy = 'creation_time_asc' | 'creation_time_desc'

/** An ISO-8601 timestamp with offset, exactly as the server sent it, e.g. `"2023-09-01T12:56:39.0847826+03:00"`. */
export type Timestamp = string

/**
 * The author of a conversation or message, as sent in a request ("User value" model).
 *
 * A non-bot author needs at least one of `id`, `email` or `customIdentifier`; the server looks the
 * user up by `id`, then `email`, then `customIdentifier`. With `isBot: true` every identifier is
 * ignored and the Socialboards system bot is the author.
 */
export interface UserValue {
  /** User name. */
  name?: string
  /** The user's id: a GUID, e.g. `"ca4be988-cc85-4c35-94a4-8558e30c1dd3"`. */
  id?: string
  /**
   * The user's email address. The reference gives no rule; the library checks only for one `@`,
   * no spaces and text on both sides (`user@localhost` passes).
   */
  email?: string
  /**
   * An alternative identifier (an account number, say) that can stand in for `id` or `email`.
   * The server trims it and stores it lowercase, so responses may show it in another case; the
   * library sends it exactly as given.
   */
  customIdentifier?: string
  /**
   * Avatar URL, or `null`. The reference says the server rejects a malformed URL but gives no
   * syntax, so the library checks only for a non-blank string of at most 2,048 characters (a
   * relative path passes) and leaves the rest to the server.
   */
  image?: string | null
  /** `true` makes the Socialboards system bot the author. Default `false`. */
  isBot?: boolean
}

/**
 * A user as the server returns it ("User" model).
 */
export interface User {
  /** The user's GUID. */
  id: string
  name?: string | null
  /** `null` has been seen on message authors. */
  email?: string | null
  image?: string | null
  isBot: boolean
  status?: UserStatus | null
  /**
   * Not in the reference's User table, but present (sometimes `null`) on conversation authors in
   * newer examples. Normalised by the server: trimmed and lowercase.
   */
  customIdentifier?: string | null
}

/**
 * A custom field value sent with a new conversation.
 *
 * The reference links to the Ticket API's "Custom Field Value" page, which is not public; this is
 * the `{ id, value }` shape the Ticket API's create-ticket request uses (unconfirmed for chat).
 */
export interface CustomFieldValue {
  /** The custom field's id (an integer), e.g. `42623`. */
  id: number
  /** The value, formatted as the field's type requires. */
  value: string
}

/**
 * A conversation's queue state ("Conversation queue position").
 */
export interface QueuePositionInfo {
  /** Position in the queue. `-1` means the conversation is not queued: an agent is handling it. */
  position: number
  /** Approximate wait in minutes; `null` when the server gives no estimate. */
  waitTime: number | null
}

/**
 * The client's feedback on a conversation ("Conversation feedback", also called "satisfaction").
 */
export interface ConversationFeedback {
  isPositive: boolean
  text?: string | null
}

/**
 * A message in a conversation. The reference's object page is not public; this shape comes from
 * every response example, which all agree.
 */
export interface ConversationMessage {
  id: number
  author: User
  message: string
  creationTime: Timestamp
  lastModifiedTime?: Timestamp | null
}

/**
 * A chat conversation (a chat ticket in Socialboards).
 */
export interface Conversation {
  /** The conversation id (the underlying ticket id), e.g. `254626`. */
  id: number
  author: User
  creationTime: Timestamp
  lastModifiedTime?: Timestamp | null
  /** `true` once an agent has closed it or the client has ended it. */
  isClosed: boolean
  /**
   * As documented: "`true` means the conversation is in takeover mode". The reference's own
   * examples show `true` on brand-new conversations, so its exact meaning is unconfirmed.
   */
  isTakeoverEnabled: boolean
  /** `null` until the client leaves feedback. */
  feedback?: ConversationFeedback | null
  /** Custom field values (newer API versions only; `null` in webhook payloads). */
  fields?: CustomFieldValue[] | null
  /** Page where the conversation started (newer API versions only). */
  initialPageUrl?: string | null
  /** Most recent page the visitor was on (newer API versions only). */
  latestPageUrl?: string | null
  /**
   * Messages, when requested. A new conversation may carry none or (as one documented example
   * shows) one.
   */
  messages?: ConversationMessage[] | null
  queuePositionInfo?: QueuePositionInfo | null
  /** Total number of messages in the conversation. */
  totalMessagesCount: number
}
