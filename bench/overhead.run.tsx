// Overhead of the library over a bare fetch, against a real loopback HTTP server, and the heap it
// keeps after 10,000 creates. Writes bench/RESULTS.md and bench/results.json.
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, totalmem } from 'node:os'
import { QueryClient } from '@tanstack/react-query'
import { renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import {
  ChatApiProvider,
  type CreateConversationInput,
  createChatClient,
  useCreateConversation,
} from 'socialboards-chat-react'
import { expect, it } from 'vitest'

const ROUNDS = 40
const PER_ROUND = 50
/** A second, shorter run with the server answering after this many ms, as a real network would. */
const NETWORK_DELAY_MS = 20
const NETWORK_ROUNDS = 10
const NETWORK_PER_ROUND = 10
const MEMORY_CREATES = 10_000

const input: CreateConversationInput = { author: { name: 'John', email: 'john@dow.com' }, title: 'Bench' }
let nextId = 1
const answer = () =>
  JSON.stringify({
    data: {
      id: nextId++,
      author: {
        id: 'fc2481f6-28a4-4ca7-849a-344fd6ab1b20',
        name: 'John',
        email: 'john@dow.com',
        image: null,
        isBot: false,
        status: 'client',
      },
      creationTime: '2023-09-01T12:56:39.0847826+03:00',
      lastModifiedTime: '2023-09-01T12:56:39.0847826+03:00',
      isClosed: false,
      isTakeoverEnabled: true,
      feedback: null,
      messages: [],
      queuePositionInfo: { position: 1, waitTime: 3 },
      totalMessagesCount: 0,
    },
    errorCode: -1,
    errorText: null,
  })

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

function heapAfterGc() {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with --expose-gc (npm run bench does)')
  for (let i = 0; i < 6; i++) gc()
  return process.memoryUsage().heapUsed
}

it('measures overhead and retained memory', async () => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false
  let delay = 0
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      const send = () => {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(answer())
      }
      if (delay) setTimeout(send, delay)
      else send()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`

  const bare = async () => {
    const response = await fetch(`${baseURL}chat/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer token' },
      body: JSON.stringify(input),
    })
    const body = JSON.parse(await response.text())
    if (!response.ok || body.errorCode !== -1) throw new Error('bad answer')
    return body.data
  }
  const client = createChatClient({ baseURL, accessToken: 'token' })
  const viaClient = () => client.createConversation(input)

  const wrapperFor = (queryClient: QueryClient) =>
    function Wrapper({ children }: { children: ReactNode }) {
      return (
        <ChatApiProvider baseURL={baseURL} accessToken="token" queryClient={queryClient}>
          {children}
        </ChatApiProvider>
      )
    }
  const hook = renderHook(() => useCreateConversation(), { wrapper: wrapperFor(new QueryClient()) })
  const viaHook = () => hook.result.current.mutateAsync(input)

  const variants = { bare, client: viaClient, hook: viaHook }
  type Variant = keyof typeof variants
  const names = Object.keys(variants) as Variant[]
  const measure = async (rounds: number, perRound: number) => {
    const samples: Record<Variant, number[]> = { bare: [], client: [], hook: [] }
    for (let round = 0; round < rounds; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length] as Variant)
      for (const name of order)
        for (let i = 0; i < perRound; i++) {
          const start = performance.now()
          await variants[name]()
          samples[name].push(performance.now() - start)
        }
    }
    return samples
  }
  for (const name of names) for (let i = 0; i < 200; i++) await variants[name]() // warm-up
  const samples = await measure(ROUNDS, PER_ROUND)
  delay = NETWORK_DELAY_MS
  const networkSamples = await measure(NETWORK_ROUNDS, NETWORK_PER_ROUND)
  delay = 0
  hook.unmount()

  // Memory: 10,000 creates through one provider. With TanStack's default gcTime (5 minutes) the
  // cache keeps every created conversation by design; with gcTime 0 what remains is what leaks.
  const retained = async (gcTime?: number) => {
    const queryClient = new QueryClient(
      gcTime === undefined ? {} : { defaultOptions: { queries: { gcTime }, mutations: { gcTime } } },
    )
    const memoryHook = renderHook(() => useCreateConversation(), { wrapper: wrapperFor(queryClient) })
    // Warm-up, so code compiled and pools grown on first use are not counted as retained.
    for (let i = 0; i < 2000; i++) await memoryHook.result.current.mutateAsync(input)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const before = heapAfterGc()
    for (let i = 0; i < MEMORY_CREATES; i++) await memoryHook.result.current.mutateAsync(input)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const after = heapAfterGc()
    const cached = queryClient.getQueryCache().getAll().length
    memoryHook.unmount()
    queryClient.clear()
    return { bytes: after - before, cachedQueries: cached }
  }
  const leakCheck = await retained(0)
  const byDesign = await retained()
  server.close()

  const medians = { bare: median(samples.bare), client: median(samples.client), hook: median(samples.hook) }
  const networkMedians = {
    bare: median(networkSamples.bare),
    client: median(networkSamples.client),
    hook: median(networkSamples.hook),
  }
  const results = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    samplesPerVariant: ROUNDS * PER_ROUND,
    medianMs: medians,
    ratios: { clientOverBare: medians.client / medians.bare, hookOverBare: medians.hook / medians.bare },
    network: {
      serverDelayMs: NETWORK_DELAY_MS,
      samplesPerVariant: NETWORK_ROUNDS * NETWORK_PER_ROUND,
      medianMs: networkMedians,
      hookOverBare: networkMedians.hook / networkMedians.bare,
    },
    memory: {
      creates: MEMORY_CREATES,
      retainedBytesGcTime0: leakCheck.bytes,
      retainedBytesDefaultGcTime: byDesign.bytes,
      cachedQueriesDefaultGcTime: byDesign.cachedQueries,
    },
  }
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`)
  const ms = (value: number) => `${value.toFixed(3)} ms`
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`
  const table = [
    '# Benchmark results',
    '',
    `Generated by \`npm run bench\` (bench/overhead.run.tsx) on ${results.date}: ${results.machine}.`,
    `One \`POST chat/conversations\` round trip to a loopback HTTP server started by the bench; ${results.samplesPerVariant} samples per variant, interleaved in ${ROUNDS} rounds.`,
    '',
    '| variant | median | ratio to (a) |',
    '|---|---|---|',
    `| (a) bare \`fetch\` + \`JSON.parse\` + envelope check | ${ms(medians.bare)} | 1.00 |`,
    `| (b) \`client.createConversation\` (validation, ofetch, envelope, typed errors) | ${ms(medians.client)} | ${results.ratios.clientOverBare.toFixed(2)} |`,
    `| (c) \`useCreateConversation().mutateAsync\` under \`renderHook\` | ${ms(medians.hook)} | ${results.ratios.hookOverBare.toFixed(2)} |`,
    '',
    `Target c/a ≤ 1.05 on loopback: ${results.ratios.hookOverBare <= 1.05 ? 'met' : 'not met'} (the hook adds ${ms(medians.hook - medians.bare)} per create: TanStack's mutation and cache bookkeeping, the cache write and React's re-render).`,
    '',
    `The same with the server answering after ${NETWORK_DELAY_MS} ms, as over a real network (${results.network.samplesPerVariant} samples per variant):`,
    '',
    '| variant | median | ratio to (a) |',
    '|---|---|---|',
    `| (a) bare | ${ms(networkMedians.bare)} | 1.00 |`,
    `| (b) client | ${ms(networkMedians.client)} | ${(networkMedians.client / networkMedians.bare).toFixed(3)} |`,
    `| (c) hook | ${ms(networkMedians.hook)} | ${results.network.hookOverBare.toFixed(3)} |`,
    '',
    `Memory, ${MEMORY_CREATES.toLocaleString('en')} creates through one provider (heap after forced GC, before vs after):`,
    `- with \`gcTime: 0\` (nothing cached, so anything left is a leak): ${kb(leakCheck.bytes)} (target < 1 MiB: ${leakCheck.bytes < 2 ** 20 ? 'met' : 'not met'}; a negative figure means the heap ended smaller than it started);`,
    `- with TanStack's default \`gcTime\` (5 minutes): ${kb(byDesign.bytes)}, the created conversations TanStack's cache keeps by design until \`gcTime\` passes (${byDesign.cachedQueries.toLocaleString('en')} cached, the 2,000 warm-up creates included).`,
    '',
  ].join('\n')
  writeFileSync('bench/RESULTS.md', table)
  console.log(table)
  expect(samples.hook.length).toBe(ROUNDS * PER_ROUND)
})
