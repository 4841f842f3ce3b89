// chatKeys: the query and mutation keys of everything the library caches (each defined in its endpoint's module).
import type { EndpointName } from '../../core/endpoints'
import { addMessageContextKey } from '../../core/endpoints/addMessageContext'
import { closeConversationKey } from '../../core/endpoints/closeConversation'
import { createConversationKey } from '../../core/endpoints/createConversation'
import { A, conversationKey, conversationsKey } from '../../core/endpoints/endpoint'
import { addMessagesKey, messagesKey } from '../../core/endpoints/messages'
import { changeTakeoverKey, takeoverKey } from '../../core/endpoints/takeover'
import { updateFeedbackKey } from '../../core/endpoints/updateFeedback'
import { updateLatestUrlKey } from '../../core/endpoints/updateLatestUrl'

// One function per key, so a bundle carries only the keys its hooks use; `chatKeys` gathers them.
export {
  addMessageContextKey,
  addMessagesKey,
  changeTakeoverKey,
  closeConversationKey,
  conversationKey,
  conversationsKey,
  createConversationKey,
  messagesKey,
  takeoverKey,
  updateFeedbackKey,
  updateLatestUrlKey,
}

/** @internal `chatKeys`' entry of an endpoint: a read's is named by what it reads (`getTakeover` → `takeover`), a write's is its own name. */
type KeyName<K extends string> = K extends `get${infer Read}`
  ? Uncapitalize<Read>
  : K extends `list${infer Read}`
    ? Uncapitalize<Read>
    : K

/**
 * @internal What `chatKeys` must hold: a key for every endpoint of the list (a missing one does not
 * compile), and the two prefixes.
 */
export type ChatKeyTable = { [K in EndpointName as KeyName<K>]: (id: number | undefined) => readonly unknown[] } & {
  all: readonly [typeof A]
  conversations: () => readonly unknown[]
}

/**
 * Query and mutation keys of every cache entry the library writes, for `invalidateQueries`,
 * `setQueryData`, `useMutationState` and prefetching.
 *
 * @example
 * ```ts
 * queryClient.getQueryData(chatKeys.conversation(254626))
 * queryClient.invalidateQueries({ queryKey: chatKeys.messages(254626) })
 * ```
 */
export const chatKeys = {
  /** Prefix of every key: invalidates everything the library cached. */
  all: [A] as const,
  /** Prefix of every conversation's entries. */
  conversations: conversationsKey,
  /** One conversation (`Conversation`), as created or fetched; also the prefix of its other entries. */
  conversation: conversationKey,
  /** A conversation's messages (an infinite query, newest page first). */
  messages: messagesKey,
  /** A conversation's takeover state. */
  takeover: takeoverKey,
  /** Mutation key of `useCreateConversation`. */
  createConversation: createConversationKey,
  /** Mutation key of `addMessagesMutationOptions` (`useAddMessages` keeps its sends in an outbox instead). */
  addMessages: addMessagesKey,
  /** Mutation key of `useAddMessageContext`. */
  addMessageContext: addMessageContextKey,
  /** Mutation key of `useChangeTakeover`. */
  changeTakeover: changeTakeoverKey,
  /** Mutation key of `useUpdateFeedback`. */
  updateFeedback: updateFeedbackKey,
  /** Mutation key of `useUpdateLatestUrl`. */
  updateLatestUrl: updateLatestUrlKey,
  /** Mutation key of `useCloseConversation`. */
  closeConversation: closeConversationKey,
} satisfies ChatKeyTable
