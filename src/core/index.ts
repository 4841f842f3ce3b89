// The framework-free half of the library: client, errors, types, validation, storage and the outbox engine.

export {
  type AnnouncerMessages,
  type AnnouncerState,
  announcementsOf,
  announcementTexts,
  announcerMessagesEn,
  type ChatAnnouncement,
} from './announcer'
export { announcerMessagesNb } from './announcer-nb'
export {
  type AttentionDocument,
  type AttentionEnvironment,
  type AttentionNotifications,
  type AttentionPermission,
  attentionTitle,
  browserAttention,
  type ChatAttention,
  type ChatAttentionOptions,
  type ChatAttentionSnapshot,
  createChatAttention,
} from './attention'
export {
  type Availability,
  isAvailable,
  nextClosing,
  nextOpening,
  type OpeningHours,
  type Weekday,
  type WeeklySchedule,
} from './availability'
// #24 availability
export { type ChatAvailabilityState, OFFLINE_TITLE } from './chat-session/availability'
export { type ChatClient, clientOf, createChatClient, type SessionClient } from './client'
export type { ServerClock } from './clock'
export { type ChatConnection, connect, type EndpointCall } from './connection'
export {
  type DescribeErrorOptions,
  describeError,
  describeIssue,
  type ErrorCatalog,
  type ErrorText,
  type ErrorTextValues,
  errorCatalogFor,
  type IssueTextValues,
  type VisitorField,
} from './describe'
// Every endpoint's call and types, the endpoint list and its matcher (not the internal tables beside them).
export {
  type AddMessageInput,
  addMessageContext,
  addMessages,
  type ChangeTakeoverInput,
  type ConversationTakeover,
  type CreateConversationInput,
  changeTakeover,
  closeConversation,
  createConversation,
  ENDPOINTS,
  type Endpoint,
  type FeedbackInput,
  type GetConversationOptions,
  getConversation,
  getTakeover,
  type HttpMethod,
  type ListMessagesOptions,
  listMessages,
  matchEndpoints,
  type UnconfirmedEndpoint,
  updateFeedback,
  updateLatestUrl,
  type VisitorAccess,
} from './endpoints'
export type {
  ChatApiErrorCode,
  ChatApiErrorDetails,
  ChatApiErrorKind,
  ValidationIssue,
  ValidationIssueCode,
} from './errors'
export { CHAT_API_ERROR_CODES, ChatApiError, isChatApiError, isTransient, VALIDATION_ISSUE_CODES } from './errors'
export type { AccessToken, ChatClientOptions, EndpointPath, RequestOptions } from './http'
export {
  type ChatMessage,
  type MessageRole,
  messageRole,
  sameUser,
} from './messages'
export { errorCatalogEn } from './messages-en'
export { errorCatalogNb } from './messages-nb'
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
export {
  listMyConversations,
  type MyConversation,
  signOutVisitor,
  type VisitorMethods,
  type VisitorRequestOptions,
} from './visitor'
