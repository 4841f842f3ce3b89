export type * from './core'
export { ChatApiError, createChatClient, isChatApiError } from './core'
export { ChatApiProvider, type ChatApiProviderProps } from './react/ChatApiProvider'
export { useChatClient } from './react/context'
export { chatKeys } from './react/keys'
export { createConversationMutationOptions } from './react/options'
export {
  type UseCreateConversationOptions,
  type UseCreateConversationResult,
  useCreateConversation,
} from './react/useCreateConversation'
