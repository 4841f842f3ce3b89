import { mkdirSync, writeFileSync } from 'node:fs'
import { createChatClient, createMemoryStorage } from 'socialboards-chat-react'
import { createOutbox, type Outbox } from 'socialboards-chat-react/core'
import { createMockChatApi, type MockFault } from 'socialboards-chat-react/mock'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { baseURL, server, token } from './support/mock-server'

// 200 seeded visits driving the outbox engine on fake time against the stateful mock: requests
// dropped before and after the server acted, answers lost while the request lands seconds later,
// 5xx answers, failed rechecks, page reloads mid-send, and a server clock two minutes off the
// visitor's. At the end the server must hold exactly what the visitor typed, in order.

const RUNS = 200
const TIMEOUT = 500
const LANDING_WINDOW = 4000
const author = { name: 'Chaos', email: 'chaos@example.com' }

/** A small seeded generator, so a failing run can be replayed by its seed. */
function random(seed: number) {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
}

const sendPath = /^chat\/conversations\/\d+\/messages$/
const fault = (draw: () => number): MockFault => {
  const match = { method: 'POST', path: sendPath }
  switch (Math.floor(draw() * 7)) {
    case 0:
      return { type: 'network', match }
    case 1:
      return { type: 'network', after: true, match }
    case 2:
      return { type: 'status', status: 503, body: 'busy', match }
    case 3:
      return { type: 'status', status: 500, body: 'oops', after: true, match }
    case 4:
      // The answer never comes in time; the request lands up to 3 s after the client gave up.
      return { type: 'delay', ms: TIMEOUT + Math.floor(draw() * 3000), match }
    case 5:
      return { type: 'network', match: { method: 'GET', path: sendPath } }
    default:
      return { type: 'status', status: 429, body: 'slow down', match }
  }
}

const tally = { runs: 0, messages: 0, faults: 0, reloads: 0, skewed: 0 }
afterAll(() => {
  console.log(
    `session chaos: ${tally.runs} runs, ${tally.messages} messages, ${tally.faults} faults, ${tally.reloads} reloads, ${tally.skewed} with a skewed clock`,
  )
  // Read by `npm run quality` for the README.
  if (tally.runs === RUNS) {
    mkdirSync('reports', { recursive: true })
    writeFileSync('reports/session-chaos.json', `${JSON.stringify(tally)}\n`)
  }
})

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.parse('2026-11-26T12:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('the outbox under faults, reloads and a wrong clock', () => {
  it.each(Array.from({ length: RUNS }, (_, index) => index + 1))(
    'run %i: the server holds exactly what was typed, in order',
    async (seed) => {
      const draw = random(seed * 7919)
      const skew = [0, 0, 120_000, -120_000][Math.floor(draw() * 4)] as number
      if (skew) tally.skewed++
      const api = createMockChatApi({ now: () => new Date(Date.now() + skew) })
      server.use(...api.handlers)
      const client = createChatClient({ baseURL, accessToken: token, timeout: TIMEOUT })
      const { id } = await client.createConversation({ author })
      const storage = createMemoryStorage()
      const page = (): Outbox => {
        const outbox = createOutbox({
          client,
          author,
          storage,
          key: `chaos-${seed}`,
          retryDelay: 50,
          recheckInterval: 250,
          landingWindow: LANDING_WINDOW,
        })
        outbox.setConversation(id)
        return outbox
      }
      let tab = page()
      const typed = Array.from({ length: 2 + Math.floor(draw() * 4) }, (_, i) => `run ${seed} message ${i + 1}`)

      for (const text of typed) {
        if (draw() < 0.5) {
          api.inject(fault(draw))
          tally.faults++
        }
        tab.add(text)
        await vi.advanceTimersByTimeAsync(Math.floor(draw() * 400))
        if (draw() < 0.25) {
          tab.destroy()
          tab = page()
          tally.reloads++
        }
      }

      const stored = () => (api.conversations()[0]?.messages ?? []).map((message) => message.message)
      const settled = () => tab.getSnapshot().entries.every((entry) => entry.sent)
      for (let step = 0; step < 600 && !(settled() && stored().length >= typed.length); step++)
        await vi.advanceTimersByTimeAsync(100)
      // Late landings still pending would show up here as duplicates.
      await vi.advanceTimersByTimeAsync(LANDING_WINDOW)

      expect(stored()).toEqual(typed)
      expect(tab.getSnapshot().entries.map((entry) => entry.sent !== undefined)).toEqual(typed.map(() => true))
      const times = (api.conversations()[0]?.messages ?? []).map((message) => Date.parse(message.creationTime))
      expect(times).toEqual([...times].sort((a, b) => a - b))
      tab.destroy()
      tally.runs++
      tally.messages += typed.length
    },
  )
})
