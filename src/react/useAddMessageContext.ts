'use client'
import type { UseMutationResult } from '@tanstack/react-query'
import type { ChatApiError } from '../core/errors'
import type { AddMessageInput, ConversationMessage } from '../core/types'
import { useChatClient } from './context'
import { addMessageContextMutationOptions } from './options'
import { type ChatMutationOptions, useChatMutation } from './useChatMutation'

/**
 * Attaches earlier messages (imported from email, a CRM or another platform) to the conversation. The history is reloaded afterwards, since their times may fall anywhere in it.
 *
 * @example
 * ```tsx
 * const context = useAddMessageContext(conversationId)
 * context.mutate([{ message: 'Sent by email before', author: { email: "ada@example.com" }, creationTime: '2023-10-19T10:00:58.84+00:00' }])
 * ```
 */
export function useAddMessageContext<TOnMutateResult = unknown>(
  id: number | undefined,
  options?: ChatMutationOptions<ConversationMessage[], AddMessageInput[], TOnMutateResult>,
): UseMutationResult<ConversationMessage[], ChatApiError, AddMessageInput[], TOnMutateResult> {
  return useChatMutation(addMessageContextMutationOptions(useChatClient(), id), options)
}
