'use client'
import type { UseMutationResult } from '@tanstack/react-query'
import type { ChatApiError } from '../core/errors'
import { useChatClient } from './context'
import { closeConversationMutationOptions } from './options'
import { type ChatMutationOptions, useChatMutation } from './useChatMutation'

/**
 * Closes the conversation (path unconfirmed: see `ChatClient.closeConversation`). The cached conversation is marked closed, which stops its polling.
 *
 * @example
 * ```tsx
 * const close = useCloseConversation(conversationId)
 * close.mutate()
 * ```
 */
export function useCloseConversation<TOnMutateResult = unknown>(
  id: number | undefined,
  options?: ChatMutationOptions<void, void, TOnMutateResult>,
): UseMutationResult<void, ChatApiError, void, TOnMutateResult> {
  return useChatMutation(closeConversationMutationOptions(useChatClient(), id), options)
}
