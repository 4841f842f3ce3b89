'use client'
// useAddMessageContext: a per-conversation mutation hook, made by the shared factory (pure: tree-shaken when unused).
import { addMessageContextMutationOptions } from '../provider/options'
import { conversationMutationHook } from '../provider/useChatMutation'

/**
 * Attaches earlier messages (imported from email, a CRM or another platform) to the conversation.
 * The history is reloaded afterwards, since their times may fall anywhere in it. Takes
 * `{ messages }`, like `useAddMessages` (a bare array is still accepted).
 *
 * @example
 * ```tsx
 * const context = useAddMessageContext(conversationId)
 * context.mutate({ messages: [{ message: 'Sent by email before', author: { email: 'ada@example.com' }, creationTime: '2023-10-19T10:00:58.84+00:00' }] })
 * ```
 */
export const useAddMessageContext = /* @__PURE__ */ conversationMutationHook(addMessageContextMutationOptions)
