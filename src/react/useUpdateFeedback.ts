'use client'
// useUpdateFeedback: a per-conversation mutation hook, made by the shared factory from updateFeedbackMutationOptions.
import { updateFeedbackMutationOptions } from './options'
import { conversationMutationHook } from './useChatMutation'

/**
 * Sets the visitor's feedback, during or after the chat. The cached conversation's `feedback` shows it at once.
 *
 * @example
 * ```tsx
 * const feedback = useUpdateFeedback(conversationId)
 * feedback.mutate({ isPositive: true, text: 'Thanks!' })
 * ```
 */
export const useUpdateFeedback = conversationMutationHook(updateFeedbackMutationOptions)
