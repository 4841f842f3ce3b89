'use client'
// useChangeTakeover: a per-conversation mutation hook, made by the shared factory from changeTakeoverMutationOptions.
import { changeTakeoverMutationOptions } from './options'
import { conversationMutationHook } from './useChatMutation'

/**
 * Changes the takeover state: `{ isAssignedToBot: false }` hands the conversation to a human. The
 * cached takeover state and conversation follow.
 *
 * @example
 * ```tsx
 * const change = useChangeTakeover(conversationId)
 * change.mutate({ isAssignedToBot: false })
 * ```
 */
export const useChangeTakeover = conversationMutationHook(changeTakeoverMutationOptions)
