// The server half (socialboards-chat-react/server): the visitor-scoped proxy that keeps the account's token off browsers.

export {
  type ChatHint,
  type ChatWebhookEvent,
  type ChatWebhookEventType,
  createMemoryEventBus,
  type EventBus,
  type HintKind,
  hintOf,
  type MemoryEventBusOptions,
  parseWebhook,
  WebhookParseError,
} from './events'
export type {
  ChatCookieOptions,
  ChatHandler,
  ChatHandlerLimits,
  ChatHandlerOptions,
  ChatHandlerPaths,
  ChatPathProbe,
  ChatRequestInfo,
} from './handler'
export { createChatHandler } from './handler'
export { toNodeListener } from './node'
export type { VisitorConversation } from './proxy/visitor'
export {
  type ConversationIndex,
  createMemoryConversationIndex,
  createMemoryIdempotencyStore,
  createMemoryRateLimiter,
  type IdempotencyRecord,
  type IdempotencyStore,
  type MemoryConversationIndexOptions,
  type RateLimiter,
  type RateVerdict,
  type StoredResponse,
} from './stores'
