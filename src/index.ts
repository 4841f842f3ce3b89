export type * from './core'
export { ChatApiError, createChatClient, isChatApiError, isTransient } from './core'
export { type ChatSessionStorage, createMemoryStorage } from './core/storage'
export { ChatApiProvider, type ChatApiProviderProps } from './react/ChatApiProvider'
export { useChatClient } from './react/context'
export { chatKeys } from './react/keys'
export {
  type AddMessageContextVariables,
  type AddMessagesVariables,
  addMessageContextMutationOptions,
  addMessagesMutationOptions,
  type ChatQueryOptions,
  type ConversationPollOptions,
  changeTakeoverMutationOptions,
  closeConversationMutationOptions,
  conversationQueryOptions,
  createConversationMutationOptions,
  DEFAULT_POLL_INTERVAL,
  messagesInfiniteQueryOptions,
  takeoverQueryOptions,
  updateFeedbackMutationOptions,
  updateLatestUrlMutationOptions,
} from './react/options'
export { useAddMessageContext } from './react/useAddMessageContext'
export {
  type OutgoingMessage,
  type UseAddMessagesOptions,
  type UseAddMessagesResult,
  useAddMessages,
} from './react/useAddMessages'
export { useChangeTakeover } from './react/useChangeTakeover'
export type { ChatMutationOptions } from './react/useChatMutation'
export {
  type ChatSession,
  type ChatSessionEndReason,
  type ChatSessionStatus,
  type UseChatSessionOptions,
  useChatSession,
} from './react/useChatSession'
export { useCloseConversation } from './react/useCloseConversation'
export { type UseConversationOptions, useConversation } from './react/useConversation'
export {
  type ChatMessage,
  type UseConversationMessagesOptions,
  type UseConversationMessagesResult,
  useConversationMessages,
} from './react/useConversationMessages'
export {
  type UseCreateConversationOptions,
  type UseCreateConversationResult,
  useCreateConversation,
} from './react/useCreateConversation'
export { type QueuePosition, useQueuePosition } from './react/useQueuePosition'
export { useTakeover } from './react/useTakeover'
export { useUpdateFeedback } from './react/useUpdateFeedback'
export { useUpdateLatestUrl } from './react/useUpdateLatestUrl'
