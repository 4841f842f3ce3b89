'use client'
// useUpdateLatestUrl: a per-conversation mutation hook, made by the shared factory from updateLatestUrlMutationOptions.
import { updateLatestUrlMutationOptions } from '../provider/options'
import { conversationMutationHook } from '../provider/useChatMutation'

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
