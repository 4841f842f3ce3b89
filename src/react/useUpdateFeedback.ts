'use client'
import type { UseMutationResult } from '@tanstack/react-query'
import type { ChatApiError } from '../core/errors'
import type { ConversationFeedback, FeedbackInput } from '../core/types'
import { useChatClient } from './context'
import { updateFeedbackMutationOptions } from './options'
import { type ChatMutationOptions, useChatMutation } from './useChatMutation'

/**
 * Sets the visitor's feedback, during or after the chat. The cached conversation's `feedback` shows it at once.
 *
 * @example
 * ```tsx
 * const feedback = useUpdateFeedback(conversationId)
 * feedback.mutate({ isPositive: true, text: 'Thanks!' })
 * ```
 */
export function useUpdateFeedback<TOnMutateResult = unknown>(
  id: number | undefined,
  options?: ChatMutationOptions<ConversationFeedback, FeedbackInput, TOnMutateResult>,
): UseMutationResult<ConversationFeedback, ChatApiError, FeedbackInput, TOnMutateResult> {
  return useChatMutation(updateFeedbackMutationOptions(useChatClient(), id), options)
}
