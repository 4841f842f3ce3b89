'use client'
// The outbox behind useAddMessages and useConversationMessages: one per client and conversation, in memory.
import { type InfiniteData, matchQuery, onlineManager, type QueryClient, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useReducer, useSyncExternalStore } from 'react'
import type { ChatConnection } from '../../core/connection'
import { conversationKey } from '../../core/endpoints/endpoint'
import { addMessages, listMessages, messagesKey } from '../../core/endpoints/messages'
import { createOutbox, type ListedMessages, type Outbox, type OutboxSnapshot, pageLock } from '../../core/outbox'
import { createMemoryStorage } from '../../core/storage'
import type { Conversation, ConversationMessage } from '../../core/types'
import { useChatConnection } from './context'

interface Shared {
  outbox: Outbox
  /** Mounted hooks using it. */
  users: number
  /** Server ids already counted into the cached conversation. */
  counted: Set<number>
}

const registry = /* @__PURE__ */ new WeakMap<ChatConnection, Map<number | undefined, Shared>>()
let outboxes = 0

function shared(client: ChatConnection, queryClient: QueryClient, id: number | undefined): Shared {
  let byId = registry.get(client)
  if (!byId) {
    byId = new Map()
    registry.set(client, byId)
  }
  let found = byId.get(id)
  if (found) {
    // Who the server says the visitor is, as the cache knows the conversation (see `setIdentity`).
    if (id !== undefined) found.outbox.setIdentity(queryClient.getQueryData<Conversation>(conversationKey(id))?.author)
    return found
  }
  const outbox = createOutbox({
    // Only what the outbox calls, so a bundle with useAddMessages carries no other endpoint.
    client: {
      clock: client.clock,
      // Read per attempt, like the connection's: whether a resend may reuse the write's key.
      get idempotencyKeys() {
        return client.idempotencyKeys
      },
      addMessages: (conversation, messages, options) => addMessages(client, conversation, messages, options),
      listMessages: (conversation, options) => listMessages(client, conversation, options),
    },
    // Every entry carries its own author (useAddMessages' `author`, or the message's).
    author: {},
    storage: createMemoryStorage(),
    key: `socialboards-chat:messages:${++outboxes}`,
    lock: pageLock,
    online: { isOnline: () => onlineManager.isOnline(), subscribe: (listener) => onlineManager.subscribe(listener) },
    resend: 'manual',
    withoutConversation: 'fail',
    // A stored send stays until the conversation's loaded messages list it: the outbox reads the cache.
    ...(id === undefined ? {} : { listed: cachedMessages(queryClient, id) }),
  })
  outbox.setConversation(id)
  if (id !== undefined) outbox.setIdentity(queryClient.getQueryData<Conversation>(conversationKey(id))?.author)
  const made: Shared = { outbox, users: 0, counted: new Set() }
  found = made
  byId.set(id, made)
  outbox.subscribe(() => {
    const snapshot = outbox.getSnapshot()
    // A message stored counts into the cached conversation at once, so lists fetch what is new.
    for (const entry of snapshot.entries) {
      if (!entry.sent || made.counted.has(entry.sent.id) || id === undefined) continue
      made.counted.add(entry.sent.id)
      queryClient.setQueryData<Conversation>(conversationKey(id), (conversation) =>
        conversation ? { ...conversation, totalMessagesCount: conversation.totalMessagesCount + 1 } : conversation,
      )
    }
    if (!made.users) forgetIfUnused(byId, id, made)
  })
  return made
}

/** The messages of conversation `id` the cache holds (every page), and news when they change. */
function cachedMessages(queryClient: QueryClient, id: number): ListedMessages {
  const key = messagesKey(id)
  return {
    has: (serverId) =>
      queryClient
        .getQueryData<InfiniteData<ConversationMessage[]>>(key)
        ?.pages.some((page) => page.some((message) => message.id === serverId)) === true,
    subscribe: (listener) =>
      queryClient.getQueryCache().subscribe((event) => {
        if (event.type === 'updated' && matchQuery({ queryKey: key, exact: true }, event.query)) listener()
      }),
  }
}

/** Nobody shows it: sent messages no longer need showing; it goes once nothing is on its way or failed. */
function forgetIfUnused(byId: Map<number | undefined, Shared>, id: number | undefined, item: Shared) {
  if (item.users || byId.get(id) !== item) return
  if (item.outbox.getSnapshot().entries.every((entry) => entry.sent)) {
    byId.delete(id)
    item.outbox.destroy()
  }
}

const NO_ENTRIES: OutboxSnapshot = { entries: [], persistError: null }
const nothing = () => NO_ENTRIES
const noSubscription = () => () => {}

/**
 * The conversation's send queue shared by `useAddMessages` and `useConversationMessages` under one
 * provider, and its snapshot. It is made after mount (or by the first send), never during a render,
 * so a server render subscribes to nothing; it lives while a hook uses it, or while a message is on
 * its way or failed (a remount shows it again).
 */
export function useMessageOutbox(id: number | undefined): { outbox: () => Outbox; snapshot: OutboxSnapshot } {
  const client = useChatConnection()
  const queryClient = useQueryClient()
  const existing = registry.get(client)?.get(id)
  const [, madeNow] = useReducer((count: number) => count + 1, 0)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `existing` only says whether this render already saw it.
  useEffect(() => {
    const current = shared(client, queryClient, id)
    current.users++
    // Made (or first seen) after this render: render again to show and follow it.
    if (current !== existing) madeNow()
    return () => {
      current.users--
      // Later, so a remount right away (StrictMode, a moved component) keeps what it had.
      if (!current.users)
        setTimeout(() => {
          const map = registry.get(client)
          if (map) forgetIfUnused(map, id, current)
        }, 0)
    }
  }, [client, queryClient, id])
  const snapshot = useSyncExternalStore(
    existing?.outbox.subscribe ?? noSubscription,
    existing?.outbox.getSnapshot ?? nothing,
    nothing,
  )
  const outbox = useCallback(() => shared(client, queryClient, id).outbox, [client, queryClient, id])
  return { outbox, snapshot }
}
