// `npm run bench:realtime`: how fast a reply reaches a real Chromium page over the event stream, and what an idle
// open chat costs in requests per minute. Measurements, not tests; results in bench/realtime-results.json and
// bench/RESULTS.md. Everything runs on loopback: the mock Chat API, the handler(s), Redis, a Vite page, Chromium.
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { connect, createServer as createNetServer } from 'node:net'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright'
import { createMockChatServer } from 'socialboards-chat-react/mock/server'
import { createChatHandler, toNodeListener } from 'socialboards-chat-react/server'
import { createRedisEventBus } from 'socialboards-chat-react/server/redis'
import { createServer as createViteServer } from 'vite'
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const SAMPLES = Number(process.env.SAMPLES ?? 40)
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 30_000)
const SECRET = 'bench-secret-bench-secret-bench-secret'
const VERIFY = 'bench-verify'

const freePort = () =>
  new Promise((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })

async function startRedis() {
  const port = await freePort()
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  )
  for (let tries = 0; tries < 300; tries++) {
    const pong = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'))
      socket.once('data', (data) => {
        socket.destroy()
        resolve(data.toString().startsWith('+PONG'))
      })
      socket.once('error', () => resolve(false))
    })
    if (pong) return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill() }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('redis-server did not start')
}

/** The page's server: Vite for the widget, the handler at /api/chat, counting the page's requests. */
async function pageServer(handler) {
  const counted = { requests: 0 }
  const listener = toNodeListener(handler)
  const vite = await createViteServer({
    root: here('./realtime-page'),
    logLevel: 'silent',
    server: { port: 0, host: '127.0.0.1', watch: null },
    resolve: { alias: [{ find: /^socialboards-chat-react$/, replacement: here('../src/index.ts') }] },
    plugins: [
      {
        name: 'bench-chat-handler',
        configureServer(server) {
          server.middlewares.use('/api/chat', (request, response) => {
            if (!request.url?.includes('/events')) counted.requests++
            listener(request, response)
          })
        },
      },
    ],
  })
  await vite.listen()
  return { vite, origin: vite.resolvedUrls.local[0].replace(/\/$/, ''), counted }
}

/** A handler (and a plain HTTP server for its webhooks) in front of the mock, on the given bus. */
async function instance(mock, events) {
  const handler = createChatHandler({
    apiBaseURL: mock.baseURL,
    accessToken: () => 'mock-access-token',
    secret: SECRET,
    cookie: { secure: false },
    webhook: { verifyToken: VERIFY },
    events,
    // The bench measures latency, not the limiter: one visitor sends far more than 120 requests a minute here.
    limits: { requestsPerMinute: 100_000 },
  })
  const server = createHttpServer(toNodeListener(handler))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { handler, webhookURL: `http://127.0.0.1:${server.address().port}/api/chat/webhooks`, server }
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** Reply latency: webhook POST → the agent's reply in the page's DOM. */
async function latency(browser, label, { viaRedis }) {
  const mock = await createMockChatServer({ agent: { manual: true } })
  const redis = viaRedis ? await startRedis() : undefined
  const buses = viaRedis
    ? [await createRedisEventBus({ url: redis.url }), await createRedisEventBus({ url: redis.url })]
    : [undefined, undefined]
  const served = await instance(mock, buses[0])
  // With Redis, the webhook reaches the other instance: the hint crosses Redis to the page's stream.
  const hooked = viaRedis ? await instance(mock, buses[1]) : served
  const page = await pageServer(served.handler)
  const context = await browser.newContext()
  const tab = await context.newPage()
  await tab.goto(`${page.origin}/?mode=realtime&poll=600000`)
  const send = async (text) => {
    await tab.getByRole('textbox', { name: 'Message' }).fill(text)
    await tab.getByRole('button', { name: 'Send' }).click()
    await tab.waitForFunction(
      (text) =>
        [...document.querySelectorAll('li')].some((li) => li.textContent === text && li.dataset.status === 'sent'),
      text,
    )
  }
  await send('hello')
  const conversation = () => mock.api.conversations()[0]
  const notify = (id) =>
    fetch(hooked.webhookURL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ EventType: 'conversation_message_added', Events: [{ ConversationId: id }], TicketId: id }),
    })
  mock.api.runAgent() // the agent joins
  await notify(conversation().id)
  await tab.waitForFunction(() => document.body.textContent.includes("I'm Anna"))
  const samples = []
  for (let i = 0; i < SAMPLES; i++) {
    const text = `question ${i}`
    await send(text)
    mock.api.runAgent() // the agent's reply is stored; only the webhook tells the page
    const expected = `About "${text}"`
    const start = performance.now()
    await notify(conversation().id)
    await tab.waitForFunction((expected) => document.body.textContent.includes(expected), expected, { polling: 'raf' })
    samples.push(performance.now() - start)
  }
  await context.close()
  await page.vite.close()
  for (const server of new Set([served.server, hooked.server])) server.close()
  for (const bus of buses) await bus?.close()
  redis?.stop()
  await mock.close()
  const result = { label, samples: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95) }
  console.log(`${label}: p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms (${samples.length} replies)`)
  return result
}

/** Requests per minute the page makes for one idle open chat, after a quiet minute. */
async function requestsPerMinute(browser) {
  const modes = [
    ['hooks', 'lifecycle hooks (useConversationMessages, pollInterval 4 s, adaptive)'],
    ['adaptive', 'adaptive polling (useChatSession, no realtime)'],
    ['realtime', 'realtime (useChatSession, event stream + 30 s safety net)'],
  ]
  const runs = await Promise.all(
    modes.map(async ([mode, label]) => {
      const mock = await createMockChatServer()
      const served = await instance(mock)
      const page = await pageServer(served.handler)
      const context = await browser.newContext()
      const tab = await context.newPage()
      await tab.goto(`${page.origin}/?mode=${mode}&poll=4000`)
      if (mode === 'hooks') await tab.getByRole('button', { name: 'Start' }).click()
      else {
        await tab.getByRole('textbox', { name: 'Message' }).fill('hello')
        await tab.getByRole('button', { name: 'Send' }).click()
      }
      await tab.waitForFunction(
        () =>
          document.body.textContent.includes('hello') ||
          document.querySelector('[role=status]')?.textContent === 'open',
      )
      // A quiet minute first: adaptive polling slows only when nothing has happened for one.
      await new Promise((resolve) => setTimeout(resolve, 61_000))
      const before = page.counted.requests
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS))
      const perMinute = ((page.counted.requests - before) * 60_000) / WINDOW_MS
      await context.close()
      await page.vite.close()
      served.server.close()
      await mock.close()
      console.log(`${label}: ${perMinute.toFixed(1)} requests per minute`)
      return { mode, label, perMinute }
    }),
  )
  return runs
}

const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
const latencies = [
  await latency(browser, 'one instance', { viaRedis: false }),
  await latency(browser, 'two instances over Redis', { viaRedis: true }),
]
const idle = await requestsPerMinute(browser)
await browser.close()

const machine = `${cpus()[0]?.model.trim()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
const date = new Date().toISOString().slice(0, 10)
writeFileSync(here('./realtime-results.json'), `${JSON.stringify({ date, machine, latencies, idle }, null, 2)}\n`)

const section = [
  '<!-- realtime:start (generated by `npm run bench:realtime`) -->',
  '## Realtime',
  '',
  `Generated by \`npm run bench:realtime\` (bench/realtime.bench.mjs) on ${date}: ${machine}. Real Chromium (Debian's),`,
  'the page served by Vite, the handler, the mock Chat API and Redis on loopback.',
  '',
  `Reply latency, from the webhook POST to the agent's reply in the page's DOM (${SAMPLES} replies each; goal p95 < 250 ms):`,
  '',
  '| setup | p50 | p95 |',
  '|---|---|---|',
  ...latencies.map((r) => `| ${r.label} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms |`),
  '',
  `Requests per minute for one idle open chat, counted over ${WINDOW_MS / 1000} s after a quiet minute (goal with realtime ≤ 2):`,
  '',
  '| mode | requests per minute |',
  '|---|---|',
  ...idle.map((r) => `| ${r.label} | ${r.perMinute.toFixed(1)} |`),
  '<!-- realtime:end -->',
].join('\n')
const results = readFileSync(here('./RESULTS.md'), 'utf8')
const start = results.indexOf('<!-- realtime:start')
const end = results.indexOf('<!-- realtime:end -->')
writeFileSync(
  here('./RESULTS.md'),
  start === -1
    ? `${results.trimEnd()}\n\n${section}\n`
    : `${results.slice(0, start)}${section}${results.slice(end + '<!-- realtime:end -->'.length)}`,
)
console.log(section)
process.exit(0)
