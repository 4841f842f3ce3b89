'use client'
import type { UseQueryResult } from '@tanstack/react-query'
import type { ChatApiError } from '../core/errors'
import type { Conversation } from '../core/types'
import type { ConversationPollOptions } from './options'
import { useConversation } from './useConversation'

/** Where a conversation stands in the queue. */
export interface QueuePosition {
  /** Place in the queue, or `-1` when an agent is handling the conversation. */
  position: number
  /** Approximate wait in minutes; `null` when the server gives none. */
  waitTime: number | null
  /** `true` once an agent has the conversation (`position` -1). */
  isWithAgent: boolean
}

const toQueuePosition = (conversation: Conversation): QueuePosition | null => {
  const info = conversation.queuePositionInfo
  if (!info) return null
  return { position: info.position, waitTime: info.waitTime ?? null, isWithAgent: info.position === -1 }
}

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
  options: ConversationPollOptions = {},
): UseQueryResult<QueuePosition | null, ChatApiError> {
  return useConversation(id, { ...options, select: toQueuePosition })
}
