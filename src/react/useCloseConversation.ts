'use client'
// useCloseConversation: a per-conversation mutation hook, made by the shared factory from closeConversationMutationOptions.
import { closeConversationMutationOptions } from './options'
import { conversationMutationHook } from './useChatMutation'

/**
 * Closes the conversation (path unconfirmed: see `ChatClient.closeConversation`). The cached conversation is marked closed, which stops its polling.
 *
 * @example
 * ```tsx
 * const close = useCloseConversation(conversationId)
 * close.mutate()
 * ```
 */
export const useCloseConversation = conversationMutationHook(closeConversationMutationOptions)
