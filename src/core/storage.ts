// Where the session keeps the visitor's conversation id and outbox: memory, localStorage, or the app's own.
/**
 * Where a chat session keeps the visitor's conversation id and unsent messages (never a token).
 * `localStorage` fits; so does anything with these methods. `subscribe`, when present, tells the
 * session that another tab (or another session on the same storage) changed the key. `setItem`
 * may throw (a full quota): the session then keeps its state in memory and says so.
 */
export interface ChatSessionStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
  subscribe?(key: string, onChange: () => void): () => void
}

/** A storage that lives in memory: shared by the sessions that use the same instance, gone on reload. */
export function createMemoryStorage(): ChatSessionStorage {
  const values = new Map<string, string>()
  const listeners = new Set<{ key: string; onChange: () => void }>()
  const changed = (key: string) => {
    for (const listener of [...listeners]) if (listener.key === key) listener.onChange()
  }
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => {
      values.set(key, value)
      changed(key)
    },
    removeItem: (key) => {
      values.delete(key)
      changed(key)
    },
    subscribe: (key, onChange) => {
      const listener = { key, onChange }
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/**
 * `localStorage` (with other tabs' changes) when the browser allows it; `null` otherwise. With
 * `'session'`, `sessionStorage`: the chat survives a reload of this tab but is not shared with
 * other tabs, and ends with the tab.
 */
export function browserStorage(kind: 'local' | 'session' = 'local'): ChatSessionStorage | null {
  try {
    const storage = kind === 'session' ? globalThis.sessionStorage : globalThis.localStorage
    if (!storage) return null
    const probe = '__socialboards-chat-react__'
    storage.setItem(probe, probe)
    storage.removeItem(probe)
    return {
      getItem: (key) => storage.getItem(key),
      setItem: (key, value) => storage.setItem(key, value),
      removeItem: (key) => storage.removeItem(key),
      subscribe: (key, onChange) => {
        const listener = (event: StorageEvent) => {
          if (event.key === key || event.key === null) onChange()
        }
        globalThis.addEventListener('storage', listener)
        return () => globalThis.removeEventListener('storage', listener)
      },
    }
  } catch {
    // Blocked storage (private modes, sandboxed frames) throws on access.
    return null
  }
}

/** What a storage threw, as an Error that keeps its name (a `DOMException` is not an `Error` everywhere). */
export function asStorageError(thrown: unknown): Error {
  const error = thrown as Error | null
  return typeof error?.name === 'string' && typeof error?.message === 'string' ? error : new Error(String(thrown))
}
