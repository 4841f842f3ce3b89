'use client'
// useAddMessages: the visitor's sends through the conversation's outbox, shown pending, sent or failed, in order;
// and the send's mutation options for those who compose TanStack Query themselves.
import { useCallback, useMemo } from 'react'
import { type AddMessageInput, type AddMessagesVariables, addMessagesMutation } from '../../core/endpoints/messages'
import type { ChatApiError } from '../../core/errors'
import { failureError, type OutboxEntry } from '../../core/outbox'
import type { ConversationMessage, UserValue } from '../../core/types'
import { useMessageOutbox } from '../provider/outboxes'
import type { MutationOptionsOf } from '../provider/useChatMutation'

/**
 * Mutation options for sending messages, for `useMutation` users who compose TanStack Query
 * themselves. Sends of one conversation run one after another, in order (a shared mutation
 * `scope`); nothing is retried by itself. On success the cached conversation's
 * `totalMessagesCount` grows, so the messages query fetches what is new, in the server's order.
 */
export const addMessagesMutationOptions: MutationOptionsOf<
  typeof addMessagesMutation,
  ConversationMessage[],
  AddMessagesVariables
> = addMessagesMutation

/** A message sent from this app that the history does not list yet, as it goes out. */
export interface OutgoingMessage {
  /** Identifies the send: pass it to `retry` or `discard`. */
  localId: number
  /** A stable React key while the message is local. */
  key: string
  /** `pending` while it goes out (or waits for an earlier send), `sent` once stored, `failed` on error. */
  status: 'pending' | 'sent' | 'failed'
  message: string
  author: UserValue
  /** The stamp sent with it (ISO-8601): the one given, else the server's time when it left. */
  creationTime?: string | null
  /** When it was submitted (epoch ms). */
  submittedAt: number
  /** Why it failed; `null` otherwise. */
  error: ChatApiError | null
  /** The stored message's id, once sent. */
  sent?: { id: number }
}

const views = /* @__PURE__ */ new WeakMap<OutboxEntry, OutgoingMessage>()

/** One view per entry, kept while the entry is unchanged. */
function outgoing(entry: OutboxEntry): OutgoingMessage {
  let view = views.get(entry)
  if (!view) {
    view = {
      localId: entry.localId,
      key: `outbox-${entry.localId}`,
      status: entry.failed ? 'failed' : entry.sent ? 'sent' : 'pending',
      message: entry.message,
      author: entry.author ?? {},
      creationTime: entry.creationTime,
      submittedAt: entry.writtenAt,
      error: entry.failed ? failureError(entry.failed) : null,
      ...(entry.sent ? { sent: entry.sent } : {}),
    }
    views.set(entry, view)
  }
  return view
}

/** Options of {@link useAddMessages}. */
export interface UseAddMessagesOptions<TAuthor extends UserValue | undefined = UserValue | undefined> {
  /** The author of messages sent as plain text with `send('…')`: without it, `send` takes only messages. */
  author?: TAuthor
}

/**
 * The result of {@link useAddMessages}. `TText` is `string` when the hook was given an `author`
 * (so `send('Hi')` knows who writes), `never` otherwise.
 */
export interface UseAddMessagesResult<TText extends string = string> {
  /**
   * Sends text (as `author`) or messages, each its own request, in order. Never throws: a failure
   * shows in `outbox` as `failed`. Returns the new messages' `localId`s.
   */
  send: (input: TText | AddMessageInput | AddMessageInput[]) => number[]
  /**
   * Sends the failed message `localId` again (the visitor asked: nothing is resent by itself). A
   * message whose fate was unknown (no answer, a 5xx) is first looked for in the conversation, and
   * sent again only if it did not land; behind the server half (the client's `idempotencyKeys`) one
   * that got no answer at all goes again at once with the same `Idempotency-Key`, stored once.
   */
  retry: (localId: number) => void
  /** Forgets a failed message. */
  discard: (localId: number) => void
  /** This conversation's sends the history does not list yet: pending, sent and failed. */
  outbox: OutgoingMessage[]
  /** `true` while a message is on its way. */
  isPending: boolean
  /** The error of the latest failed message still shown, or `null`. */
  error: ChatApiError | null
}

/**
 * Sends the visitor's messages through the conversation's outbox, which `useConversationMessages`
 * shares. Each shows at once in `outbox` (and in `useConversationMessages`) as `pending`, then `sent`
 * with the server's id, or `failed` with its error until the visitor retries or discards it. Messages
 * of one conversation go out one after another, in order; a POST is never repeated by itself, and
 * a retry never stores a message twice.
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
  const { author } = options
  const { outbox, snapshot } = useMessageOutbox(id)

  const send = useCallback(
    (input: string | AddMessageInput | AddMessageInput[]) =>
      // Without an author, text fails validation ("author is required") and shows as failed.
      (typeof input === 'string'
        ? [{ message: input, author: author as UserValue }]
        : ([] as AddMessageInput[]).concat(input)
      ).map((message) => outbox().add(message)),
    [outbox, author],
  )
  return useMemo(() => {
    const list = snapshot.entries.map(outgoing)
    const failed = list.filter((message) => message.error)
    return {
      send,
      retry: (localId: number) => outbox().retry(localId),
      discard: (localId: number) => outbox().discard(localId),
      outbox: list,
      isPending: list.some((message) => message.status === 'pending'),
      error: failed[failed.length - 1]?.error ?? null,
    }
  }, [snapshot, send, outbox])
}
