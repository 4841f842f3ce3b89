// Scrollback: useConversationMessages against a plain useInfiniteQuery over the same loopback server, at 100 and
// 10,000 messages. Measurements, not tests (`npm run bench`); writes the scrollback part of bench/RESULTS.md.
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, totalmem } from 'node:os'
import { QueryClient, QueryClientProvider, useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { act, render, waitFor } from '@testing-library/react'
import { Profiler, type ReactNode, useEffect, useMemo, useRef } from 'react'
import { ChatApiProvider, chatKeys, useConversationMessages } from 'socialboards-chat-react'
import { expect, it } from 'vitest'

const ID = 1
const PAGE = 100
const visitor = { id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Ada', email: 'ada@example.com', isBot: false }
const agent = { id: 'aaaaaaaa-0000-4000-8000-000000000002', name: 'Anna', email: null, isBot: false, status: 'team' }
const START = Date.parse('2026-11-01T10:00:00Z')

type Message = { id: number; author: typeof visitor | typeof agent; message: string; creationTime: string }

/** A loopback Chat API holding one conversation: `GET` it and list its messages; counts message-list requests. */
async function chatServer() {
  const messages: Message[] = []
  const add = () => {
    const index = messages.length
    messages.push({
      id: index + 1,
      author: index % 2 ? agent : visitor,
      message: `message ${index}`,
      creationTime: new Date(START + index * 1000).toISOString(),
    })
  }
  const counts = { lists: 0 }
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    let data: unknown
    if (url.pathname.endsWith('/messages')) {
      counts.lists++
      const skip = Number(url.searchParams.get('skip') ?? 0)
      const take = Number(url.searchParams.get('take') ?? 100)
      const ordered = url.searchParams.get('orderBy') === 'creation_time_asc' ? messages : [...messages].reverse()
      data = ordered.slice(skip, skip + take)
    } else
      data = {
        id: ID,
        author: visitor,
        creationTime: new Date(START).toISOString(),
        isClosed: false,
        isTakeoverEnabled: true,
        queuePositionInfo: { position: -1, waitTime: null },
        totalMessagesCount: messages.length,
      }
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ data, errorCode: -1, errorText: null }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseURL: `http://127.0.0.1:${port}/`,
    messages,
    add,
    counts,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}
type Server = Awaited<ReturnType<typeof chatServer>>

interface View {
  messages: readonly { id?: number }[]
  hasOlder: boolean
  loadOlder: () => Promise<unknown>
  refetch: () => Promise<unknown>
}

/** The peer: what a team would write by hand on TanStack Query, newest page first. */
function usePlainMessages(baseURL: string): View {
  const get = async (path: string) => (await (await fetch(`${baseURL}${path}`)).json()).data
  const total = useQuery({
    queryKey: ['plain', 'conversation'],
    queryFn: () => get(`chat/conversations/${ID}`),
    refetchOnWindowFocus: false,
  }).data?.totalMessagesCount as number | undefined
  const query = useInfiniteQuery({
    queryKey: ['plain', 'messages'],
    queryFn: ({ pageParam }): Promise<Message[]> =>
      get(`chat/conversations/${ID}/messages?orderBy=creation_time_desc&skip=${pageParam}&take=${PAGE}`),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => (last.length < PAGE ? undefined : pages.length * PAGE),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  })
  // New messages: refetch (TanStack refetches every loaded page, in order).
  const seen = useRef<number | undefined>(undefined)
  const { refetch } = query
  useEffect(() => {
    if (total === undefined) return
    if (seen.current !== undefined && total !== seen.current) void refetch()
    seen.current = total
  }, [total, refetch])
  const messages = useMemo(() => (query.data ? query.data.pages.flat().reverse() : []), [query.data])
  return { messages, hasOlder: query.hasNextPage, loadOlder: query.fetchNextPage, refetch: query.refetch }
}

function useOurs(): View {
  const result = useConversationMessages(ID, { pollInterval: false })
  return { messages: result.messages, hasOlder: result.hasOlder, loadOlder: result.loadOlder, refetch: result.refetch }
}

let latest: View
let unrelated = 0
function Host({ use, tick }: { use: () => View; tick: number }) {
  latest = use()
  return (
    <span data-tick={tick}>
      {latest.messages.length} {unrelated}
    </span>
  )
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1] ?? 0
}

interface Figures {
  firstPageMs: number
  requestsOnMount: number
  olderMs: number
  olderRequests: number
  rerenderMs: number
  newMessageMs: number
  newMessageRequests: number
  reused: number
  refetchRequests: number
}

async function measure(kind: 'ours' | 'plain', server: Server, history: number): Promise<Figures> {
  server.messages.length = 0
  for (let index = 0; index < history; index++) server.add()
  server.counts.lists = 0
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  let work = 0
  const onRender = (_id: string, _phase: string, duration: number) => {
    work += duration
  }
  const use = kind === 'ours' ? useOurs : () => usePlainMessages(server.baseURL)
  const tree = (tick: number): ReactNode => (
    <QueryClientProvider client={queryClient}>
      <ChatApiProvider baseURL={server.baseURL} accessToken="bench-token" queryClient={queryClient}>
        <Profiler id="host" onRender={onRender}>
          <Host use={use} tick={tick} />
        </Profiler>
      </ChatApiProvider>
    </QueryClientProvider>
  )
  const mounted = performance.now()
  const view = render(tree(0))
  await waitFor(() => expect(latest.messages.length).toBeGreaterThan(0), { timeout: 60_000 })
  const firstPageMs = performance.now() - mounted
  const requestsOnMount = server.counts.lists

  // Scroll all the way back.
  const olderStart = performance.now()
  const before = server.counts.lists
  while (latest.hasOlder) await act(() => latest.loadOlder())
  const olderMs = performance.now() - olderStart
  const olderRequests = server.counts.lists - before
  expect(latest.messages.length).toBe(history)

  // An unrelated re-render (the parent renders for its own reasons).
  const rerenders: number[] = []
  for (let index = 1; index <= 200; index++) {
    work = 0
    unrelated = index
    view.rerender(tree(index))
    rerenders.push(work)
  }

  // A new agent message arrives: the count grows, the list catches up.
  const objects = new Map(latest.messages.map((message) => [message.id, message]))
  const costs: number[] = []
  const requests: number[] = []
  for (let round = 0; round < 20; round++) {
    const count = latest.messages.length
    const lists = server.counts.lists
    server.add()
    work = 0
    await act(async () => {
      await queryClient.invalidateQueries({ queryKey: chatKeys.conversation(ID), exact: true })
      await queryClient.invalidateQueries({ queryKey: ['plain', 'conversation'] })
    })
    await waitFor(() => expect(latest.messages.length).toBe(count + 1), { timeout: 60_000 })
    costs.push(work)
    requests.push(server.counts.lists - lists)
  }
  const kept = latest.messages.filter((message) => objects.get(message.id) === message).length
  const reused = kept / objects.size

  // A full refetch after those live messages.
  const lists = server.counts.lists
  await act(() => latest.refetch())
  const refetchRequests = server.counts.lists - lists
  view.unmount()
  queryClient.clear()
  return {
    firstPageMs,
    requestsOnMount,
    olderMs,
    olderRequests,
    rerenderMs: median(rerenders),
    newMessageMs: median(costs),
    newMessageRequests: median(requests),
    reused,
    refetchRequests,
  }
}

it('measures scrollback: ours against a plain useInfiniteQuery', async () => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
  const server = await chatServer()
  const results: Record<string, Figures> = {}
  try {
    for (const history of [100, 10_000])
      for (const kind of ['plain', 'ours'] as const) {
        await measure(kind, server, Math.min(history, 200)) // warm-up
        results[`${kind}@${history}`] = await measure(kind, server, history)
      }
  } finally {
    await server.close()
  }
  const row = (label: string, pick: (figures: Figures) => string) =>
    `| ${label} | ${['plain@100', 'ours@100', 'plain@10000', 'ours@10000']
      .map((key) => pick(results[key] as Figures))
      .join(' | ')} |`
  const ms = (value: number) => `${value.toFixed(2)} ms`
  const section = [
    '<!-- scrollback:start (generated by `npm run bench`) -->',
    '## Scrollback',
    '',
    `Generated by \`npm run bench\` (bench/scrollback.run.tsx) on ${new Date().toISOString().slice(0, 10)}: ${cpus()[0]?.model.split(' ')[0] ?? 'CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    'One conversation on a loopback HTTP server, jsdom, React in development mode (render costs from `<Profiler>`).',
    '"plain": `useInfiniteQuery` newest page first, `pages.flat()` in a memo, `refetch()` when the count grows.',
    '"ours": `useConversationMessages`. Goals: mount and a new message cost the same at 100 and 10,000 messages;',
    'older pages O(n) overall; 100% of unchanged message objects reused; a refetch costs about n/100 requests.',
    '',
    '| | plain, 100 | ours, 100 | plain, 10,000 | ours, 10,000 |',
    '|---|---|---|---|---|',
    row('time to first page', (f) => ms(f.firstPageMs)),
    row('list requests on mount', (f) => String(f.requestsOnMount)),
    row('all older pages: time', (f) => ms(f.olderMs)),
    row('all older pages: requests', (f) => String(f.olderRequests)),
    row('unrelated re-render (React work, median)', (f) => ms(f.rerenderMs)),
    row('new agent message (React work, median)', (f) => ms(f.newMessageMs)),
    row('new agent message: list requests', (f) => String(f.newMessageRequests)),
    row('unchanged message objects reused', (f) => `${Math.round(f.reused * 100)}%`),
    row('full refetch after 20 live messages: requests', (f) => String(f.refetchRequests)),
    '<!-- scrollback:end -->',
  ].join('\n')
  const file = 'bench/RESULTS.md'
  const current = readFileSync(file, 'utf8')
  const next = /<!-- scrollback:start[\s\S]*?<!-- scrollback:end -->/.test(current)
    ? current.replace(/<!-- scrollback:start[\s\S]*?<!-- scrollback:end -->/, section)
    : `${current.trimEnd()}\n\n${section}\n`
  writeFileSync(file, next)
  writeFileSync('bench/scrollback-results.json', `${JSON.stringify(results, null, 2)}\n`)
  console.log(section)
})
