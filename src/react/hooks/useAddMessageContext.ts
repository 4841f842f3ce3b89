'use client'
// useAddMessageContext: importing earlier messages, from that endpoint's own mutation options (pure: tree-shaken when unused).
import { type AddMessageContextVariables, addMessageContextMutation } from '../../core/endpoints/addMessageContext'
import type { ConversationMessage } from '../../core/types'
import { conversationMutationHook, type MutationOptionsOf } from '../provider/useChatMutation'

/**
 * Mutation options for attaching earlier messages (imported history). Their times may fall anywhere
 * in the history, so the messages query starts over and the conversation is refetched.
 */
export const addMessageContextMutationOptions: MutationOptionsOf<
  typeof addMessageContextMutation,
  ConversationMessage[],
  AddMessageContextVariables
> = addMessageContextMutation

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
