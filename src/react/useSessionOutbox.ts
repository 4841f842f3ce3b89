'use client'
// The session's outbox in React: the core outbox engine, adapted with useSyncExternalStore.
import { onlineManager } from '@tanstack/react-query'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { createOutbox, type OnlineSignal, type Outbox, type OutboxSnapshot } from '../core/outbox'
import { type ChatSessionStorage, createMemoryStorage } from '../core/storage'
import type { UserValue } from '../core/types'
import { useChatClient } from './context'

export interface SessionOutboxOptions {
  conversationId: number | undefined
  author: UserValue
  /** Where entries live; `null` until the session has resolved it (after mount). */
  storage: ChatSessionStorage | null
  storageKey: string
  retryDelay?: number
  recheckInterval?: number
  landingWindow?: number
}

/** TanStack's idea of the network, which the rest of the app's queries share. */
const online: OnlineSignal = {
  isOnline: () => onlineManager.isOnline(),
  subscribe: (listener) => onlineManager.subscribe(listener),
}

const EMPTY: OutboxSnapshot = { entries: [], persistError: null }
const nothing = () => () => {}
const empty = () => EMPTY

/** The core outbox for this session, created after mount and destroyed on unmount. */
export function useSessionOutbox(options: SessionOutboxOptions): OutboxSnapshot & { outbox: Outbox | null } {
  const { storageKey, conversationId, author, retryDelay, recheckInterval, landingWindow } = options
  const client = useChatClient()
  const [fallback] = useState(createMemoryStorage)
  const storage = options.storage ?? fallback
  const [outbox, setOutbox] = useState<Outbox | null>(null)

  // biome-ignore lint/correctness/useExhaustiveDependencies: the author is passed on by the effect below.
  useEffect(() => {
    const created = createOutbox({
      client,
      author,
      storage,
      key: storageKey,
      online,
      retryDelay,
      recheckInterval,
      landingWindow,
    })
    setOutbox(created)
    return () => created.destroy()
  }, [client, storage, storageKey, retryDelay, recheckInterval, landingWindow])
  useEffect(() => outbox?.setAuthor(author), [outbox, author])
  useEffect(() => outbox?.setConversation(conversationId), [outbox, conversationId])

  const snapshot = useSyncExternalStore(outbox?.subscribe ?? nothing, outbox?.getSnapshot ?? empty, empty)
  return { ...snapshot, outbox }
}
