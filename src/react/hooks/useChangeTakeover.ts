'use client'
// useChangeTakeover: asking for a human, from the takeover endpoint's own mutation options.
import {
  type ChangeTakeoverInput,
  type ConversationTakeover,
  changeTakeoverMutation,
} from '../../core/endpoints/takeover'
import { conversationMutationHook, type MutationOptionsOf } from '../provider/useChatMutation'

/** Mutation options for changing the takeover state; the cached takeover and conversation follow. */
export const changeTakeoverMutationOptions: MutationOptionsOf<
  typeof changeTakeoverMutation,
  ConversationTakeover,
  ChangeTakeoverInput
> = changeTakeoverMutation

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
