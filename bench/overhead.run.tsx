// Overhead of the library over a bare fetch, against a real loopback HTTP server, and the heap it
// keeps after 10,000 creates. Writes bench/RESULTS.md and bench/results.json.
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, totalmem } from 'node:os'
import { MutationObserver, QueryClient, QueryClientProvider, useMutation } from '@tanstack/react-query'
import { act, renderHook } from '@testing-library/react'
import { ofetch } from 'ofetch'
import createFetchClient from 'openapi-fetch'
import type { ReactNode } from 'react'
import {
  ChatApiProvider,
  type Conversation,
  type CreateConversationInput,
  chatKeys,
  createChatClient,
  createConversationMutationOptions,
  useCreateConversation,
} from 'socialboards-chat-react'
import { expect, it } from 'vitest'
import type { paths } from './peers/api-types'

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

// Between collections the event loop turns once, so FinalizationRegistry callbacks run: fetch
// (undici) registers every request that has a signal and lets go of it only in such a callback,
// so a heap read straight after gc() counts those requests as kept, depending on timing.
async function heapAfterGc() {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with --expose-gc (npm run bench does)')
  for (let i = 0; i < 6; i++) {
    gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
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
  // Idle sockets stay open: the quiet phases below leave them idle for longer than Node's 5 s
  // default, and a request racing the server's close of its socket would fail with ECONNRESET.
  server.keepAliveTimeout = 0
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
  // ofetch alone, as the client calls it (no validation, no envelope types); and the same with
  // ofetch's own timeout: ofetch then makes an AbortController per request, as any client that can
  // time a request out must (the client makes its own: see core/http.ts). The floor under (b).
  const ofetchCreate = (timeout?: number) => {
    const $fetch = ofetch.create({ baseURL, retry: 0, ignoreResponseError: true, responseType: 'text', timeout })
    return async () => {
      const response = await $fetch.raw<string, 'text'>('chat/conversations', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer token' },
        body: JSON.stringify(input),
      })
      const body = JSON.parse(response._data ?? '')
      if (response.status !== 200 || body.errorCode !== -1) throw new Error('bad answer')
      return body.data
    }
  }
  const viaOfetch = ofetchCreate()
  const viaOfetchTimed = ofetchCreate(30_000)
  // The peer's client: openapi-fetch on the same endpoint (typed, no checks), with the envelope check.
  const openapi = createFetchClient<paths>({
    baseUrl: baseURL.replace(/\/$/, ''),
    headers: { Authorization: 'Bearer token' },
  })
  const viaOpenapi = async () => {
    const { data, response } = await openapi.POST('/chat/conversations', { body: input })
    if (!response.ok || !data || data.errorCode !== -1) throw new Error('bad answer')
    return data.data
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
  const plainWrapperFor = (queryClient: QueryClient) =>
    function Wrapper({ children }: { children: ReactNode }) {
      return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    }
  /** The peer of the hook: a plain useMutation over the bare fetch, writing the same cache entry. */
  const usePlainCreate = (
    queryClient: QueryClient,
    mutationFn = bare as (input: CreateConversationInput) => Promise<Conversation>,
  ) =>
    useMutation({
      mutationFn,
      onSuccess: (conversation) => queryClient.setQueryData(chatKeys.conversation(conversation.id), conversation),
    })

  const renders = { hook: 0, plain: 0 }
  const hook = renderHook(
    () => {
      renders.hook++
      return useCreateConversation()
    },
    { wrapper: wrapperFor(new QueryClient()) },
  )
  const plainClient = new QueryClient()
  const plain = renderHook(
    () => {
      renders.plain++
      return usePlainCreate(plainClient)
    },
    { wrapper: plainWrapperFor(plainClient) },
  )
  // The hook layer alone: the same plain useMutation, over our client instead of the bare fetch.
  const plainOverClient = renderHook(
    () => usePlainCreate(plainClient, (value: CreateConversationInput) => client.createConversation(value)),
    { wrapper: plainWrapperFor(plainClient) },
  )
  const viaHook = () => hook.result.current.mutateAsync(input)
  const viaPlain = () => plain.result.current.mutateAsync(input)
  const viaPlainOverClient = () => plainOverClient.result.current.mutateAsync(input)

  const variants = {
    bare,
    ofetch: viaOfetch,
    ofetchTimed: viaOfetchTimed,
    openapi: viaOpenapi,
    client: viaClient,
    hook: viaHook,
    plain: viaPlain,
    plainOverClient: viaPlainOverClient,
  }
  type Variant = keyof typeof variants
  const names = Object.keys(variants) as Variant[]
  const measure = async (rounds: number, perRound: number) => {
    const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Variant, number[]>
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
  // Renders per successful create after mount, for the hook and its plain peer.
  // Each create inside act(), so every update it causes is rendered before the count is read.
  const rendersPer = async (name: 'hook' | 'plain') => {
    ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
    const before = renders[name]
    for (let i = 0; i < 50; i++)
      await act(async () => {
        await variants[name]()
        // TanStack tells observers on a zero timeout: let that run inside act too.
        await new Promise((resolve) => setTimeout(resolve, 0))
      })
    ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false
    return (renders[name] - before) / 50
  }
  // With the answer 20 ms away, "sending" and "done" are always two states apart, as on a network.
  delay = NETWORK_DELAY_MS
  const rendersPerCreate = { hook: await rendersPer('hook'), plain: await rendersPer('plain') }
  delay = 0
  const samples = await measure(ROUNDS, PER_ROUND)
  delay = NETWORK_DELAY_MS
  const networkSamples = await measure(NETWORK_ROUNDS, NETWORK_PER_ROUND)
  delay = 0
  hook.unmount()
  plain.unmount()
  plainOverClient.unmount()

  // Memory: 10,000 creates through one hook. With TanStack's default gcTime (5 minutes) the cache
  // keeps every created conversation (and every mutation) by design; with gcTime 0 what remains leaks.
  const retained = async (kind: 'hook' | 'plain', gcTime?: number) => {
    const queryClient = new QueryClient(
      gcTime === undefined ? {} : { defaultOptions: { queries: { gcTime }, mutations: { gcTime } } },
    )
    const memoryHook =
      kind === 'hook'
        ? renderHook(() => useCreateConversation(), { wrapper: wrapperFor(queryClient) })
        : renderHook(() => usePlainCreate(queryClient), { wrapper: plainWrapperFor(queryClient) })
    const create = () =>
      (memoryHook.result.current.mutateAsync as (value: CreateConversationInput) => Promise<unknown>)(input)
    // Warm-up, so code compiled and pools grown on first use are not counted as retained.
    for (let i = 0; i < 2000; i++) await create()
    await new Promise((resolve) => setTimeout(resolve, 200))
    // A leak grows the heap by the same amount each round; a heap settling does not. The leak check
    // runs three rounds and keeps the smallest growth; the by-design figure is one round.
    let bytes = Number.POSITIVE_INFINITY
    for (let round = 0; round < (gcTime === 0 ? 3 : 1); round++) {
      const before = await heapAfterGc()
      for (let i = 0; i < MEMORY_CREATES; i++) await create()
      await new Promise((resolve) => setTimeout(resolve, 200))
      bytes = Math.min(bytes, (await heapAfterGc()) - before)
    }
    const cached = queryClient.getQueryCache().getAll().length
    memoryHook.unmount()
    queryClient.clear()
    return { bytes, cachedQueries: cached }
  }
  // The same question without React, jsdom or sockets, where the heap is quiet: one
  // MutationObserver over the hook's own options vs the plain ones, an in-memory fetch answering.
  const quiet = async (kind: 'hook' | 'plain') => {
    const queryClient = new QueryClient()
    const inMemory = async () =>
      new Response(answer(), { status: 200, headers: { 'content-type': 'application/json' } })
    const options =
      kind === 'hook'
        ? createConversationMutationOptions(createChatClient({ baseURL, accessToken: 'token', fetch: inMemory }))
        : {
            mutationFn: async () => JSON.parse(await (await inMemory()).text()).data as Conversation,
            onSuccess: (conversation: Conversation) =>
              queryClient.setQueryData(chatKeys.conversation(conversation.id), conversation),
          }
    const observer = new MutationObserver(queryClient, options as never)
    for (let i = 0; i < 2000; i++) await observer.mutate(input as never)
    const before = await heapAfterGc()
    for (let i = 0; i < 20_000; i++) await observer.mutate(input as never)
    const bytes = ((await heapAfterGc()) - before) / 20_000
    queryClient.clear()
    return bytes
  }
  const quietRounds = { hook: [] as number[], plain: [] as number[] }
  for (let round = 0; round < 3; round++) {
    quietRounds.hook.push(await quiet('hook'))
    quietRounds.plain.push(await quiet('plain'))
  }
  const quietPerCreate = { hook: median(quietRounds.hook), plain: median(quietRounds.plain) }

  const leakCheck = await retained('hook', 0)
  // One round is noisy (a heap that grew for other reasons lands on whichever ran then): three
  // rounds, interleaved, and the median of each.
  const rounds = { hook: [] as number[], plain: [] as number[] }
  let byDesign = { bytes: 0, cachedQueries: 0 }
  for (let round = 0; round < 3; round++) {
    byDesign = await retained('hook')
    rounds.hook.push(byDesign.bytes)
    rounds.plain.push((await retained('plain')).bytes)
  }
  server.close()

  const medians = Object.fromEntries(names.map((name) => [name, median(samples[name])])) as Record<Variant, number>
  const networkMedians = Object.fromEntries(names.map((name) => [name, median(networkSamples[name])])) as Record<
    Variant,
    number
  >
  const perCreate = { hook: median(rounds.hook) / MEMORY_CREATES, plain: median(rounds.plain) / MEMORY_CREATES }
  const range = (values: number[]) =>
    `${(Math.min(...values) / MEMORY_CREATES / 1024).toFixed(2)}–${(Math.max(...values) / MEMORY_CREATES / 1024).toFixed(2)}`
  const results = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    samplesPerVariant: ROUNDS * PER_ROUND,
    medianMs: medians,
    ratios: {
      clientOverBare: medians.client / medians.bare,
      ofetchOverBare: medians.ofetch / medians.bare,
      clientOverOfetch: medians.client / medians.ofetch,
      ofetchTimedOverBare: medians.ofetchTimed / medians.bare,
      clientOverOfetchTimed: medians.client / medians.ofetchTimed,
      hookOverPlain: medians.hook / medians.plain,
      hookOverPlainOverClient: medians.hook / medians.plainOverClient,
      hookOverBare: medians.hook / medians.bare,
    },
    network: {
      serverDelayMs: NETWORK_DELAY_MS,
      samplesPerVariant: NETWORK_ROUNDS * NETWORK_PER_ROUND,
      medianMs: networkMedians,
      hookOverPlain: networkMedians.hook / networkMedians.plain,
    },
    rendersPerCreate,
    memory: {
      creates: MEMORY_CREATES,
      retainedBytesGcTime0: leakCheck.bytes,
      retainedBytesPerCreate: perCreate,
      retainedBytesRounds: rounds,
      quietRetainedBytesPerCreate: quietPerCreate,
      cachedQueriesDefaultGcTime: byDesign.cachedQueries,
    },
  }
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`)
  const ms = (value: number) => `${value.toFixed(3)} ms`
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`
  const verdict = (ok: boolean) => (ok ? 'met' : 'not met')
  const section = [
    '<!-- overhead:start (generated by `npm run bench`) -->',
    '## Overhead per create',
    '',
    `Generated by \`npm run bench\` (bench/overhead.run.tsx) on ${results.date}: ${results.machine}.`,
    `One \`POST chat/conversations\` round trip to a loopback HTTP server started by the bench; ${results.samplesPerVariant} samples per variant, interleaved in ${ROUNDS} rounds.`,
    '',
    '| variant | median | ratio | goal |',
    '|---|---|---|---|',
    `| (a) bare \`fetch\` + \`JSON.parse\` + envelope check | ${ms(medians.bare)} | 1.00 | |`,
    `| (a′) ofetch alone, as the client calls it (no checks) | ${ms(medians.ofetch)} | a′/a ${results.ratios.ofetchOverBare.toFixed(2)} | |`,
    `| (a″) the same with ofetch's \`timeout\` (a signal per request, as any timeout needs): the floor under (b) | ${ms(medians.ofetchTimed)} | a″/a ${results.ratios.ofetchTimedOverBare.toFixed(2)} | |`,
    `| (p) peer: openapi-fetch \`POST\` + envelope check | ${ms(medians.openapi)} | p/a ${(medians.openapi / medians.bare).toFixed(2)} | |`,
    `| (b) \`client.createConversation\` (validation, ofetch, envelope, typed errors) | ${ms(medians.client)} | b/a ${results.ratios.clientOverBare.toFixed(2)}, b/a′ ${results.ratios.clientOverOfetch.toFixed(2)}, b/a″ ${results.ratios.clientOverOfetchTimed.toFixed(2)} | b/a ≤ 1.05: ${verdict(results.ratios.clientOverBare <= 1.05)} |`,
    `| (d) plain \`useMutation\` over (a), writing the same cache entry | ${ms(medians.plain)} | | |`,
    `| (e) the same plain \`useMutation\` over (b) | ${ms(medians.plainOverClient)} | | |`,
    `| (c) \`useCreateConversation().mutateAsync\` | ${ms(medians.hook)} | c/d ${results.ratios.hookOverPlain.toFixed(2)}, c/e ${results.ratios.hookOverPlainOverClient.toFixed(2)} | c/d ≤ 1.05: ${verdict(results.ratios.hookOverPlain <= 1.05)} |`,
    '',
    `With the server answering after ${NETWORK_DELAY_MS} ms, as over a real network (${results.network.samplesPerVariant} samples per variant): a ${ms(networkMedians.bare)}, b ${ms(networkMedians.client)}, d ${ms(networkMedians.plain)}, c ${ms(networkMedians.hook)} (c/d ${results.network.hookOverPlain.toFixed(3)}).`,
    '',
    `Renders per successful create after mount: hook ${rendersPerCreate.hook.toFixed(2)}, plain \`useMutation\` ${rendersPerCreate.plain.toFixed(2)} (goal: the same: ${verdict(Math.abs(rendersPerCreate.hook - rendersPerCreate.plain) <= 0.05)}).`,
    '',
    `Memory, ${MEMORY_CREATES.toLocaleString('en')} creates through one hook (heap after forced GC, before vs after):`,
    `- retained per create with the default \`gcTime\` (TanStack keeps each mutation and the cached conversation for 5 minutes), median of three interleaved rounds: hook ${(perCreate.hook / 1024).toFixed(2)} KiB (rounds ${range(rounds.hook)}), plain \`useMutation\` with the same cache write ${(perCreate.plain / 1024).toFixed(2)} KiB (rounds ${range(rounds.plain)}) (goal ≤ plain: ${verdict(perCreate.hook <= perCreate.plain)});`,
    `- the same without React, jsdom or sockets (a \`MutationObserver\` over the hook's options vs the plain ones, an in-memory fetch, 20,000 creates, median of three rounds): hook ${(quietPerCreate.hook / 1024).toFixed(3)} KiB, plain ${(quietPerCreate.plain / 1024).toFixed(3)} KiB;`,
    `- with \`gcTime: 0\` (nothing cached, so anything left is a leak; the smallest growth of three rounds): ${kb(leakCheck.bytes)} (goal < 1 MiB: ${verdict(leakCheck.bytes < 2 ** 20)}; negative means the heap ended smaller).`,
    '<!-- overhead:end -->',
  ].join('\n')
  const file = 'bench/RESULTS.md'
  let current = ''
  try {
    current = readFileSync(file, 'utf8')
  } catch {}
  const marker = /<!-- overhead:start[\s\S]*?<!-- overhead:end -->/
  const next = marker.test(current)
    ? current.replace(marker, section)
    : `# Benchmark results\n\n${section}\n\n${current.replace(/^# Benchmark results[\s\S]*?(?=<!-- |$)/, '')}`
  writeFileSync(file, next)
  console.log(section)
  expect(samples.hook.length).toBe(ROUNDS * PER_ROUND)
})
