'use client'
// useCreateConversation: creating a conversation, one request per submit, never repeated by itself.
import type { UseMutationResult } from '@tanstack/react-query'
import { useCallback, useMemo, useRef } from 'react'
import { type CreateConversationInput, createConversationMutation } from '../../core/endpoints/createConversation'
import type { ChatApiError } from '../../core/errors'
import type { Conversation } from '../../core/types'
import { useChatConnection } from '../provider/context'
import { type ChatMutationOptions, type MutationOptionsOf, useChatMutation } from '../provider/useChatMutation'

/**
 * Mutation options for creating a conversation, for `useMutation` or `queryClient` users who compose
 * TanStack Query themselves. No retry (a create is not idempotent); on success the conversation is
 * written to the cache under `chatKeys.conversation(id)`.
 */
export const createConversationMutationOptions: MutationOptionsOf<
  typeof createConversationMutation,
  Conversation,
  CreateConversationInput
> = createConversationMutation

/** TanStack's mutation options, less `mutationFn` (the hook supplies it). */
export type UseCreateConversationOptions<TOnMutateResult = unknown> = ChatMutationOptions<
  Conversation,
  CreateConversationInput,
  TOnMutateResult
>

/** TanStack's mutation result for creating a conversation. */
export type UseCreateConversationResult<TOnMutateResult = unknown> = UseMutationResult<
  Conversation,
  ChatApiError,
  CreateConversationInput,
  TOnMutateResult
>

const ignore = () => {}

/**
 * Creates a conversation: TanStack's `useMutation`, typed, with the reference's input rules checked
 * before anything is sent.
 *
 * - While a create from this hook is pending, `mutate` and `mutateAsync` send nothing new
 *   (`mutateAsync` returns the pending result), so a double click makes one conversation.
 * - Never retried by itself: a create is not idempotent (only a 401 is repeated once, with a
 *   fresh token, since it means nothing was created). `retry` is not an option for that reason.
 * - On failure `variables` still holds what was submitted, for a retry.
 * - On success the conversation is cached under `chatKeys.conversation(id)`.
 *
 * @example
 * ```tsx
 * const create = useCreateConversation()
 * create.mutate({ author: { name: 'Ada', email: 'ada@example.com' }, title: 'Billing' })
 * if (create.status === 'error') console.log(create.error.kind, create.variables)
 * ```
 */
export function useCreateConversation<TOnMutateResult = unknown>(
  options?: UseCreateConversationOptions<TOnMutateResult>,
): UseCreateConversationResult<TOnMutateResult> {
  const connection = useChatConnection()
  const defaults = useMemo(() => createConversationMutationOptions(connection), [connection])
  const result = useChatMutation(defaults, options)

  const pending = useRef<Promise<Conversation> | undefined>(undefined)
  const start = result.mutateAsync
  const mutateAsync = useCallback<UseCreateConversationResult<TOnMutateResult>['mutateAsync']>(
    (input, callbacks) => {
      if (!pending.current) {
        const promise = start(input, callbacks)
        const clear = () => {
          if (pending.current === promise) pending.current = undefined
        }
        promise.then(clear, clear)
        pending.current = promise
      }
      return pending.current
    },
    [start],
  )
  const mutate = useCallback<UseCreateConversationResult<TOnMutateResult>['mutate']>(
    (input, callbacks) => {
      mutateAsync(input, callbacks).catch(ignore)
    },
    [mutateAsync],
  )
  return { ...result, mutate, mutateAsync }
}
