'use client'
// useUpdateFeedback: a per-conversation mutation hook, made by the shared factory from updateFeedbackMutationOptions.
import { updateFeedbackMutationOptions } from '../provider/options'
import { conversationMutationHook } from '../provider/useChatMutation'

/**
 * Sets the visitor's feedback, during or after the chat. The cached conversation's `feedback` shows it at once.
 *
 * @example
 * ```tsx
 * const feedback = useUpdateFeedback(conversationId)
 * feedback.mutate({ isPositive: true, text: 'Thanks!' })
 * ```
 */
export const useUpdateFeedback = /* @__PURE__ */ conversationMutationHook(updateFeedbackMutationOptions)
