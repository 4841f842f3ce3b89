import type { ChatHint, EventBus } from 'socialboards-chat-react/server'
import { createRedisEventBus } from 'socialboards-chat-react/server/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisServer, startRedisServer, waitFor } from './redis-server'

// A Redis without persistence that crashes and comes back empty: its counter starts over, yet hint
// ids must keep increasing, or streams that saw the old ids would drop every new hint as already seen.

let redis: RedisServer
let buses: EventBus[] = []
beforeAll(async () => {
  redis = await startRedisServer()
}, 20_000)
afterAll(async () => {
  await Promise.allSettled(buses.map((bus) => bus.close()))
  await redis?.stop()
}, 20_000)

const CONVERSATION = 42
/** A conversation only the reconnection probe uses, so the hints under test stay exactly as published. */
const PROBE = 7

describe('hint ids across a Redis restart without persistence', () => {
  it('keep increasing, so live streams and Last-Event-ID replays get every hint published after it', async () => {
    const publisher = await createRedisEventBus({ url: redis.url, prefix: 'restart' })
    const subscriber = await createRedisEventBus({ url: redis.url, prefix: 'restart' })
    buses = [publisher, subscriber]
    const seen: ChatHint[] = []
    await subscriber.subscribe(CONVERSATION, (hint) => seen.push(hint))

    // Enough hints that a counter starting over stays below the last id seen for a while.
    for (let i = 0; i < 20; i++) await publisher.publish({ conversationId: CONVERSATION, kind: 'message' })
    await waitFor(() => seen.length === 20, 'the hints before the restart')
    const lastBefore = (seen.at(-1) as ChatHint).id

    await redis.kill('SIGKILL')
    await redis.restart()

    // Both buses reconnect by themselves: wait until a hint published through one reaches the other.
    const probes: ChatHint[] = []
    await subscriber.subscribe(PROBE, (hint) => probes.push(hint))
    await waitFor(
      async () => {
        await Promise.race([
          publisher.publish({ conversationId: PROBE, kind: 'message' }),
          new Promise((resolve) => setTimeout(resolve, 500)),
        ]).catch(() => {})
        return probes.length > 0
      },
      'the buses to reconnect',
      20_000,
    )
    expect(probes.every((hint) => hint.id > lastBefore)).toBe(true)

    const published = 5
    for (let i = 0; i < published; i++) await publisher.publish({ conversationId: CONVERSATION, kind: 'takeover' })
    // Nothing published after the restart is dropped as already seen by the stream open since before it.
    await waitFor(() => seen.length === 20 + published, 'every hint published after the restart', 5_000).catch(() => {})
    const after = seen.slice(20)
    expect(after.map((hint) => hint.kind)).toEqual(Array.from({ length: published }, () => 'takeover'))
    for (const [i, hint] of seen.entries()) if (i > 0) expect(hint.id > (seen[i - 1] as ChatHint).id).toBe(true)

    // A stream reopened with the id it saw before the restart gets what came after (kept in Redis since).
    const replayed: ChatHint[] = []
    const stop = await subscriber.subscribe(CONVERSATION, (hint) => replayed.push(hint), lastBefore)
    stop()
    expect(replayed.map((hint) => hint.id)).toEqual(after.map((hint) => hint.id))
  }, 40_000)
})
