import { mkdirSync, writeFileSync } from 'node:fs'
import { QueryClient } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { ChatApiProvider, type ChatSessionStorage, createMemoryStorage, useChatSession } from 'socialboards-chat-react'
import type { MockFault } from 'socialboards-chat-react/mock'
import { afterAll, describe, expect, it } from 'vitest'
import { api, baseURL, token } from './support/mock-server'

// 200 randomized visits under dropped requests (before and after the server acted), timeouts whose
// request lands late, 5xx answers and page reloads. At the end the server must hold exactly what the
// visitor typed, in order: nothing lost, nothing twice.

const RUNS = 200
const CLIENT_TIMEOUT = 60
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
const faults = (draw: () => number): MockFault => {
  const pick = Math.floor(draw() * 6)
  const match = { method: 'POST', path: sendPath }
  if (pick === 0) return { type: 'network', match }
  if (pick === 1) return { type: 'network', after: true, match }
  if (pick === 2) return { type: 'status', status: 503, body: 'busy', match }
  if (pick === 3) return { type: 'status', status: 500, body: 'oops', after: true, match }
  if (pick === 4) return { type: 'delay', ms: CLIENT_TIMEOUT + 50, match }
  return { type: 'network', match: { method: 'GET', path: sendPath } }
}

function page(storage: ChatSessionStorage) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ChatApiProvider baseURL={baseURL} accessToken={token} timeout={CLIENT_TIMEOUT} queryClient={queryClient}>
      {children}
    </ChatApiProvider>
  )
  return renderHook(
    () => useChatSession({ author, storage, pollInterval: 30, retryDelay: 5, recheckDelay: CLIENT_TIMEOUT + 80 }),
    { wrapper },
  )
}

const tally = { runs: 0, messages: 0, faults: 0, reloads: 0 }
afterAll(() => {
  console.log(
    `session chaos: ${tally.runs} runs, ${tally.messages} messages, ${tally.faults} faults, ${tally.reloads} reloads`,
  )
  // Read by `npm run quality` for the README.
  if (tally.runs === RUNS) {
    mkdirSync('reports', { recursive: true })
    writeFileSync('reports/session-chaos.json', `${JSON.stringify(tally)}\n`)
  }
})

describe('useChatSession under faults and reloads', () => {
  it.each(Array.from({ length: RUNS }, (_, index) => index + 1))(
    'run %i: the server holds exactly what was typed',
    { timeout: 15_000 },
    async (seed) => {
      const draw = random(seed * 7919)
      const storage = createMemoryStorage()
      let tab = page(storage)
      const typed = Array.from({ length: 2 + Math.floor(draw() * 4) }, (_, i) => `run ${seed} message ${i + 1}`)

      for (const text of typed) {
        if (draw() < 0.45) {
          api.inject(faults(draw))
          tally.faults++
        }
        act(() => tab.result.current.send(text))
        await new Promise((resolve) => setTimeout(resolve, draw() * 40))
        if (draw() < 0.25) {
          tab.unmount()
          tab = page(storage)
          tally.reloads++
        }
      }

      const stored = () =>
        api
          .conversations()
          .flatMap((conversation) => conversation.messages ?? [])
          .map((message) => message.message)
      await waitFor(
        () => {
          expect(stored()).toEqual(typed)
          expect(tab.result.current.messages.map((m) => `${m.message}:${m.status}`)).toEqual(
            typed.map((text) => `${text}:sent`),
          )
        },
        { timeout: 8000, interval: 20 },
      )
      expect(api.conversations()).toHaveLength(1)
      tab.unmount()
      tally.runs++
      tally.messages += typed.length
    },
  )
})
