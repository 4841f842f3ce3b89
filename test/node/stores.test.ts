import {
  type ChatHint,
  createMemoryEventBus,
  createMemoryIdempotencyStore,
  createMemoryRateLimiter,
  type StoredResponse,
} from 'socialboards-chat-react/server'
import { afterEach, describe, expect, it, vi } from 'vitest'

// The in-memory stores on an injected clock: no waiting, and memory that follows recent activity only.

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let time = start
  return { now: () => time, advance: (ms: number) => (time += ms) }
}

const response: StoredResponse = { status: 201, headers: { 'content-type': 'application/json' }, body: '{"data":1}' }

afterEach(() => {
  vi.useRealTimers()
})

describe('createMemoryRateLimiter', () => {
  it('allows `limit` hits per window, then refuses with the seconds left, and starts over after it', async () => {
    const { now, advance } = clock()
    const limiter = createMemoryRateLimiter(now)
    for (let i = 0; i < 3; i++) expect(await limiter.hit('ada', 3, 60_000)).toEqual({ allowed: true, retryAfter: 60 })
    advance(15_000)
    expect(await limiter.hit('ada', 3, 60_000)).toEqual({ allowed: false, retryAfter: 45 })
    // Another key has its own budget.
    expect((await limiter.hit('bob', 3, 60_000)).allowed).toBe(true)
    advance(45_000)
    expect(await limiter.hit('ada', 3, 60_000)).toEqual({ allowed: true, retryAfter: 60 })
  })

  it('keeps no timer per key: 20,000 idle visitors leave none behind', async () => {
    vi.useFakeTimers()
    const { now, advance } = clock()
    const limiter = createMemoryRateLimiter(now)
    for (let i = 0; i < 20_000; i++) await limiter.hit(`visitor-${i}`, 10, 60_000)
    expect(vi.getTimerCount()).toBe(0)
    advance(60_000)
    // The next request walks the ended windows away; each visitor's budget is whole again.
    expect(await limiter.hit('visitor-0', 1, 60_000)).toEqual({ allowed: true, retryAfter: 60 })
    expect(await limiter.hit('visitor-0', 1, 60_000)).toMatchObject({ allowed: false })
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('createMemoryIdempotencyStore', () => {
  it('lets exactly one of several simultaneous claims hold a key', async () => {
    const store = createMemoryIdempotencyStore(clock().now)
    const claims = await Promise.all(Array.from({ length: 10 }, () => store.claim('k', 'f1', 60_000)))
    expect(claims.filter((claim) => claim === undefined)).toHaveLength(1)
    expect(claims.filter((claim) => claim !== undefined)).toEqual(
      Array.from({ length: 9 }, () => ({ state: 'pending', fingerprint: 'f1' })),
    )
  })

  it('keeps the answer of a finished claim, forgets a released one', async () => {
    const store = createMemoryIdempotencyStore(clock().now)
    expect(await store.claim('k', 'f1', 60_000)).toBeUndefined()
    expect(await store.get('k')).toEqual({ state: 'pending', fingerprint: 'f1' })
    await store.finish('k', 'f1', response, 60_000)
    const done = { state: 'done', fingerprint: 'f1', response }
    expect(await store.get('k')).toEqual(done)
    expect(await store.claim('k', 'f2', 60_000)).toEqual(done)

    expect(await store.claim('other', 'f1', 60_000)).toBeUndefined()
    await store.release('other')
    expect(await store.get('other')).toBeUndefined()
    expect(await store.claim('other', 'f1', 60_000)).toBeUndefined()
  })

  it('lets records expire after their ttl, and the key be claimed again', async () => {
    const { now, advance } = clock()
    const store = createMemoryIdempotencyStore(now)
    expect(await store.claim('k', 'f1', 5_000)).toBeUndefined()
    advance(4_999)
    expect(await store.get('k')).toEqual({ state: 'pending', fingerprint: 'f1' })
    advance(1)
    expect(await store.get('k')).toBeUndefined()
    expect(await store.claim('k', 'f2', 5_000)).toBeUndefined()
    await store.finish('k', 'f2', response, 10_000)
    advance(10_000)
    expect(await store.get('k')).toBeUndefined()
  })
})

describe('createMemoryEventBus', () => {
  it('works with no options, and its ids increase as strings', async () => {
    const bus = createMemoryEventBus()
    const seen: ChatHint[] = []
    await bus.subscribe(1, (hint) => seen.push(hint))
    for (let i = 0; i < 12; i++) await bus.publish({ conversationId: 1, kind: 'message' })
    expect(seen).toHaveLength(12)
    for (const [i, hint] of seen.entries()) if (i > 0) expect(hint.id > (seen[i - 1] as ChatHint).id).toBe(true)
    expect(seen[0]?.id).toMatch(/^\d{16}-\d{16}$/)
    await bus.close()
  })

  it('gives a bus made later (a restarted process) ids after every id of the earlier one', async () => {
    const { now, advance } = clock()
    const before = createMemoryEventBus({ now })
    const old: ChatHint[] = []
    await before.subscribe(1, (hint) => old.push(hint))
    for (let i = 0; i < 100; i++) await before.publish({ conversationId: 1, kind: 'message' })
    advance(1)
    const after = createMemoryEventBus({ now })
    const fresh: ChatHint[] = []
    await after.subscribe(1, (hint) => fresh.push(hint))
    await after.publish({ conversationId: 1, kind: 'message' })
    expect((fresh[0] as ChatHint).id > (old.at(-1) as ChatHint).id).toBe(true)
  })

  it('replays after a Last-Event-ID only what is younger than historyMs', async () => {
    const { now, advance } = clock()
    const bus = createMemoryEventBus({ now, historyMs: 60_000 })
    const first: ChatHint[] = []
    await bus.subscribe(7, (hint) => first.push(hint))
    await bus.publish({ conversationId: 7, kind: 'message' })
    advance(30_000)
    await bus.publish({ conversationId: 7, kind: 'takeover' })
    const replay = async () => {
      const got: string[] = []
      const stop = await bus.subscribe(7, (hint) => got.push(hint.kind), '')
      stop()
      return got
    }
    expect(await replay()).toEqual(['message', 'takeover'])
    advance(30_000)
    expect(await replay()).toEqual(['takeover'])
    advance(30_000)
    expect(await replay()).toEqual([])
    // After a seen id, only what came later.
    await bus.publish({ conversationId: 7, kind: 'closed' })
    const got: string[] = []
    await bus.subscribe(7, (hint) => got.push(hint.kind), (first[0] as ChatHint).id)
    expect(got).toEqual(['closed'])
  })

  it('forgets 50,000 forged conversations once historyMs has passed', async () => {
    const { now, advance } = clock()
    const bus = createMemoryEventBus({ now, historyMs: 60_000, maxConversations: 100_000 })
    for (let id = 1; id <= 50_000; id++) await bus.publish({ conversationId: id, kind: 'message' })
    const replayed = async (conversationId: number) => {
      let count = 0
      const stop = await bus.subscribe(conversationId, () => count++, '')
      stop()
      return count
    }
    expect(await replayed(1)).toBe(1)
    expect(await replayed(50_000)).toBe(1)
    advance(60_000)
    await bus.publish({ conversationId: 50_001, kind: 'message' })
    expect(await replayed(1)).toBe(0)
    expect(await replayed(25_000)).toBe(0)
    expect(await replayed(50_000)).toBe(0)
    expect(await replayed(50_001)).toBe(1)
  })

  it('keeps at most maxConversations histories, dropping the least recently published-to first', async () => {
    const bus = createMemoryEventBus({ now: clock().now, maxConversations: 3 })
    for (const id of [1, 2, 3]) await bus.publish({ conversationId: id, kind: 'message' })
    // Conversation 1 is active again, so 2 is now the stalest.
    await bus.publish({ conversationId: 1, kind: 'takeover' })
    await bus.publish({ conversationId: 4, kind: 'message' })
    const kinds = async (conversationId: number) => {
      const got: string[] = []
      const stop = await bus.subscribe(conversationId, (hint) => got.push(hint.kind), '')
      stop()
      return got
    }
    expect(await kinds(1)).toEqual(['message', 'takeover'])
    expect(await kinds(2)).toEqual([])
    expect(await kinds(3)).toEqual(['message'])
    expect(await kinds(4)).toEqual(['message'])
  })

  it('keeps the latest 50 hints of a conversation', async () => {
    const bus = createMemoryEventBus({ now: clock().now })
    for (let i = 0; i < 60; i++) await bus.publish({ conversationId: 1, kind: 'message' })
    let count = 0
    await bus.subscribe(1, () => count++, '')
    expect(count).toBe(50)
  })
})
