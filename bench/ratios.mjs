// `node bench/ratios.mjs [--profile]`: a quick check of the two overhead ratios on the built library
// (dist/), no jsdom, no React: (b) client.createConversation ÷ (a) a bare fetch, and the mutation
// layer, a MutationObserver over createConversationMutationOptions(client) ÷ one over the bare fetch
// with the same cache write. Interleaved rounds on a loopback server; medians. The full bench with
// rendering hooks and memory is `npm run bench` (bench/overhead.run.tsx).
import { createServer } from 'node:http'
import { MutationObserver, QueryClient } from '@tanstack/react-query'
import { ofetch } from 'ofetch'
import { chatKeys, createChatClient, createConversationMutationOptions } from '../dist/index.js'

const ROUNDS = Number(process.env.ROUNDS ?? 30)
const PER_ROUND = Number(process.env.PER_ROUND ?? 50)
const input = { author: { name: 'John', email: 'john@dow.com' }, title: 'Bench' }
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
const server = createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(answer())
  })
})
server.keepAliveTimeout = 0
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const baseURL = `http://127.0.0.1:${server.address().port}/`

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
// ofetch as the client calls it, with a signal per request (as the client's own timeout needs): the floor under the client.
const $fetch = ofetch.create({ baseURL, retry: 0, ignoreResponseError: true, responseType: 'text' })
const ofetchSignal = async () => {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), 30_000)
  const response = await $fetch.raw('chat/conversations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer token' },
    body: JSON.stringify(input),
    signal: controller.signal,
  })
  clearTimeout(timer)
  const body = JSON.parse(response._data ?? '')
  if (response.status !== 200 || body.errorCode !== -1) throw new Error('bad answer')
  return body.data
}
const client = createChatClient({ baseURL, accessToken: 'token' })
const queryClient = new QueryClient()
const ours = new MutationObserver(queryClient, createConversationMutationOptions(client))
const plain = new MutationObserver(queryClient, {
  mutationFn: bare,
  onSuccess: (conversation) => queryClient.setQueryData(chatKeys.conversation(conversation.id), conversation),
})
const variants = {
  bare,
  ofetchSignal,
  client: () => client.createConversation(input),
  plainObserver: () => plain.mutate(input),
  ourObserver: () => ours.mutate(input),
}
const names = Object.keys(variants)
for (const name of names) for (let i = 0; i < 300; i++) await variants[name]()
const samples = Object.fromEntries(names.map((name) => [name, []]))
for (let round = 0; round < ROUNDS; round++)
  for (const name of names.map((_, i) => names[(i + round) % names.length]))
    for (let i = 0; i < PER_ROUND; i++) {
      const start = performance.now()
      await variants[name]()
      samples[name].push(performance.now() - start)
    }
server.close()
const median = (values) => values.sort((a, b) => a - b)[values.length >> 1]
const m = Object.fromEntries(names.map((name) => [name, median(samples[name])]))
for (const name of names) console.log(`${name.padEnd(14)} ${m[name].toFixed(3)} ms`)
console.log(
  `client ÷ bare fetch ${(m.client / m.bare).toFixed(3)} (goal ≤ 1.05); ofetch with a signal ÷ bare ${(m.ofetchSignal / m.bare).toFixed(3)}; client ÷ that ${(m.client / m.ofetchSignal).toFixed(3)}`,
)
console.log(`our mutation options ÷ plain, without React ${(m.ourObserver / m.plainObserver).toFixed(3)} (goal ≤ 1.05)`)
