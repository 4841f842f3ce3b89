// chatKeys: the query and mutation keys of everything the library caches.
const all = ['socialboards-chat'] as const
const conversation = (id: number | undefined) => [...all, 'conversation', id] as const

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
  all,
  /** Prefix of every conversation's entries. */
  conversations: () => [...all, 'conversation'] as const,
  /** One conversation (`Conversation`), as created or fetched; also the prefix of its other entries. */
  conversation,
  /** A conversation's messages (an infinite query, newest page first). */
  messages: (id: number | undefined) => [...conversation(id), 'messages'] as const,
  /** A conversation's takeover state. */
  takeover: (id: number | undefined) => [...conversation(id), 'takeover'] as const,
  /** Mutation key of `useCreateConversation`. */
  createConversation: () => [...all, 'createConversation'] as const,
  /** Mutation key of `addMessagesMutationOptions` (`useAddMessages` keeps its sends in an outbox instead). */
  addMessages: (id: number | undefined) => [...conversation(id), 'addMessages'] as const,
  /** Mutation key of `useAddMessageContext`. */
  addMessageContext: (id: number | undefined) => [...conversation(id), 'addMessageContext'] as const,
  /** Mutation key of `useChangeTakeover`. */
  changeTakeover: (id: number | undefined) => [...conversation(id), 'changeTakeover'] as const,
  /** Mutation key of `useUpdateFeedback`. */
  updateFeedback: (id: number | undefined) => [...conversation(id), 'updateFeedback'] as const,
  /** Mutation key of `useUpdateLatestUrl`. */
  updateLatestUrl: (id: number | undefined) => [...conversation(id), 'updateLatestUrl'] as const,
  /** Mutation key of `useCloseConversation`. */
  closeConversation: (id: number | undefined) => [...conversation(id), 'closeConversation'] as const,
}
