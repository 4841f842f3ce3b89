// chatKeys: the query and mutation keys of everything the library caches.
const all = ['socialboards-chat'] as const

// One function per key, so a bundle carries only the keys its hooks use; `chatKeys` gathers them.
/** @internal */
export const conversationsKey = () => [...all, 'conversation'] as const
/** @internal */
export const conversationKey = (id: number | undefined) => [...all, 'conversation', id] as const
/** @internal */
export const messagesKey = (id: number | undefined) => [...conversationKey(id), 'messages'] as const
/** @internal */
export const takeoverKey = (id: number | undefined) => [...conversationKey(id), 'takeover'] as const
/** @internal */
export const createConversationKey = () => [...all, 'createConversation'] as const
/** @internal */
export const addMessagesKey = (id: number | undefined) => [...conversationKey(id), 'addMessages'] as const
/** @internal */
export const addMessageContextKey = (id: number | undefined) => [...conversationKey(id), 'addMessageContext'] as const
/** @internal */
export const changeTakeoverKey = (id: number | undefined) => [...conversationKey(id), 'changeTakeover'] as const
/** @internal */
export const updateFeedbackKey = (id: number | undefined) => [...conversationKey(id), 'updateFeedback'] as const
/** @internal */
export const updateLatestUrlKey = (id: number | undefined) => [...conversationKey(id), 'updateLatestUrl'] as const
/** @internal */
export const closeConversationKey = (id: number | undefined) => [...conversationKey(id), 'closeConversation'] as const

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
}
