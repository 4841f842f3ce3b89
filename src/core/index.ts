// The framework-free half of the library: client, errors, types, validation, storage and the outbox engine.

// The endpoint functions, one per endpoint (calls.ts lists them).
export * from './calls'
export { type ChatClient, clientOf, createChatClient } from './client'
export type { ServerClock } from './clock'
export { type ChatConnection, connect, type EndpointCall } from './connection'
export type { Endpoint, HttpMethod, UnconfirmedEndpoint, VisitorAccess } from './endpoints'
export { ENDPOINTS, matchEndpoints } from './endpoints'
export type { ChatApiErrorDetails, ChatApiErrorKind, ValidationIssue } from './errors'
export { ChatApiError, isChatApiError, isTransient } from './errors'
export type { AccessToken, ChatClientOptions, EndpointPath, RequestOptions } from './http'
export {
  type ChatMessage,
  type MessageRole,
  messageRole,
  sameUser,
} from './messages'
export {
  createOutbox,
  defaultLock,
  failureError,
  isSameAuthor,
  type Lock,
  type OnlineSignal,
  type Outbox,
  type OutboxEntry,
  type OutboxFailure,
  type OutboxOptions,
  type OutboxSnapshot,
  pageLock,
  type Timers,
} from './outbox'
export {
  type ChatSessionActions,
  type ChatSessionEndReason,
  type ChatSessionEvents,
  type ChatSessionOptions,
  type ChatSessionState,
  type ChatSessionStatus,
  type ChatSessionStore,
  createChatSession,
  DEFAULT_POLL_INTERVAL,
  DEFAULT_SESSION_KEY,
  eventSourceConnector,
  IDLE_POLL_INTERVAL,
  type PageSignal,
  QUIET_AFTER_MS,
  type QueuePosition,
  type RealtimeConnector,
  type RealtimeHint,
  SAFETY_NET_INTERVAL,
  type SessionFacts,
  sessionStatus,
  toQueuePosition,
  type VisibilitySignal,
} from './session'
export { asStorageError, browserStorage, type ChatSessionStorage, createMemoryStorage } from './storage'
export type * from './types'
