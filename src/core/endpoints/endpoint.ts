// What every endpoint module is made of: the wire description's type, the cache it writes, the visitor policy's type.
import { ChatApiError, type ValidationIssue } from '../errors'
import type { Conversation, ConversationMessage, UserValue } from '../types'
import { isObject } from '../validate'

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

/** @internal A conversation as the API answers it (the checks every read and create share). */
export const isConversation = (data: unknown): data is Conversation =>
  isObject(data) && typeof data.id === 'number' && isObject(data.author)

/** @internal A list of messages, each with its id. */
export const isMessageList = (data: unknown): data is ConversationMessage[] =>
  Array.isArray(data) && data.every((item) => isObject(item) && typeof item.id === 'number')

/** @internal Kept with the unconfirmed endpoints, so a bundle without them does not carry the text. */
export const overrideHint = (name: string) =>
  `This path is not in the public API reference: set paths.${name} in the createChatClient options to your account's method and path`

/** @internal An undocumented endpoint's answer is unknown: any success envelope will do. */
export const anything = (_data: unknown, _sent: unknown): _data is unknown => true

// Cache keys. Written as literals, not spreads: a spread array can keep spare capacity, and the
// query cache keeps every key (one per created conversation) for as long as its entry lives.
/** @internal The prefix of every key the library caches under. */
export const A = 'socialboards-chat'
/** @internal Prefix of every conversation's entries. */
export const conversationsKey = () => [A, 'conversation'] as const
/** @internal One conversation; also the prefix of its other entries (owned by `getConversation`). */
export const conversationKey = (id: number | undefined) => [A, 'conversation', id] as const

/**
 * @internal The part of a TanStack `QueryClient` the endpoints' cache effects use: the effects are
 * written here, framework-free, and the hooks hand them the `QueryClient` as it is.
 */
export interface ChatCache {
  getQueryData(queryKey: readonly unknown[]): unknown
  setQueryData(queryKey: readonly unknown[], updater: unknown): unknown
  invalidateQueries(filters: { queryKey: readonly unknown[]; exact?: boolean }): Promise<void>
  resetQueries(filters: { queryKey: readonly unknown[] }): Promise<void>
  cancelQueries(filters: { queryKey: readonly unknown[]; exact?: boolean }): Promise<void>
}

/** @internal What a mutation's `onSuccess` is given last (TanStack's mutation function context). */
export interface CacheContext {
  client: ChatCache
}

/** @internal Merges `change` into the cached conversation, if there is one. */
export const updateConversation = (cache: ChatCache, id: number, change: Partial<Conversation>) =>
  cache.setQueryData(conversationKey(id), (conversation: Conversation | undefined) =>
    conversation ? { ...conversation, ...change } : conversation,
  )

/** @internal Calls `call` with the conversation id, or rejects (nothing sent) when there is none yet. */
export function withId<T>(id: number | undefined, action: string, call: (id: number) => Promise<T>): Promise<T> {
  return id === undefined
    ? Promise.reject(
        new ChatApiError('validation', `${action}: no conversation id yet (the hook was given undefined)`, {
          code: 'no-conversation',
          issues: [{ path: 'id', code: 'required', message: 'is required' }],
        }),
      )
    : call(id)
}

/** @internal What a visitor policy sees: the browser's body, the author the server half forces, and the conversation. */
export interface PolicyInput {
  body: unknown
  /** The visitor as author: the signed-in user, or the anonymous visitor of the cookie. */
  visitor: UserValue
  /** The conversation id in the path, if any. */
  id: number | undefined
  /** The server's clock, epoch ms. */
  now: number
  messagesPerRequest: number
  /** Reads the Chat API (for rules that depend on a conversation's state). */
  upstream: (
    method: string,
    path: string,
    search: string,
    body: string | undefined,
  ) => Promise<{ response: Response; json?: unknown }>
}

/** @internal The body to send upstream, or why the request is refused (status, message). */
export type PolicyVerdict = { body: unknown } | { refused: [number, string] }

/** @internal A visitor's rule for one endpoint's body; `'refused'` for endpoints no visitor may call. */
export type VisitorPolicy = 'refused' | ((input: PolicyInput) => PolicyVerdict | Promise<PolicyVerdict>)

/** @internal The query parameters a read takes through the visitor proxy (anything else is dropped). */
export type QueryAllowList = Record<string, 'boolean' | 'integer' | 'string'>

/**
 * @internal The server half's rule for one endpoint: what a visitor may send. Each endpoint module
 * exports one as `<name>Policy`, imported by the server entry only, so browser bundles never carry it.
 */
export interface EndpointPolicy {
  body: VisitorPolicy
  /** The query parameters passed upstream (none when absent). */
  query?: QueryAllowList
}

/** @internal The body of a refusal: not a JSON object. */
export const notAnObject: PolicyVerdict = { refused: [400, 'The body must be a JSON object'] }

/** @internal A read's policy: nothing to send. */
export const readPolicy = (query?: QueryAllowList): EndpointPolicy => ({ body: () => ({ body: undefined }), query })
