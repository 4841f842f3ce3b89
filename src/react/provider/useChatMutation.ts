'use client'
// The plumbing every mutation hook shares: useMutation with the library's defaults, and a factory for per-conversation hooks.
import { type UseMutationOptions, type UseMutationResult, useMutation } from '@tanstack/react-query'
import { useMemo } from 'react'
import type { ChatConnection } from '../../core/connection'
import type { ChatApiError } from '../../core/errors'
import { useChatConnection } from './context'

/**
 * TanStack's mutation options, less what the library must own: `mutationFn`, and `mutationKey`,
 * `scope` and `retry`, which keep sends in order and never repeat a write by themselves.
 */
export type ChatMutationOptions<TData, TVariables, TOnMutateResult = unknown> = Omit<
  UseMutationOptions<TData, ChatApiError, TVariables, TOnMutateResult>,
  'mutationFn' | 'mutationKey' | 'scope' | 'retry'
>

/** The library's part of a mutation (see the `…MutationOptions` factories). */
type Defaults<TData, TVariables> = UseMutationOptions<TData, ChatApiError, TVariables>

/**
 * @internal An endpoint's mutation options, written framework-free in its module
 * (`src/core/endpoints`), as the hooks export them: the same function, typed for TanStack.
 */
export type MutationOptionsOf<F extends (...args: never[]) => object, TData, TVariables> = (
  ...args: Parameters<F>
) => ReturnType<F> & Defaults<TData, TVariables>

/**
 * `useMutation` with the library's defaults, under the caller's options. The library's `onSuccess`
 * (its cache updates) always runs first, then the caller's.
 */
export function useChatMutation<TData, TVariables, TOnMutateResult>(
  defaults: Defaults<TData, TVariables>,
  options?: ChatMutationOptions<TData, TVariables, TOnMutateResult>,
): UseMutationResult<TData, ChatApiError, TVariables, TOnMutateResult> {
  // Without options of the caller's, the library's own (one object per hook): nothing new per
  // render, and every mutation of the hook shares its key and functions.
  const merged = useMemo(
    () =>
      options
        ? {
            ...(options as UseMutationOptions<TData, ChatApiError, TVariables, TOnMutateResult>),
            mutationKey: defaults.mutationKey,
            mutationFn: defaults.mutationFn,
            scope: defaults.scope,
            retry: defaults.retry,
            gcTime: options.gcTime ?? defaults.gcTime,
            onSuccess: async (
              data: TData,
              variables: TVariables,
              onMutateResult: TOnMutateResult | undefined,
              context: Parameters<NonNullable<Defaults<TData, TVariables>['onSuccess']>>[3],
            ) => {
              await defaults.onSuccess?.(data, variables, undefined, context)
              await options.onSuccess?.(data, variables, onMutateResult as TOnMutateResult, context)
            },
          }
        : (defaults as UseMutationOptions<TData, ChatApiError, TVariables, TOnMutateResult>),
    [defaults, options],
  )
  return useMutation<TData, ChatApiError, TVariables, TOnMutateResult>(merged)
}

/** A mutation hook on one conversation, from its mutation options factory: the whole hook in one line. */
export function conversationMutationHook<TData, TVariables>(
  factory: (client: ChatConnection, id: number | undefined) => Defaults<TData, TVariables>,
) {
  // Called once per hook at module level (never during a render), so each hook is a stable function.
  // biome-ignore lint/correctness/noComponentHookFactories: the factory runs at import time, not in a component.
  return function useConversationMutation<TOnMutateResult = unknown>(
    id: number | undefined,
    options?: ChatMutationOptions<TData, TVariables, TOnMutateResult>,
  ): UseMutationResult<TData, ChatApiError, TVariables, TOnMutateResult> {
    const connection = useChatConnection()
    const defaults = useMemo(() => factory(connection, id), [connection, id])
    return useChatMutation(defaults, options)
  }
}
