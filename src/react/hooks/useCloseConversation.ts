'use client'
// useCloseConversation: a per-conversation mutation hook, made by the shared factory from closeConversationMutationOptions.
import { closeConversationMutationOptions } from '../provider/options'
import { conversationMutationHook } from '../provider/useChatMutation'

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
