// Compatibility: the session engine now lives in ./chat-session/; this file names what it used to export.
export { createChatSession } from './chat-session/engine'
export {
  DEFAULT_POLL_INTERVAL,
  IDLE_POLL_INTERVAL,
  QUIET_AFTER_MS,
  SAFETY_NET_INTERVAL,
} from './chat-session/polling'
export { eventSourceConnector } from './chat-session/signals'
export { sessionStatus, toQueuePosition } from './chat-session/status'
export { DEFAULT_SESSION_KEY } from './chat-session/stored'
export type {
  ChatSessionActions,
  ChatSessionEndReason,
  ChatSessionEvents,
  ChatSessionOptions,
  ChatSessionState,
  ChatSessionStatus,
  ChatSessionStore,
  PageSignal,
  QueuePosition,
  RealtimeConnector,
  RealtimeHint,
  SessionFacts,
  VisibilitySignal,
} from './chat-session/types'
export type { ChatMessage } from './messages'
