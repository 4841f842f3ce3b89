'use client'
// useCloseConversation: closing, from the close endpoint's own mutation options.
import { closeConversationMutation } from '../../core/endpoints/closeConversation'
import { conversationMutationHook, type MutationOptionsOf } from '../provider/useChatMutation'

/**
 * Mutation options for closing (path unconfirmed, see `ChatClient.closeConversation`). The cached
 * conversation is marked closed, which stops its polling.
 */
export const closeConversationMutationOptions: MutationOptionsOf<typeof closeConversationMutation, void, void> =
  closeConversationMutation

/**
 * Closes the conversation (path unconfirmed: see `ChatClient.closeConversation`). The cached conversation is marked closed, which stops its polling.
 *
 * @example
 * ```tsx
 * const close = useCloseConversation(conversationId)
 * close.mutate()
 * ```
 */
export const useCloseConversation = /* @__PURE__ */ conversationMutationHook(closeConversationMutationOptions)
