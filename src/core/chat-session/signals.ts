// Browser adapters the session is given by default: the page's visibility, its location, an EventSource connector.
import type { OnlineSignal, Timers } from '../outbox'
import type { PageSignal, RealtimeConnector, VisibilitySignal } from './types'

/** The document's visibility where there is a document; always visible elsewhere. */
export function documentVisibility(): VisibilitySignal | undefined {
  const document = (globalThis as { document?: Document }).document
  if (!document?.addEventListener) return undefined
  return {
    isVisible: () => document.visibilityState !== 'hidden',
    subscribe: (listener) => {
      document.addEventListener('visibilitychange', listener)
      return () => document.removeEventListener('visibilitychange', listener)
    },
  }
}

/**
 * The browser's connectivity where there is a window: online until its `offline` event, then
 * until its `online` event. `navigator.onLine` is not read: browsers report false negatives (a VPN,
 * a virtual adapter), and a chat that believes it is offline never sends. Elsewhere none: always online.
 */
export function browserOnline(): OnlineSignal | undefined {
  const scope = globalThis as {
    addEventListener?: typeof addEventListener
    removeEventListener?: typeof removeEventListener
  }
  if (!scope.addEventListener || !scope.removeEventListener) return undefined
  let online = true
  return {
    isOnline: () => online,
    subscribe(listener) {
      const told = (value: boolean) => () => {
        online = value
        listener(value)
      }
      const on = told(true)
      const off = told(false)
      scope.addEventListener?.('online', on)
      scope.addEventListener?.('offline', off)
      return () => {
        scope.removeEventListener?.('online', on)
        scope.removeEventListener?.('offline', off)
      }
    },
  }
}

/**
 * The browser's `EventSource` on `{baseURL}chat/conversations/{id}/events`, with the cookie. When
 * the stream fails it is reopened with back-off (1 s, doubling to 30 s, reset once open), carrying
 * the last event id it saw (`?lastEventId=`), so nothing is missed across reconnects.
 */
export function eventSourceConnector(
  baseURL: string,
  timers: Timers = globalThis as unknown as Timers,
): RealtimeConnector {
  return {
    connect(conversationId, { onHint, onOpen, onError }) {
      const EventSourceClass = (globalThis as { EventSource?: typeof EventSource }).EventSource
      if (!EventSourceClass) {
        onError()
        return () => {}
      }
      let source: EventSource | undefined
      let lastEventId = ''
      let delay = 1000
      let retry: unknown
      let closed = false
      const open = () => {
        const query = lastEventId ? `?lastEventId=${encodeURIComponent(lastEventId)}` : ''
        source = new EventSourceClass(`${baseURL}chat/conversations/${conversationId}/events${query}`, {
          withCredentials: true,
        })
        source.onopen = () => {
          delay = 1000
          onOpen()
        }
        source.onerror = () => {
          onError()
          // Closed by the server or refused: reopen ourselves, later each time.
          source?.close()
          if (closed) return
          retry = timers.setTimeout(open, delay)
          delay = Math.min(delay * 2, 30_000)
        }
        for (const kind of ['message', 'takeover', 'closed'] as const)
          source.addEventListener(kind, (event) => {
            lastEventId = (event as MessageEvent).lastEventId || lastEventId
            onHint(kind)
          })
      }
      open()
      return () => {
        closed = true
        timers.clearTimeout(retry)
        source?.close()
      }
    },
  }
}

/** The browser's location: the Navigation API's changes where there is one, else back/forward and hash changes. */
export function browserPage(): PageSignal | undefined {
  const scope = globalThis as {
    location?: Location
    addEventListener?: typeof addEventListener
    removeEventListener?: typeof removeEventListener
    navigation?: EventTarget
  }
  if (!scope.location || !scope.addEventListener) return undefined
  return {
    current: () => scope.location?.href,
    subscribe(listener) {
      const navigation = scope.navigation
      if (navigation) {
        navigation.addEventListener('currententrychange', listener)
        return () => navigation.removeEventListener('currententrychange', listener)
      }
      scope.addEventListener?.('popstate', listener)
      scope.addEventListener?.('hashchange', listener)
      return () => {
        scope.removeEventListener?.('popstate', listener)
        scope.removeEventListener?.('hashchange', listener)
      }
    },
  }
}
