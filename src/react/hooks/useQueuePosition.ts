'use client'
// useQueuePosition: the queue state, selected from the conversation query (no request of its own).
import type { UseQueryResult } from '@tanstack/react-query'
import type { ChatApiError } from '../../core/errors'
import { type QueuePosition, toQueuePosition } from '../../core/session'
import type { Conversation } from '../../core/types'
import type { ChatQueryOptions } from '../provider/options'
import { useConversation } from './useConversation'

export type { QueuePosition } from '../../core/session'

/**
 * The queue position and wait, derived from the conversation query `useConversation` polls: no
 * request of its own. `data` is `null` when the server sent no queue information.
 *
 * @example
 * ```tsx
 * const { data: queue } = useQueuePosition(conversationId)
 * if (queue?.isWithAgent) return <p>An agent has joined.</p>
 * if (queue) return <p>You are number {queue.position}, about {queue.waitTime} minutes.</p>
 * ```
 */
export function useQueuePosition(
  id: number | undefined,
  options: Omit<ChatQueryOptions<Conversation>, 'select'> = {},
): UseQueryResult<QueuePosition | null, ChatApiError> {
  return useConversation(id, { ...options, select: toQueuePosition })
}
