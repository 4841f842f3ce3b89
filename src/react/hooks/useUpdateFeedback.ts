'use client'
// useUpdateFeedback: the visitor's feedback, from the feedback endpoint's own mutation options.
import { type FeedbackInput, updateFeedbackMutation } from '../../core/endpoints/updateFeedback'
import type { ConversationFeedback } from '../../core/types'
import { conversationMutationHook, type MutationOptionsOf } from '../provider/useChatMutation'

/** Mutation options for the client's feedback; the cached conversation shows it at once. */
export const updateFeedbackMutationOptions: MutationOptionsOf<
  typeof updateFeedbackMutation,
  ConversationFeedback,
  FeedbackInput
> = updateFeedbackMutation

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
