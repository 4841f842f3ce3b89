// The one list of endpoints, and the tables derived from it: what the client, the mock and the proxy serve.
// A new endpoint is a module of its own beside this file, then one line in each table here and its exports below:
// nothing else in the library lists the endpoints (`/core` re-exports this file, and the main entry its `chatKeys`).
import {
  addMessageContext,
  addMessageContextEndpoint,
  addMessageContextKey,
  addMessageContextPolicy,
} from './addMessageContext'
import {
  closeConversation,
  closeConversationEndpoint,
  closeConversationKey,
  closeConversationPolicy,
} from './closeConversation'
import {
  createConversation,
  createConversationEndpoint,
  createConversationKey,
  createConversationPolicy,
} from './createConversation'
import { A, conversationKey, conversationsKey, type Endpoint, type EndpointPolicy } from './endpoint'
import { getConversation, getConversationEndpoint, getConversationPolicy } from './getConversation'
import {
  addMessages,
  addMessagesEndpoint,
  addMessagesKey,
  addMessagesPolicy,
  listMessages,
  listMessagesEndpoint,
  listMessagesPolicy,
  messagesKey,
} from './messages'
import {
  changeTakeover,
  changeTakeoverEndpoint,
  changeTakeoverKey,
  changeTakeoverPolicy,
  getTakeover,
  getTakeoverEndpoint,
  getTakeoverPolicy,
  takeoverKey,
} from './takeover'
import { updateFeedback, updateFeedbackEndpoint, updateFeedbackKey, updateFeedbackPolicy } from './updateFeedback'
import { updateLatestUrl, updateLatestUrlEndpoint, updateLatestUrlKey, updateLatestUrlPolicy } from './updateLatestUrl'

export type { CreateConversationInput } from './createConversation'
export type { Endpoint, HttpMethod, VisitorAccess } from './endpoint'
export type { GetConversationOptions } from './getConversation'
export type { AddMessageInput, ListMessagesOptions } from './messages'
export type { ChangeTakeoverInput, ConversationTakeover } from './takeover'
export type { FeedbackInput } from './updateFeedback'
// The public face of each endpoint, as `/core` exports it: its call (also a `ChatClient` method) and its types.
export {
  addMessageContext,
  addMessages,
  changeTakeover,
  closeConversation,
  createConversation,
  getConversation,
  getTakeover,
  listMessages,
  updateFeedback,
  updateLatestUrl,
}

/** Every endpoint, in the reference's order. The client does not import this list, so it stays tree-shakable. */
export const ENDPOINTS = [
  createConversationEndpoint,
  addMessagesEndpoint,
  addMessageContextEndpoint,
  getConversationEndpoint,
  listMessagesEndpoint,
  getTakeoverEndpoint,
  changeTakeoverEndpoint,
  updateFeedbackEndpoint,
  updateLatestUrlEndpoint,
  closeConversationEndpoint,
] as const satisfies readonly Endpoint[]

/** @internal The name of every endpoint (the client's method names), from the one list. */
export type EndpointName = (typeof ENDPOINTS)[number]['name']

/** The endpoints whose paths are the library's guess, overridable with the client's `paths`. */
export type UnconfirmedEndpoint = 'updateLatestUrl' | 'closeConversation'

/** The endpoint whose path template `path` fits, with the conversation id it names; method not checked. */
export function matchEndpoints(path: string): { endpoint: Endpoint; id: string | undefined }[] {
  const found: { endpoint: Endpoint; id: string | undefined }[] = []
  for (const endpoint of ENDPOINTS) {
    const [before, after] = endpoint.path.split('{id}')
    if (after === undefined) {
      if (path === before) found.push({ endpoint, id: undefined })
    } else if (path.startsWith(before as string) && path.endsWith(after)) {
      const id = path.slice((before as string).length, path.length - after.length)
      if (id && !id.includes('/')) found.push({ endpoint, id })
    }
  }
  return found
}

/**
 * @internal Every endpoint's function of a connection: `ChatClient`'s methods, one per endpoint (a
 * missing one does not compile). The docs here are the client methods' docs.
 */
export const CALLS = {
  /**
   * Creates a conversation (`POST chat/conversations`).
   *
   * Rejects with a `validation` {@link ChatApiError} listing every problem, before any request,
   * when the input breaks the reference's rules. Not idempotent: never retried, except once after
   * an HTTP 401 when `accessToken` is a function (a 401 means the server created nothing). While
   * the client sends keys (`idempotencyKeys`), it carries an `Idempotency-Key`: the caller's
   * `idempotencyKey`, else a new one; a caller that tries the same create again passes the same key.
   */
  createConversation,
  /**
   * Gets a conversation (`GET chat/conversations/{id}`). Sends the order as both `orderyBy` (the
   * reference's spelling on this page) and `orderBy` (its spelling elsewhere).
   */
  getConversation,
  /** Lists messages (`GET chat/conversations/{id}/messages`), `take` at most 100; `skip` is always sent (default 0). */
  listMessages,
  /**
   * Adds messages (`POST chat/conversations/{id}/messages`). Not idempotent: never retried. A
   * success may list fewer messages than were sent (the reference's own example does): what was
   * stored is then learned by listing. Carries an `Idempotency-Key` like `createConversation`.
   */
  addMessages,
  /**
   * Attaches earlier messages from elsewhere (email, a CRM, another platform) to the conversation
   * (`POST chat/conversations/{id}/previousMessages`). Not idempotent: never retried.
   */
  addMessageContext,
  /** Gets the takeover state (`GET chat/conversations/{id}/takeover`). */
  getTakeover,
  /** Changes the takeover state (`PATCH chat/conversations/{id}/takeover`). */
  changeTakeover,
  /** Sets the client's feedback (`PATCH chat/conversations/{id}/feedback`), during or after the chat. */
  updateFeedback,
  /**
   * Records the page the visitor is on. **Path unconfirmed**: the reference names this endpoint but
   * does not document it; the default is `PATCH chat/conversations/{id}/latestUrl` with `{ url }`,
   * overridable with the client's `paths.updateLatestUrl`.
   */
  updateLatestUrl,
  /**
   * Closes the conversation. **Path unconfirmed**: the default is `PATCH chat/conversations/{id}/close`,
   * overridable with the client's `paths.closeConversation`.
   */
  closeConversation,
} satisfies { [K in EndpointName]: unknown }

/**
 * @internal Every endpoint's visitor rule for the server half (a missing one does not compile).
 * Imported by the server entry only: browser bundles never carry it.
 */
export const POLICIES = {
  createConversation: createConversationPolicy,
  addMessages: addMessagesPolicy,
  addMessageContext: addMessageContextPolicy,
  getConversation: getConversationPolicy,
  listMessages: listMessagesPolicy,
  getTakeover: getTakeoverPolicy,
  changeTakeover: changeTakeoverPolicy,
  updateFeedback: updateFeedbackPolicy,
  updateLatestUrl: updateLatestUrlPolicy,
  closeConversation: closeConversationPolicy,
} satisfies { [K in EndpointName]: EndpointPolicy }

/** @internal `chatKeys`' entry of an endpoint: a read's is named by what it reads (`getTakeover` → `takeover`), a write's is its own name. */
export type KeyName<K extends string> = K extends `get${infer Read}`
  ? Uncapitalize<Read>
  : K extends `list${infer Read}`
    ? Uncapitalize<Read>
    : K

/**
 * @internal What `chatKeys` must hold: a key for every endpoint of the list (a missing one does not
 * compile), and the two prefixes.
 */
export type ChatKeyTable = { [K in EndpointName as KeyName<K>]: (id: number | undefined) => readonly unknown[] } & {
  all: readonly [typeof A]
  conversations: () => readonly unknown[]
}

/**
 * Query and mutation keys of every cache entry the library writes, for `invalidateQueries`,
 * `setQueryData`, `useMutationState` and prefetching. Each endpoint's key is defined in its module;
 * this is the one table of them (a missing one does not compile).
 *
 * @example
 * ```ts
 * queryClient.getQueryData(chatKeys.conversation(254626))
 * queryClient.invalidateQueries({ queryKey: chatKeys.messages(254626) })
 * ```
 */
export const chatKeys = {
  /** Prefix of every key: invalidates everything the library cached. */
  all: [A] as const,
  /** Prefix of every conversation's entries. */
  conversations: conversationsKey,
  /** One conversation (`Conversation`), as created or fetched; also the prefix of its other entries. */
  conversation: conversationKey,
  /** A conversation's messages (an infinite query, newest page first). */
  messages: messagesKey,
  /** A conversation's takeover state. */
  takeover: takeoverKey,
  /** Mutation key of `useCreateConversation`. */
  createConversation: createConversationKey,
  /** Mutation key of `addMessagesMutationOptions` (`useAddMessages` keeps its sends in an outbox instead). */
  addMessages: addMessagesKey,
  /** Mutation key of `useAddMessageContext`. */
  addMessageContext: addMessageContextKey,
  /** Mutation key of `useChangeTakeover`. */
  changeTakeover: changeTakeoverKey,
  /** Mutation key of `useUpdateFeedback`. */
  updateFeedback: updateFeedbackKey,
  /** Mutation key of `useUpdateLatestUrl`. */
  updateLatestUrl: updateLatestUrlKey,
  /** Mutation key of `useCloseConversation`. */
  closeConversation: closeConversationKey,
} satisfies ChatKeyTable
