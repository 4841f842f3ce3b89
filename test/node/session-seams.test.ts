import {
  type ChatClient,
  type Conversation,
  type ConversationMessage,
  createChatSession,
  createMemoryStorage,
  type RealtimeConnector,
  type Timers,
} from 'socialboards-chat-react/core'
import { describe, expect, it } from 'vitest'
import { createPoller, type PollTarget } from '../../src/core/chat-session/polling'

// The engine's seams: the poller on hand-fired timers with a scripted connector, and the
// stale-answer rule staged deterministically with a scripted client whose answers the test releases.

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>()
  let next = 0
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      pending.set(++next, { callback, ms })
      return next
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  }
  return {
    timers,
    delays: () => [...pending.values()].map((timer) => timer.ms),
    fire: () => {
      for (const [handle, timer] of [...pending.entries()]) {
        pending.delete(handle)
        timer.callback()
      }
    },
  }
}

function scriptedConnector() {
  let handlers: Parameters<RealtimeConnector['connect']>[1] | undefined
  const state = { connected: [] as number[], closed: 0 }
  const connector: RealtimeConnector = {
    connect(id, next) {
      state.connected.push(id)
      handlers = next
      return () => {
        state.closed++
      }
    },
  }
  return {
    connector,
    state,
    open: () => handlers?.onOpen(),
    fail: () => handlers?.onError(),
    hint: () => handlers?.onHint('message'),
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((done) => {
    resolve = done
  })
  return { promise, resolve }
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

describe('the poller', () => {
  function poller(options: { interval?: number | false; visible?: () => boolean } = {}) {
    const clock = manualTimers()
    const stream = scriptedConnector()
    let now = 0
    const target: { value: PollTarget | undefined } = { value: { conversationId: 7, isClosed: false } }
    const reads: number[] = []
    const gate: { next?: ReturnType<typeof deferred<void>> } = {}
    const loop = createPoller({
      interval: options.interval ?? 4000,
      timers: clock.timers,
      now: () => now,
      visibility: options.visible ? { isVisible: options.visible, subscribe: () => () => {} } : undefined,
      connector: stream.connector,
      target: () => target.value,
      refresh: async (id) => {
        reads.push(id)
        await gate.next?.promise
      },
    })
    return { loop, clock, stream, target, reads, gate, advance: (ms: number) => (now += ms) }
  }

  it('polls at the fast pace, slows when quiet, and comes back to it when the visitor writes', async () => {
    const { loop, clock, reads, advance } = poller()
    loop.schedule(0)
    clock.fire()
    await flush()
    expect(reads).toEqual([7])
    expect(clock.delays()).toEqual([4000])
    advance(61_000)
    clock.fire()
    await flush()
    expect(clock.delays(), 'quiet for a minute: the idle pace').toEqual([15_000])
    loop.hurry()
    expect(clock.delays(), 'the visitor wrote: the fast pace at once').toEqual([4000])
  })

  it('refreshes at once on a hint, keeps a 30 s safety net while the stream is healthy, and 4 s when it breaks', async () => {
    const { loop, clock, stream } = poller()
    loop.schedule(0)
    clock.fire()
    await flush()
    expect(stream.state.connected).toEqual([7])
    stream.open()
    expect(clock.delays()).toEqual([0])
    clock.fire()
    await flush()
    expect(clock.delays()).toEqual([30_000])
    stream.hint()
    expect(clock.delays()).toEqual([0])
    stream.fail()
    expect(clock.delays()).toEqual([4000])
  })

  it('never runs two reads at once, and never drops one asked for meanwhile', async () => {
    const { loop, clock, reads, gate } = poller()
    gate.next = deferred<void>()
    loop.schedule(0)
    clock.fire()
    await flush()
    loop.schedule(0)
    clock.fire()
    await flush()
    expect(reads, 'one read in flight').toEqual([7])
    gate.next.resolve()
    gate.next = undefined
    await flush()
    expect(clock.delays(), 'the read asked for meanwhile comes right after').toEqual([0])
  })

  it('keeps polling at the idle pace while the page is hidden, and acts on hints there (#24 attention)', async () => {
    const hidden = poller({ visible: () => false })
    hidden.loop.schedule(0)
    hidden.clock.fire()
    await flush()
    expect(hidden.reads, 'a hidden page still reads').toEqual([7])
    expect(hidden.clock.delays(), 'at the idle pace').toEqual([15_000])
    hidden.clock.fire()
    await flush()
    expect(hidden.reads).toEqual([7, 7])
    hidden.stream.open()
    hidden.clock.fire()
    await flush()
    hidden.stream.hint()
    expect(hidden.clock.delays(), 'a hint refreshes at once, hidden or not').toEqual([0])
    hidden.clock.fire()
    await flush()
    expect(hidden.reads).toEqual([7, 7, 7, 7])
  })

  it('stops for a closed conversation or none', async () => {
    const { loop, clock, target, stream } = poller()
    target.value = { conversationId: 7, isClosed: true }
    loop.schedule(0)
    expect(clock.delays()).toEqual([])
    target.value = undefined
    loop.follow()
    expect(stream.state.connected).toEqual([])
  })
})

/** A Chat API stand-in whose answers the test releases one by one. */
function scriptedClient() {
  const pending: { call: string; resolve: (value: unknown) => void }[] = []
  const ask = <T>(call: string) => new Promise<T>((resolve) => pending.push({ call, resolve: resolve as never }))
  let created = 100
  const client = {
    baseURL: 'http://chat.test/',
    idempotencyKeys: false,
    clock: { now: () => Date.now(), offset: undefined, seed: () => {} },
    getConversation: (id: number) => ask<Conversation>(`get:${id}`),
    listMessages: (id: number) => ask<ConversationMessage[]>(`list:${id}`),
    getTakeover: (id: number) => ask(`takeover:${id}`),
    createConversation: () => Promise.resolve(conversation(++created, 0)),
    addMessages: () => new Promise(() => {}),
  } as unknown as ChatClient
  /** Answers the oldest pending call named `call`. */
  const answer = async (call: string, value: unknown) => {
    await expect.poll(() => pending.some((p) => p.call === call)).toBe(true)
    const index = pending.findIndex((p) => p.call === call)
    const [found] = pending.splice(index, 1)
    found?.resolve(value)
    await flush()
  }
  return { client, answer, pending }
}

const visitor = { id: 'v-1', email: 'ada@example.com', isBot: false, status: 'client' }
const agent = { id: 'a-1', email: 'anna@example.com', isBot: false, status: 'team' }
function conversation(id: number, totalMessagesCount: number): Conversation {
  return {
    id,
    author: visitor,
    creationTime: '2026-01-01T00:00:00.000Z',
    isClosed: false,
    totalMessagesCount,
    queuePositionInfo: { position: 2, waitTime: 3 },
  } as Conversation
}
const message = (id: number, text: string): ConversationMessage =>
  ({ id, author: agent, message: text, creationTime: '2026-01-01T00:00:01.000Z' }) as ConversationMessage

describe('the stale-answer rule, staged', () => {
  function resumedOn(id: number) {
    const storage = createMemoryStorage()
    storage.setItem('chat', JSON.stringify({ conversationId: id, isBotEnabled: false }))
    const clock = manualTimers()
    const api = scriptedClient()
    const session = createChatSession({
      client: api.client,
      author: { email: 'ada@example.com' },
      storage,
      storageKey: 'chat',
      timers: clock.timers,
      lock: (_name, task) => task(),
      visibility: { isVisible: () => true, subscribe: () => () => {} },
    })
    clock.fire() // the first read of the resumed conversation
    return { session, api, clock }
  }

  it("messages listed for conversation A after the session moved to B never reach B's state", async () => {
    const { session, api } = resumedOn(1)
    await api.answer('get:1', conversation(1, 1))
    // A's messages are on their way when the visitor resets and starts B.
    await expect.poll(() => api.pending.map((p) => p.call)).toContain('list:1')
    session.reset()
    await session.start()
    expect(session.getSnapshot().conversationId).toBe(101)
    await api.answer('list:1', [message(9, "A's secret")])
    const state = session.getSnapshot()
    expect(
      state.messages.map((m) => m.message),
      "stale-answer rule: A's messages, answered after the move to B, must not reach the state",
    ).toEqual([])
    expect(state.conversationId).toBe(101)
  })

  it("a read of conversation A answered after the move to B never becomes B's conversation", async () => {
    const { session, api } = resumedOn(1)
    await expect.poll(() => api.pending.map((p) => p.call)).toContain('get:1')
    session.reset()
    await session.start()
    await api.answer('get:1', conversation(1, 0))
    expect(
      session.getSnapshot().conversation?.id,
      "stale-answer rule: A's read, answered after the move to B, must not reach the state",
    ).toBe(101)
  })
})
