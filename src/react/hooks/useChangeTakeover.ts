'use client'
// useChangeTakeover: a per-conversation mutation hook, made by the shared factory from changeTakeoverMutationOptions.
import { changeTakeoverMutationOptions } from '../provider/options'
import { conversationMutationHook } from '../provider/useChatMutation'

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
export const useChangeTakeover = /* @__PURE__ */ conversationMutationHook(changeTakeoverMutationOptions)
