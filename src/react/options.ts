import type { UseMutationOptions } from '@tanstack/react-query'
import type { ChatClient } from '../core/client'
import type { ChatApiError } from '../core/errors'
import type { Conversation, CreateConversationInput } from '../core/types'
import { chatKeys } from './keys'

/**
 * Mutation options for creating a conversation, for `useMutation` or `queryClient` users who compose
 * TanStack Query themselves. No retry (a create is not idempotent); on success the conversation is
 * written to the cache under `chatKeys.conversation(id)`.
 */
export function createConversationMutationOptions(client: ChatClient) {
  return {
    mutationKey: chatKeys.createConversation(),
    mutationFn: (input: CreateConversationInput) => client.createConversation(input),
    retry: false,
    onSuccess: (conversation, _input, _result, context) => {
      context.client.setQueryData(chatKeys.conversation(conversation.id), conversation)
    },
  } satisfies UseMutationOptions<Conversation, ChatApiError, CreateConversationInput>
}
