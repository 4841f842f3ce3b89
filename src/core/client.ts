// The Chat API client: one method per endpoint (each an endpoint function over one connection), from the endpoint list.
import { type ChatConnection, connect } from './connection'
import { CALLS, type EndpointName } from './endpoints'
import type { ChatClientOptions } from './http'
import { listMyConversations, signOutVisitor, type VisitorMethods } from './visitor'

export type { ChatConnection } from './connection'

type Calls = typeof CALLS
type Call = (connection: ChatConnection, ...args: unknown[]) => never
/** An endpoint function with its connection bound: what the client's method is. */
type Bound<F> = F extends (connection: ChatConnection, ...args: infer A) => infer R ? (...args: A) => R : never

/** @internal Every endpoint as a method (documented where the endpoint list names it). */
export type ChatClientMethods = { [K in keyof Calls]: Bound<Calls[K]> }

/** A configured Chat API client. Framework-free: usable from React, a server, or a test. */
export interface ChatClient extends ChatConnection, ChatClientMethods, VisitorMethods {}

/**
 * Creates a client for the Chat API.
 *
 * @throws ChatApiError (`validation`) when `baseURL` or `timeout` is invalid.
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  return clientOf(connect(options))
}

/** What a chat session calls: every Chat API endpoint and `signOutVisitor`, not the history list. */
export type SessionClient = Omit<ChatClient, 'listMyConversations'>

const clients = /* @__PURE__ */ new WeakMap<ChatConnection, SessionClient>()
// A cache per kind of client: a connection asked for both gets two objects over the one transport.
const sessionClients = /* @__PURE__ */ new WeakMap<ChatConnection, SessionClient>()

/** The client over a connection (the same object each time): every endpoint as a method. */
export function clientOf(connection: ChatConnection): ChatClient {
  // A client with the visitor methods: `more` adds them.
  return cached(clients, connection, (c) => ({
    listMyConversations: (options) => listMyConversations(c, options),
    signOutVisitor: (options) => signOutVisitor(c, options),
  })) as ChatClient
}

/**
 * @internal The client a session runs on (the same object each time): the Chat API's endpoints and
 * `signOutVisitor`, without `listMyConversations`, so a widget that never lists history does not carry it.
 */
export const sessionClientOf = (connection: ChatConnection): SessionClient =>
  cached(sessionClients, connection, (c) => ({
    signOutVisitor: (options) => signOutVisitor(c, options),
  }))

function cached(
  cache: WeakMap<ChatConnection, SessionClient>,
  connection: ChatConnection,
  more?: (connection: ChatConnection) => Partial<VisitorMethods>,
): SessionClient {
  if (isClient(connection)) return connection
  let client = cache.get(connection)
  if (!client) {
    const c = connection
    client = {
      baseURL: c.baseURL,
      clock: c.clock,
      send: c.send,
      get idempotencyKeys() {
        return c.idempotencyKeys
      },
      get hasAccessToken() {
        return c.hasAccessToken
      },
      ...more?.(c),
    } as SessionClient
    for (const name in CALLS)
      (client as ChatClientMethods)[name as EndpointName] = (...args: unknown[]) =>
        (CALLS[name as EndpointName] as Call)(c, ...args)
    cache.set(connection, client)
  }
  return client
}

const isClient = (connection: ChatConnection): connection is ChatClient =>
  typeof (connection as Partial<ChatClient>).createConversation === 'function'
