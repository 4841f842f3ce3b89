// The main entry: the client, the React provider, every hook and useChatSession. Marked 'use client' when built.
export type * from './core'
export { ChatApiError, createChatClient, isChatApiError, isTransient } from './core'
export { announcerMessagesEn } from './core/announcer'
export { announcerMessagesNb } from './core/announcer-nb'
export { isAvailable, nextClosing, nextOpening } from './core/availability'
export { describeError, describeIssue } from './core/describe'
export type { AddMessageContextVariables } from './core/endpoints/addMessageContext'
export type { AddMessagesVariables } from './core/endpoints/messages'
export { browserStorage, type ChatSessionStorage, createMemoryStorage } from './core/storage'
export { addMessageContextMutationOptions, useAddMessageContext } from './react/hooks/useAddMessageContext'
export {
  addMessagesMutationOptions,
  type OutgoingMessage,
  type UseAddMessagesOptions,
  type UseAddMessagesResult,
  useAddMessages,
} from './react/hooks/useAddMessages'
export { changeTakeoverMutationOptions, useChangeTakeover } from './react/hooks/useChangeTakeover'
export { closeConversationMutationOptions, useCloseConversation } from './react/hooks/useCloseConversation'
export { type UseConversationOptions, useConversation } from './react/hooks/useConversation'
export {
  type ChatMessage,
  type UseConversationMessagesOptions,
  type UseConversationMessagesResult,
  useConversationMessages,
} from './react/hooks/useConversationMessages'
export {
  createConversationMutationOptions,
  type UseCreateConversationOptions,
  type UseCreateConversationResult,
  useCreateConversation,
} from './react/hooks/useCreateConversation'
export {
  myConversationsKey,
  type UseMyConversationsOptions,
  useMyConversations,
} from './react/hooks/useMyConversations'
export { type QueuePosition, useQueuePosition } from './react/hooks/useQueuePosition'
export { takeoverQueryOptions, useTakeover } from './react/hooks/useTakeover'
export { updateFeedbackMutationOptions, useUpdateFeedback } from './react/hooks/useUpdateFeedback'
export { updateLatestUrlMutationOptions, useUpdateLatestUrl } from './react/hooks/useUpdateLatestUrl'
export { ChatApiProvider, type ChatApiProviderProps } from './react/provider/ChatApiProvider'
export { useChatClient } from './react/provider/context'
export { chatKeys } from './react/provider/keys'
export {
  type ChatQueryOptions,
  type ConversationPollOptions,
  conversationQueryOptions,
  DEFAULT_POLL_INTERVAL,
  messagesInfiniteQueryOptions,
} from './react/provider/options'
export { type ChatRealtime, type ConversationStreams, serverEvents } from './react/provider/streams'
export type { ChatMutationOptions } from './react/provider/useChatMutation'
export {
  type ChatAnnouncer,
  type ChatAnnouncerItem,
  type UseChatAnnouncerOptions,
  useChatAnnouncer,
} from './react/session/useChatAnnouncer'
export {
  type UseChatAttentionOptions,
  type UseChatAttentionResult,
  useChatAttention,
} from './react/session/useChatAttention'
export {
  type ChatSession,
  type ChatSessionEndReason,
  type ChatSessionStatus,
  type UseChatSessionOptions,
  useChatSession,
} from './react/session/useChatSession'
