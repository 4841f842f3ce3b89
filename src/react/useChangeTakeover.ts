'use client'
import type { UseMutationResult } from '@tanstack/react-query'
import type { ChatApiError } from '../core/errors'
import type { ChangeTakeoverInput, ConversationTakeover } from '../core/types'
import { useChatClient } from './context'
import { changeTakeoverMutationOptions } from './options'
import { type ChatMutationOptions, useChatMutation } from './useChatMutation'

/**
 * Changes the takeover state: `{ isAssignedToBot: false }` hands the conversation to a human. The cached takeover state and conversation follow.
 *
 * @example
 * ```tsx
 * const change = useChangeTakeover(conversationId)
 * change.mutate({ isAssignedToBot: false })
 * ```
 */
export function useChangeTakeover<TOnMutateResult = unknown>(
  id: number | undefined,
  options?: ChatMutationOptions<ConversationTakeover, ChangeTakeoverInput, TOnMutateResult>,
): UseMutationResult<ConversationTakeover, ChatApiError, ChangeTakeoverInput, TOnMutateResult> {
  return useChatMutation(changeTakeoverMutationOptions(useChatClient(), id), options)
}
