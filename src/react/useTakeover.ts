'use client'
import { type UseQueryResult, useQuery } from '@tanstack/react-query'
import type { ChatApiError } from '../core/errors'
import type { ConversationTakeover } from '../core/types'
import { useChatClient } from './context'
import { takeoverQueryOptions } from './options'

/**
 * The conversation's takeover state: `isAssignedToBot: false` means a human agent has it.
 *
 * @example
 * ```tsx
 * const { data: takeover } = useTakeover(conversationId)
 * if (takeover?.isAssignedToBot) return <p>You are chatting with our bot.</p>
 * ```
 */
export function useTakeover(
  id: number | undefined,
  { enabled }: { enabled?: boolean } = {},
): UseQueryResult<ConversationTakeover, ChatApiError> {
  return useQuery({ ...takeoverQueryOptions(useChatClient(), id), enabled })
}
