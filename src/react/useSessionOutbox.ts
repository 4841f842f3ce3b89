'use client'
import { onlineManager, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ChatApiError } from '../core/errors'
import type { UserValue } from '../core/types'
import { useChatClient } from './context'
import { chatKeys } from './keys'
import { type AddMessagesVariables, addMessagesMutationOptions } from './options'
import { type ChatSessionStorage, createMemoryStorage, withStartLock } from './sessionStorage'

/** A message the visitor wrote that the history does not list yet. Kept in storage, so a reload keeps it. */
export interface OutboxEntry {
  localId: number
  message: string
  /** Set when written: with the text, it identifies the message on the server. */
  creationTime: string
  /** An attempt has left (or may have): look for the message on the server before sending it again. */
  uncertain?: boolean
  /** Refused by the server or by validation: waits for the visitor to retry or discard it. */
  failed?: { kind: ChatApiError['kind']; message: string }
  /** Stored on the server; kept only until the history lists it, so it never blinks out of view. */
  sent?: boolean
}

/** `true` when a stored message is the outbox entry (same text, same creation time). */
export const isSameMessage = (
  stored: { message: string; creationTime?: string | null },
  entry: Pick<OutboxEntry, 'message' | 'creationTime'>,
) =>
  stored.message === entry.message &&
  typeof stored.creationTime === 'string' &&
  Date.parse(stored.creationTime) === Date.parse(entry.creationTime)

// A definite "no": the server refused the message, so sending it again unchanged would fail again.
const refused = (error: ChatApiError) =>
  error.kind === 'validation' ||
  error.kind === 'api' ||
  (error.kind === 'http' && (error.status ?? 0) < 500 && error.status !== 408 && error.status !== 429)

const parse = (raw: string | null): OutboxEntry[] => {
  try {
    const value = raw ? JSON.parse(raw) : []
    return Array.isArray(value)
      ? value.filter(
          (e) =>
            typeof e?.message === 'string' && typeof e?.creationTime === 'string' && Number.isSafeInteger(e?.localId),
        )
      : []
  } catch {
    return []
  }
}

let lastLocalId = 0
const nextLocalId = () => {
  lastLocalId = Math.max(lastLocalId + 1, Date.now() * 1000)
  return lastLocalId
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface SessionOutboxOptions {
  conversationId: number | undefined
  author: UserValue
  /** Where entries live; `null` until the session has resolved it (after mount). */
  storage: ChatSessionStorage | null
  storageKey: string
  /** Milliseconds before the next attempt after a transient failure; doubles up to 30 s. */
  retryDelay: number
  /** Milliseconds to wait, after an attempt whose fate is unknown, before looking for it on the server. */
  recheckDelay: number
}

/**
 * The session's outbox. Storage is the truth, shared by every tab and page load: an attempt is
 * recorded there before it leaves, so whoever sends next (this page, a reload, another tab) checks
 * the server's list before sending that message again. One sender at a time (a lock), oldest first.
 */
export function useSessionOutbox(options: SessionOutboxOptions) {
  const { storageKey, conversationId } = options
  const client = useChatClient()
  const queryClient = useQueryClient()
  const latest = useRef(options)
  latest.current = options
  const [fallback] = useState(createMemoryStorage)
  const target = options.storage ?? fallback
  const storage = useRef(target)
  storage.current = target

  const [entries, setEntries] = useState<OutboxEntry[]>([])
  const read = useCallback(() => parse(storage.current.getItem(storageKey)), [storageKey])
  useEffect(() => {
    const sync = () => setEntries(read())
    sync()
    return target.subscribe?.(storageKey, sync)
  }, [target, storageKey, read])

  /** Read-modify-write of the stored entries; other sessions on the storage are told by it. */
  const change = useCallback(
    (edit: (entries: OutboxEntry[]) => OutboxEntry[]) => {
      const next = edit(read())
      if (next.length) storage.current.setItem(storageKey, JSON.stringify(next))
      else storage.current.removeItem(storageKey)
      setEntries(next)
    },
    [read, storageKey],
  )
  const patch = useCallback(
    (localId: number, update: Partial<OutboxEntry> | null) =>
      change((all) =>
        all.flatMap((entry) =>
          entry.localId !== localId ? [entry] : update === null ? [] : [{ ...entry, ...update }],
        ),
      ),
    [change],
  )

  const alive = useRef(true)
  const running = useRef(false)
  const again = useRef(false)
  const pump = useCallback(async () => {
    if (running.current) {
      again.current = true
      return
    }
    running.current = true
    try {
      do {
        again.current = false
        await withStartLock(`${storageKey}:send`, async () => {
          let delay = latest.current.retryDelay
          while (alive.current) {
            const id = latest.current.conversationId
            const head = read().find((entry) => !entry.failed && !entry.sent)
            if (id === undefined || !head || !onlineManager.isOnline()) return
            try {
              if (head.uncertain) {
                await pause(latest.current.recheckDelay)
                const recent = await client.listMessages(id, { orderBy: 'creation_time_desc', take: 100 })
                if (recent.some((stored) => isSameMessage(stored, head))) {
                  patch(head.localId, { sent: true, uncertain: false })
                  await queryClient.invalidateQueries({ queryKey: chatKeys.conversation(id), exact: true })
                  continue
                }
                if (!alive.current) return
              }
              // Written before the request leaves: if this page dies now, the next sender checks first.
              patch(head.localId, { uncertain: true })
              const { mutationKey: _shared, ...send } = addMessagesMutationOptions(client, id)
              const variables: AddMessagesVariables = {
                messages: [{ message: head.message, author: latest.current.author, creationTime: head.creationTime }],
              }
              await queryClient
                .getMutationCache()
                .build(queryClient, { ...send, gcTime: 0, mutationKey: [...chatKeys.conversation(id), 'session'] })
                .execute(variables)
              patch(head.localId, { sent: true, uncertain: false })
              delay = latest.current.retryDelay
            } catch (reason) {
              const error = reason as ChatApiError
              if (refused(error))
                patch(head.localId, { failed: { kind: error.kind, message: error.message }, uncertain: false })
              else {
                if (!alive.current) return
                await pause(delay)
                delay = Math.min(delay * 2, 30_000)
              }
            }
          }
        })
      } while (again.current && alive.current)
    } finally {
      running.current = false
    }
  }, [client, queryClient, patch, read, storageKey])

  const [wake, setWake] = useState(0)
  useEffect(() => {
    alive.current = true
    const unsubscribe = onlineManager.subscribe((online) => {
      if (online) setWake((n) => n + 1)
    })
    return () => {
      alive.current = false
      unsubscribe()
    }
  }, [])
  // biome-ignore lint/correctness/useExhaustiveDependencies: each of these is a reason to try sending.
  useEffect(() => {
    pump()
  }, [pump, conversationId, entries, wake])

  const add = useCallback(
    (message: string) =>
      change((all) => [...all, { localId: nextLocalId(), message, creationTime: new Date().toISOString() }]),
    [change],
  )
  // A refused message was never stored, so it is written again now: the server keeps messages in
  // time order, and its old time would slot it in before messages sent since, out of every loaded page.
  const retry = useCallback(
    (localId: number) => patch(localId, { failed: undefined, creationTime: new Date().toISOString() }),
    [patch],
  )
  const discard = useCallback((localId: number) => patch(localId, null), [patch])
  const clear = useCallback(() => change(() => []), [change])
  return { entries, add, retry, discard, clear }
}
