'use client'
import { type UseMutationOptions, type UseMutationResult, useMutation } from '@tanstack/react-query'
import type { ChatApiError } from '../core/errors'

/** TanStack's mutation options, less `mutationFn` (the hook supplies it). */
export type ChatMutationOptions<TData, TVariables, TOnMutateResult = unknown> = Omit<
  UseMutationOptions<TData, ChatApiError, TVariables, TOnMutateResult>,
  'mutationFn'
>

/**
 * `useMutation` with the library's defaults, under the caller's options. The library's `onSuccess`
 * (its cache updates) always runs first, then the caller's.
 */
export function useChatMutation<TData, TVariables, TOnMutateResult>(
  defaults: UseMutationOptions<TData, ChatApiError, TVariables> & {
    onSuccess?: UseMutationOptions<TData, ChatApiError, TVariables>['onSuccess']
  },
  options: ChatMutationOptions<TData, TVariables, TOnMutateResult> = {},
): UseMutationResult<TData, ChatApiError, TVariables, TOnMutateResult> {
  return useMutation<TData, ChatApiError, TVariables, TOnMutateResult>({
    ...(defaults as UseMutationOptions<TData, ChatApiError, TVariables, TOnMutateResult>),
    ...options,
    onSuccess: async (data, variables, onMutateResult, context) => {
      await defaults.onSuccess?.(data, variables, undefined, context)
      await options.onSuccess?.(data, variables, onMutateResult, context)
    },
  })
}
