const all = ['socialboards-chat'] as const

/**
 * Query and mutation keys of every cache entry the library writes, for `invalidateQueries`,
 * `setQueryData`, `useMutationState` and prefetching.
 *
 * @example
 * ```ts
 * queryClient.getQueryData(chatKeys.conversation(254626))
 * ```
 */
export const chatKeys = {
  /** Prefix of every key: invalidates everything the library cached. */
  all,
  /** Prefix of every conversation's entries. */
  conversations: () => [...all, 'conversation'] as const,
  /** One conversation (`Conversation`), as created or fetched. */
  conversation: (id: number) => [...all, 'conversation', id] as const,
  /** Mutation key of `useCreateConversation`. */
  createConversation: () => [...all, 'createConversation'] as const,
}
