'use client'
import type { UseMutationResult } from '@tanstack/react-query'
import type { ChatApiError } from '../core/errors'
import { useChatClient } from './context'
import { updateLatestUrlMutationOptions } from './options'
import { type ChatMutationOptions, useChatMutation } from './useChatMutation'

/**
 * Records the page the visitor is on (path unconfirmed: see `ChatClient.updateLatestUrl`). The cached conversation's `latestPageUrl` follows.
 *
 * @example
 * ```tsx
 * const latestUrl = useUpdateLatestUrl(conversationId)
 * latestUrl.mutate(window.location.href)
 * ```
 */
export function useUpdateLatestUrl<TOnMutateResult = unknown>(
  id: number | undefined,
  options?: ChatMutationOptions<void, string, TOnMutateResult>,
): UseMutationResult<void, ChatApiError, string, TOnMutateResult> {
  return useChatMutation(updateLatestUrlMutationOptions(useChatClient(), id), options)
}
