'use client'
// useAddMessages: the visitor's sends as TanStack mutations, shown pending, sent or failed, in order.
import { type MutationState, type UseMutationResult, useMutationState, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import type { ChatApiError } from '../../core/errors'
import type { AddMessageInput, ConversationMessage, UserValue } from '../../core/types'
import { useChatClient } from '../provider/context'
import { chatKeys } from '../provider/keys'
import { type AddMessagesVariables, addMessagesMutationOptions } from '../provider/options'
import { type ChatMutationOptions, useChatMutation } from '../provider/useChatMutation'

/** A message the visitor sent from this app, as it goes out. */
export interface OutgoingMessage {
  /** Identifies the send (a TanStack mutation id): pass it to `retry` or `discard`. */
  localId: number
  /** A stable React key while the message is local. */
  key: string
  /** `pending` while it goes out (or waits for an earlier send), `sent` once stored, `failed` on error. */
  status: 'pending' | 'sent' | 'failed'
  message: string
  author: UserValue
  creationTime?: string | null
  /** When the send was submitted (epoch ms). */
  submittedAt: number
  /** Why it failed; `null` otherwise. */
  error: ChatApiError | null
  /** The stored message, once sent. */
  sent?: ConversationMessage
}

const noop = () => {}

/** Every send of this conversation that the app still holds, oldest first. */
export function useOutgoingMessages(id: number | undefined): OutgoingMessage[] {
  // Plain data, not the Mutation objects: a new `state` object on every change is what re-renders.
  const sends = useMutationState({
    filters: { mutationKey: chatKeys.addMessages(id) },
    select: (mutation) => ({
      localId: mutation.mutationId,
      state: mutation.state as MutationState<ConversationMessage[], ChatApiError, AddMessagesVariables>,
    }),
  })
  return sends.flatMap(({ localId, state }) => {
    const { status, variables, error, data, submittedAt } = state
    if (!variables || status === 'idle') return []
    return variables.messages.map((input, index) => ({
      localId,
      key: `local-${localId}-${index}`,
      status:
        status === 'success' ? ('sent' as const) : status === 'error' ? ('failed' as const) : ('pending' as const),
      message: input.message,
      author: input.author,
      creationTime: input.creationTime,
      submittedAt,
      error: error ?? null,
      sent: data?.[index],
    }))
  })
}

/** Options of {@link useAddMessages}. */
export type UseAddMessagesOptions<TAuthor extends UserValue | undefined = UserValue | undefined> = ChatMutationOptions<
  ConversationMessage[],
  AddMessagesVariables
> & {
  /** The author of messages sent as plain text with `send('…')`: without it, `send` takes only messages. */
  author?: TAuthor
}

/**
 * The result of {@link useAddMessages}. `TText` is `string` when the hook was given an `author`
 * (so `send('Hi')` knows who writes), `never` otherwise.
 */
export type UseAddMessagesResult<TText extends string = string> = UseMutationResult<
  ConversationMessage[],
  ChatApiError,
  AddMessagesVariables
> & {
  /** Sends text (as `author`) or messages. Never throws: a failure shows in `outbox` as `failed`. */
  send: (input: TText | AddMessageInput | AddMessageInput[]) => void
  /** Sends the failed send `localId` again (the visitor asked for it: nothing is resent by itself). */
  retry: (localId: number) => void
  /** Forgets a failed send. */
  discard: (localId: number) => void
  /** This conversation's sends: pending, sent and failed. */
  outbox: OutgoingMessage[]
}

/**
 * Sends the visitor's messages. Each shows at once in `outbox` (and in `useConversationMessages`) as
 * `pending`, then `sent` with the server's id, or `failed` with its error until the visitor retries
 * or discards it. Sends of one conversation go out one after another, in order; a POST is never
 * retried by itself.
 *
 * @example
 * ```tsx
 * const { send, retry } = useAddMessages(conversationId, { author: { email: 'ada@example.com' } })
 * send('Hello!')
 * ```
 */
export function useAddMessages<TAuthor extends UserValue | undefined = undefined>(
  id: number | undefined,
  options: UseAddMessagesOptions<TAuthor> = {},
): UseAddMessagesResult<TAuthor extends UserValue ? string : never> {
  const { author, ...mutationOptions } = options
  const queryClient = useQueryClient()
  const mutation = useChatMutation(addMessagesMutationOptions(useChatClient(), id), mutationOptions)
  const outbox = useOutgoingMessages(id)
  const { mutate } = mutation

  const send = useCallback(
    (input: string | AddMessageInput | AddMessageInput[]) => {
      // Without an author, text fails validation ("author is required") and shows as failed.
      const messages =
        typeof input === 'string'
          ? [{ message: input, author: author as UserValue }]
          : Array.isArray(input)
            ? input
            : [input]
      mutate({ messages }, { onError: noop })
    },
    [mutate, author],
  )

  const find = useCallback(
    (localId: number) =>
      queryClient
        .getMutationCache()
        .getAll()
        .find((m) => m.mutationId === localId && m.state.status === 'error'),
    [queryClient],
  )
  const retry = useCallback(
    (localId: number) => {
      const failed = find(localId)
      if (!failed) return
      queryClient.getMutationCache().remove(failed)
      mutate(failed.state.variables as AddMessagesVariables, { onError: noop })
    },
    [find, mutate, queryClient],
  )
  const discard = useCallback(
    (localId: number) => {
      const failed = find(localId)
      if (failed) queryClient.getMutationCache().remove(failed)
    },
    [find, queryClient],
  )

  return { ...mutation, send, retry, discard, outbox }
}
