// chatKeys: the query and mutation keys of everything the library caches.

// One function per key, so a bundle carries only the keys its hooks use; `chatKeys` gathers them.
// Written as literals, not spreads: a spread array can keep spare capacity, and the query cache
// keeps every key (one per created conversation) for as long as its entry lives.
const A = 'socialboards-chat'
/** @internal */
export const conversationsKey = () => [A, 'conversation'] as const
/** @internal */
export const conversationKey = (id: number | undefined) => [A, 'conversation', id] as const
/** @internal */
export const messagesKey = (id: number | undefined) => [A, 'conversation', id, 'messages'] as const
/** @internal */
export const takeoverKey = (id: number | undefined) => [A, 'conversation', id, 'takeover'] as const
/** @internal */
export const createConversationKey = () => [A, 'createConversation'] as const
/** @internal */
export const addMessagesKey = (id: number | undefined) => [A, 'conversation', id, 'addMessages'] as const
/** @internal */
export const addMessageContextKey = (id: number | undefined) => [A, 'conversation', id, 'addMessageContext'] as const
/** @internal */
export const changeTakeoverKey = (id: number | undefined) => [A, 'conversation', id, 'changeTakeover'] as const
/** @internal */
export const updateFeedbackKey = (id: number | undefined) => [A, 'conversation', id, 'updateFeedback'] as const
/** @internal */
export const updateLatestUrlKey = (id: number | undefined) => [A, 'conversation', id, 'updateLatestUrl'] as const
/** @internal */
export const closeConversationKey = (id: number | undefined) => [A, 'conversation', id, 'closeConversation'] as const

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
}
