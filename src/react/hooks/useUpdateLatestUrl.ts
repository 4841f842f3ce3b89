'use client'
// useUpdateLatestUrl: the visitor's page, from the latest-URL endpoint's own mutation options.
import { updateLatestUrlMutation } from '../../core/endpoints/updateLatestUrl'
import { conversationMutationHook, type MutationOptionsOf } from '../provider/useChatMutation'

/** Mutation options for the visitor's current page (path unconfirmed, see `ChatClient.updateLatestUrl`). */
export const updateLatestUrlMutationOptions: MutationOptionsOf<typeof updateLatestUrlMutation, void, string> =
  updateLatestUrlMutation

/**
 * Records the page the visitor is on (path unconfirmed: see `ChatClient.updateLatestUrl`). The cached conversation's `latestPageUrl` follows.
 *
 * @example
 * ```tsx
 * const latestUrl = useUpdateLatestUrl(conversationId)
 * latestUrl.mutate(window.location.href)
 * ```
 */
export const useUpdateLatestUrl = /* @__PURE__ */ conversationMutationHook(updateLatestUrlMutationOptions)
