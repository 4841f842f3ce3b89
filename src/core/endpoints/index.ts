// The one list of endpoints, and the tables derived from it: what the client, the mock and the proxy serve.
// A new endpoint is a module of its own beside this file, then one line in each table here.
import { addMessageContext, addMessageContextEndpoint, addMessageContextPolicy } from './addMessageContext'
import { closeConversation, closeConversationEndpoint, closeConversationPolicy } from './closeConversation'
import { createConversation, createConversationEndpoint, createConversationPolicy } from './createConversation'
import type { Endpoint, EndpointPolicy } from './endpoint'
import { getConversation, getConversationEndpoint, getConversationPolicy } from './getConversation'
import {
  addMessages,
  addMessagesEndpoint,
  addMessagesPolicy,
  listMessages,
  listMessagesEndpoint,
  listMessagesPolicy,
} from './messages'
import {
  changeTakeover,
  changeTakeoverEndpoint,
  changeTakeoverPolicy,
  getTakeover,
  getTakeoverEndpoint,
  getTakeoverPolicy,
} from './takeover'
import { updateFeedback, updateFeedbackEndpoint, updateFeedbackPolicy } from './updateFeedback'
import { updateLatestUrl, updateLatestUrlEndpoint, updateLatestUrlPolicy } from './updateLatestUrl'

export type { Endpoint, HttpMethod, VisitorAccess } from './endpoint'

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
