// Every Chat API endpoint, declared once: what the client sends, what the mock serves, what a visitor proxy may pass.
import type { ValidationIssue } from './errors'
import type {
  Conversation,
  ConversationFeedback,
  ConversationMessage,
  ConversationTakeover,
  GetConversationOptions,
  ListMessagesOptions,
} from './types'
import {
  checkBoolean,
  checkListOptions,
  checkOrderBy,
  isObject,
  validateCreateConversationInput,
  validateFeedback,
  validateLatestUrl,
  validateMessages,
  validateTakeover,
} from './validate'

/** An HTTP method the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

/** Who may call an endpoint through a visitor-facing proxy. */
export type VisitorAccess =
  /** Any visitor, on their own conversations. */
  | 'allowed'
  /** Server-side only (e.g. importing history as anyone). */
  | 'refused'

/**
 * One endpoint of the Chat API. Each is a constant of its own, so code that uses one endpoint does
 * not carry the others.
 */
export interface Endpoint<TData = unknown, TName extends string = string> {
  /** The client method's name. */
  name: TName
  method: HttpMethod
  /** Relative to the base URL; `{id}` stands for the conversation id. */
  path: string
  /**
   * `documented`: method, path and body are in the public reference. `unconfirmed`: the reference
   * names the endpoint only; method and path are the library's guess and can be overridden with
   * the client's `paths`.
   */
  status: 'documented' | 'unconfirmed'
  /** Who may call it through a visitor proxy. */
  visitor: VisitorAccess
  /** Checks the body exactly as it will be sent (after it is snapshotted). */
  checkBody?: (body: unknown, serverNow: number) => ValidationIssue[]
  /** Where the body's issue paths start (`messages` for an array of messages). */
  bodyRoot?: string
  /** Checks the query. */
  checkQuery?: (query: Record<string, unknown>) => ValidationIssue[]
  /** Checks the envelope's `data` before it is handed out; `sent` is the body that was sent. */
  accept: (data: unknown, sent: unknown) => data is TData
  /** Added to the message of an HTTP 404 or 405 (how to override an unconfirmed path). */
  hint?: (name: string) => string
}

const isConversation = (data: unknown): data is Conversation =>
  isObject(data) && typeof data.id === 'number' && isObject(data.author)
const isMessageList = (data: unknown): data is ConversationMessage[] =>
  Array.isArray(data) && data.every((item) => isObject(item) && typeof item.id === 'number')
/**
 * What an add answers: any list of messages, however many were sent. The reference's own example
 * sends two and answers one, so a shorter list is data, not a parse error; what was stored is
 * learned by listing, never by the answer's length or order.
 */
const isStoredMessages = isMessageList
const isTakeover = (data: unknown): data is ConversationTakeover =>
  isObject(data) && typeof data.isAssignedToBot === 'boolean'
const isFeedback = (data: unknown): data is ConversationFeedback =>
  isObject(data) && typeof data.isPositive === 'boolean'
// Kept with the unconfirmed endpoints, so a bundle without them does not carry the text.
const overrideHint = (name: string) =>
  `This path is not in the public API reference: set paths.${name} in the createChatClient options to your account's method and path`
// An undocumented endpoint's answer is unknown: any success envelope will do.
const anything = (_data: unknown, _sent: unknown): _data is unknown => true

/** `POST chat/conversations`. */
export const createConversationEndpoint: Endpoint<Conversation, 'createConversation'> = {
  name: 'createConversation',
  method: 'POST',
  path: 'chat/conversations',
  status: 'documented',
  visitor: 'allowed',
  checkBody: validateCreateConversationInput,
  accept: isConversation,
}

/** `GET chat/conversations/{id}`. */
export const getConversationEndpoint: Endpoint<Conversation, 'getConversation'> = {
  name: 'getConversation',
  method: 'GET',
  path: 'chat/conversations/{id}',
  status: 'documented',
  visitor: 'allowed',
  checkQuery: (query: GetConversationOptions) => {
    const issues: ValidationIssue[] = []
    checkOrderBy(issues, query.orderBy)
    checkBoolean(issues, query.includeMessages, 'includeMessages')
    return issues
  },
  accept: isConversation,
}

/** `GET chat/conversations/{id}/messages`. */
export const listMessagesEndpoint: Endpoint<ConversationMessage[], 'listMessages'> = {
  name: 'listMessages',
  method: 'GET',
  path: 'chat/conversations/{id}/messages',
  status: 'documented',
  visitor: 'allowed',
  checkQuery: (query: ListMessagesOptions) => {
    const issues: ValidationIssue[] = []
    checkListOptions(issues, query as Record<string, unknown>)
    return issues
  },
  accept: isMessageList,
}

/** `POST chat/conversations/{id}/messages`. */
export const addMessagesEndpoint: Endpoint<ConversationMessage[], 'addMessages'> = {
  name: 'addMessages',
  method: 'POST',
  path: 'chat/conversations/{id}/messages',
  status: 'documented',
  visitor: 'allowed',
  bodyRoot: 'messages',
  checkBody: validateMessages,
  accept: isStoredMessages,
}

/** `POST chat/conversations/{id}/previousMessages`: importing history, as any author. */
export const addMessageContextEndpoint: Endpoint<ConversationMessage[], 'addMessageContext'> = {
  name: 'addMessageContext',
  method: 'POST',
  path: 'chat/conversations/{id}/previousMessages',
  status: 'documented',
  visitor: 'refused',
  bodyRoot: 'messages',
  checkBody: validateMessages,
  accept: isStoredMessages,
}

/** `GET chat/conversations/{id}/takeover`. */
export const getTakeoverEndpoint: Endpoint<ConversationTakeover, 'getTakeover'> = {
  name: 'getTakeover',
  method: 'GET',
  path: 'chat/conversations/{id}/takeover',
  status: 'documented',
  visitor: 'allowed',
  accept: isTakeover,
}

/** `PATCH chat/conversations/{id}/takeover`. */
export const changeTakeoverEndpoint: Endpoint<ConversationTakeover, 'changeTakeover'> = {
  name: 'changeTakeover',
  method: 'PATCH',
  path: 'chat/conversations/{id}/takeover',
  status: 'documented',
  visitor: 'allowed',
  checkBody: validateTakeover,
  accept: isTakeover,
}

/** `PATCH chat/conversations/{id}/feedback`. */
export const updateFeedbackEndpoint: Endpoint<ConversationFeedback, 'updateFeedback'> = {
  name: 'updateFeedback',
  method: 'PATCH',
  path: 'chat/conversations/{id}/feedback',
  status: 'documented',
  visitor: 'allowed',
  checkBody: validateFeedback,
  accept: isFeedback,
}

/** The visitor's current page. **Unconfirmed**: the default `PATCH chat/conversations/{id}/latestUrl` with `{ url }`. */
export const updateLatestUrlEndpoint: Endpoint<unknown, 'updateLatestUrl'> = {
  name: 'updateLatestUrl',
  method: 'PATCH',
  path: 'chat/conversations/{id}/latestUrl',
  status: 'unconfirmed',
  hint: overrideHint,
  visitor: 'allowed',
  checkBody: (body) => validateLatestUrl(isObject(body) ? body.url : undefined),
  accept: anything,
}

/** Closes a conversation. **Unconfirmed**: the default `PATCH chat/conversations/{id}/close`. */
export const closeConversationEndpoint: Endpoint<unknown, 'closeConversation'> = {
  name: 'closeConversation',
  method: 'PATCH',
  path: 'chat/conversations/{id}/close',
  status: 'unconfirmed',
  hint: overrideHint,
  visitor: 'allowed',
  accept: anything,
}

/** The endpoints whose paths are the library's guess, overridable with the client's `paths`. */
export type UnconfirmedEndpoint = 'updateLatestUrl' | 'closeConversation'
