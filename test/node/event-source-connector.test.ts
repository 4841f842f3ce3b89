import { eventSourceConnector, type Timers } from 'socialboards-chat-react/core'
import { afterEach, describe, expect, it } from 'vitest'

// The browser's EventSource, stood in for (Node has none): what the connector opens, and when.
class FakeEventSource {
  static opened: FakeEventSource[] = []
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  closed = false
  listeners = new Map<string, (event: { lastEventId: string }) => void>()
  constructor(
    readonly url: string,
    readonly init: { withCredentials: boolean },
  ) {
    FakeEventSource.opened.push(this)
  }
  addEventListener(kind: string, listener: (event: { lastEventId: string }) => void) {
    this.listeners.set(kind, listener)
  }
  close() {
    this.closed = true
  }
}

const original = (globalThis as { EventSource?: unknown }).EventSource
afterEach(() => {
  ;(globalThis as { EventSource?: unknown }).EventSource = original
  FakeEventSource.opened = []
})

function manualTimers() {
  const pending: { callback: () => void; ms: number }[] = []
  const timers: Timers = {
    setTimeout: (callback, ms) => pending.push({ callback, ms }),
    clearTimeout: () => {
      pending.length = 0
    },
  }
  return { timers, pending }
}

describe('eventSourceConnector', () => {
  it('opens the stream with the cookie, reopens with back-off after failures, and resumes after the last event', () => {
    ;(globalThis as { EventSource?: unknown }).EventSource = FakeEventSource
    const clock = manualTimers()
    const seen: string[] = []
    const close = eventSourceConnector('/api/chat/', clock.timers).connect(7, {
      onHint: (kind) => seen.push(kind),
      onOpen: () => seen.push('open'),
      onError: () => seen.push('error'),
    })
    const first = FakeEventSource.opened[0] as FakeEventSource
    expect(first.url).toBe('/api/chat/chat/conversations/7/events')
    expect(first.init).toEqual({ withCredentials: true })
    first.onopen?.()
    first.listeners.get('message')?.({ lastEventId: '0000000000000042' })

    const delays: number[] = []
    for (let failure = 0; failure < 6; failure++) {
      const current = FakeEventSource.opened.at(-1) as FakeEventSource
      current.onerror?.()
      expect(current.closed).toBe(true)
      const next = clock.pending.shift()
      delays.push(next?.ms as number)
      next?.callback()
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000])
    const reopened = FakeEventSource.opened.at(-1) as FakeEventSource
    expect(reopened.url).toBe('/api/chat/chat/conversations/7/events?lastEventId=0000000000000042')
    reopened.onopen?.() // healthy again: the next failure waits 1 s again
    reopened.onerror?.()
    expect(clock.pending.at(-1)?.ms).toBe(1000)
    expect(seen.slice(0, 3)).toEqual(['open', 'message', 'error'])

    close()
    expect(clock.pending).toHaveLength(0)
    expect((FakeEventSource.opened.at(-1) as FakeEventSource).closed).toBe(true)
  })

  it('reports an error, and opens nothing, where there is no EventSource', () => {
    ;(globalThis as { EventSource?: unknown }).EventSource = undefined
    const seen: string[] = []
    eventSourceConnector('/api/chat/').connect(7, {
      onHint: () => {},
      onOpen: () => seen.push('open'),
      onError: () => seen.push('error'),
    })
    expect(seen).toEqual(['error'])
  })
})
