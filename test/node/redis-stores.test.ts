import { createClient } from 'redis'
import type { StoredResponse } from 'socialboards-chat-react/server'
import {
  createRedisIdempotencyStore,
  createRedisRateLimiter,
  type RedisClient,
} from 'socialboards-chat-react/server/redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type RedisServer, startRedisServer, waitFor } from './redis-server'

// The Redis stores against a real redis-server on loopback.

let redis: RedisServer
let client: RedisClient
let closers: (() => Promise<unknown>)[] = []
let round = 0
/** A key prefix of its own for each test, so tests never see each other's keys. */
const prefix = () => `test-${++round}`

beforeAll(async () => {
  redis = await startRedisServer()
  client = createClient({ url: redis.url })
  client.on('error', () => {})
  await client.connect()
}, 20_000)
afterAll(async () => {
  await client?.quit().catch(() => {})
  await redis?.stop()
})
afterEach(async () => {
  for (const close of closers.reverse()) await close()
  closers = []
})

const response: StoredResponse = { status: 201, headers: { 'content-type': 'application/json' }, body: '{"data":1}' }

describe('createRedisRateLimiter', () => {
  it('allows `limit` hits per window, then refuses with the seconds left', async () => {
    const limiter = await createRedisRateLimiter({ url: redis.url, prefix: prefix() })
    closers.push(() => limiter.close())
    for (let i = 0; i < 3; i++) expect((await limiter.hit('ada', 3, 60_000)).allowed).toBe(true)
    const refused = await limiter.hit('ada', 3, 60_000)
    expect(refused.allowed).toBe(false)
    expect(refused.retryAfter).toBeGreaterThan(55)
    expect(refused.retryAfter).toBeLessThanOrEqual(60)
    expect((await limiter.hit('bob', 3, 60_000)).allowed).toBe(true)
  })

  it('shares the budget between instances on one Redis, and each counter expires with its window', async () => {
    const name = prefix()
    const one = await createRedisRateLimiter({ url: redis.url, prefix: name })
    const two = await createRedisRateLimiter({ client, prefix: name })
    closers.push(
      () => one.close(),
      () => two.close(),
    )
    expect((await one.hit('ada', 2, 60_000)).allowed).toBe(true)
    expect((await two.hit('ada', 2, 60_000)).allowed).toBe(true)
    expect((await one.hit('ada', 2, 60_000)).allowed).toBe(false)
    // A window under a second still expires (counted as one second), never lives forever.
    expect((await one.hit('short', 1, 200)).allowed).toBe(true)
    const keys = await client.keys(`${name}:*`)
    expect(keys.length).toBeGreaterThan(0)
    for (const key of keys) expect(await client.pTTL(key)).toBeGreaterThan(0)
    await waitFor(async () => (await one.hit('short', 1, 200)).allowed, 'the short window to end', 5_000)
  })

  it('neither throws nor waits while Redis is unreachable: it counts in memory meanwhile', async () => {
    const lost = createClient({ url: redis.url })
    lost.on('error', () => {})
    await lost.connect()
    const limiter = await createRedisRateLimiter({ client: lost as RedisClient, prefix: prefix() })
    await lost.quit()
    expect(await limiter.hit('ada', 2, 60_000)).toMatchObject({ allowed: true })
    expect(await limiter.hit('ada', 2, 60_000)).toMatchObject({ allowed: true })
    expect(await limiter.hit('ada', 2, 60_000)).toMatchObject({ allowed: false })
    // A client it was given stays the app's to close.
    await limiter.close()
  })
})

describe('createRedisIdempotencyStore', () => {
  it('lets exactly one of several simultaneous claims hold a key, across instances', async () => {
    const name = prefix()
    const one = await createRedisIdempotencyStore({ url: redis.url, prefix: name })
    const two = await createRedisIdempotencyStore({ client, prefix: name })
    closers.push(
      () => one.close(),
      () => two.close(),
    )
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).claim('k', 'f1', 60_000)))
    expect(claims.filter((claim) => claim === undefined)).toHaveLength(1)
    expect(claims.filter((claim) => claim !== undefined)).toEqual(
      Array.from({ length: 9 }, () => ({ state: 'pending', fingerprint: 'f1' })),
    )
  })

  it('keeps the answer of a finished claim, forgets a released one, and sets a ttl on every record', async () => {
    const name = prefix()
    const store = await createRedisIdempotencyStore({ url: redis.url, prefix: name })
    closers.push(() => store.close())
    expect(await store.claim('k', 'f1', 60_000)).toBeUndefined()
    expect(await store.get('k')).toEqual({ state: 'pending', fingerprint: 'f1' })
    await store.finish('k', 'f1', response, 60_000)
    const done = { state: 'done', fingerprint: 'f1', response }
    expect(await store.get('k')).toEqual(done)
    expect(await store.claim('k', 'f2', 60_000)).toEqual(done)
    for (const key of await client.keys(`${name}:*`)) expect(await client.pTTL(key)).toBeGreaterThan(0)

    expect(await store.claim('other', 'f1', 60_000)).toBeUndefined()
    await store.release('other')
    expect(await store.get('other')).toBeUndefined()
    expect(await store.claim('other', 'f1', 60_000)).toBeUndefined()
  })

  it('lets records expire after their ttl', async () => {
    const store = await createRedisIdempotencyStore({ client, prefix: prefix() })
    expect(await store.claim('k', 'f1', 100)).toBeUndefined()
    await waitFor(async () => (await store.get('k')) === undefined, 'the claim to expire', 5_000)
    expect(await store.claim('k', 'f2', 60_000)).toBeUndefined()
  })

  it('reads a value that is not a record as nothing, and lets such a key be claimed', async () => {
    const name = prefix()
    const store = await createRedisIdempotencyStore({ client, prefix: name })
    for (const junk of ['{', '"text"', '{"state":"done","fingerprint":"f"}', '{"state":"odd","fingerprint":"f"}']) {
      await client.set(`${name}:idempotency:k`, junk)
      expect(await store.get('k')).toBeUndefined()
    }
    expect(await store.claim('k', 'f1', 60_000)).toBeUndefined()
    expect(await store.get('k')).toEqual({ state: 'pending', fingerprint: 'f1' })
  })
})
