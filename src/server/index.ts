// The server half (socialboards-chat-react/server): the visitor-scoped proxy that keeps the account's token off browsers.

export {
  type ChatHint,
  type ChatWebhookEvent,
  type ChatWebhookEventType,
  createMemoryEventBus,
  type EventBus,
  type HintKind,
  parseWebhook,
  WebhookParseError,
} from './events'
export type { ChatCookieOptions, ChatHandler, ChatHandlerLimits, ChatHandlerOptions } from './handler'
export { createChatHandler } from './handler'
export { toNodeListener } from './node'
export { createMemoryRateLimiter, type RateLimiter } from './rate-limit'
export { createRedisEventBus, type RedisEventBusOptions } from './redis'
