// `node bench/proxy.bench.mjs [--profile]` (after `npm run build`): the chat API mock reached directly vs through the
// visitor proxy (createChatHandler + toNodeListener), side by side in one run. Three processes on loopback: the mock
// (a child), the proxy (another child) and this load generator, so each one's CPU is read on its own.
//   1. burst: BURST_CLIENTS visitors doing back-to-back reads, BURST_REQUESTS per side per round (req/s, ratio);
//   2. paced: VISITORS visitors, a read every ~2 s and a message every ~10 s each, for PACED_SECONDS (p50/p95/p99);
//   3. CPU of the proxy process per proxied request (µs), from the child's process.cpuUsage();
//   --profile: the proxy child runs under --cpu-prof; the top self-time functions are printed afterwards.
// Figures go to stdout and bench/proxy-results.json. How to read them: bench/PROXY.md.
// The same file is the children's script: BENCH_ROLE=mock|proxy selects the role (set by the parent's fork()).
import { fork } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { PerformanceObserver, performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const DIST = resolve(process.env.BENCH_DIST ?? here('../dist'))
const ROLE = process.env.BENCH_ROLE
const SECRET = 'x'.repeat(40)
const HUGE = 1e9
// Both servers keep idle connections 30 s (node's default is 5 s): a visitor's socket idle between two reads must not
// be closed by the server just as the next read goes out on it (a keep-alive race, ECONNRESET, not the proxy's doing).
const KEEP_ALIVE_MS = 30_000

// ---------------------------------------------------------------------------------------------------------------
// Children: the mock and the proxy. Each listens on 127.0.0.1, tells the parent where, answers `cpu` queries, and
// exits on `stop` (a normal exit, so --cpu-prof writes its profile) or when the parent goes away.
// ---------------------------------------------------------------------------------------------------------------

/** Field names of `ChatHandlerLimits` that contain "Per" (rates and counts per visitor/address/minute), as built. */
function limitFieldsPer() {
  const sources = [join(DIST, 'server.d.ts'), here('../src/server/proxy/options.ts'), here('../src/server/handler.ts')]
  for (const file of sources) {
    if (!existsSync(file)) continue
    const text = readFileSync(file, 'utf8')
    const block = /interface ChatHandlerLimits\s*\{([\s\S]*?)\n\}/.exec(text)?.[1]
    if (!block) continue
    const names = [...block.matchAll(/^\s*(?:readonly\s+)?(\w*Per\w*)\??\s*:/gm)].map((match) => match[1])
    if (names.length) return { names, from: file }
  }
  return { names: ['requestsPerMinute', 'createsPerMinute', 'addressRequestsPerMinute'], from: 'built-in guess' }
}

function childMain() {
  const reply = (message) => process.send?.(message)
  // Time spent in garbage collection so far (ms), reported with the CPU time.
  let gcMs = 0
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration
  }).observe({ entryTypes: ['gc'] })
  process.on('disconnect', () => process.exit(0)) // the parent is gone: never linger
  let server
  process.on('message', async (message) => {
    try {
      if (message.type === 'init') {
        const http = await import('node:http')
        if (ROLE === 'mock') {
          const { createMockChatServer } = await import(pathToFileURL(join(DIST, 'mock-server.js')).href)
          // No latency, no scripted agent, no ticker: the mock answers at once and does nothing on its own.
          const mock = await createMockChatServer({ accessToken: message.token, latency: 0, agent: false })
          server = mock.server
          server.keepAliveTimeout = KEEP_ALIVE_MS
          reply({ type: 'ready', baseURL: mock.baseURL })
        } else {
          const { createChatHandler, toNodeListener } = await import(pathToFileURL(join(DIST, 'server.js')).href)
          const fields = limitFieldsPer()
          const limits = Object.fromEntries(fields.names.map((name) => [name, HUGE]))
          // A diagnostic only (default: the library's own): the upstream timeout, i.e. how long each
          // upstream call may take.
          if (process.env.PROXY_UPSTREAM_TIMEOUT_MS)
            limits.upstreamTimeout = Number(process.env.PROXY_UPSTREAM_TIMEOUT_MS)
          const handler = createChatHandler({
            apiBaseURL: message.apiBaseURL,
            accessToken: () => message.token,
            secret: SECRET,
            cookie: { secure: false },
            limits,
          })
          server = http.createServer(toNodeListener(handler))
          server.keepAliveTimeout = KEEP_ALIVE_MS
          await new Promise((done, fail) => {
            server.once('error', fail)
            server.listen(0, '127.0.0.1', done)
          })
          reply({ type: 'ready', port: server.address().port, limits, limitsFrom: fields.from })
        }
      } else if (message.type === 'cpu') {
        const memory = process.memoryUsage()
        reply({ type: 'cpu', id: message.id, usage: process.cpuUsage(), rss: memory.rss, heap: memory.heapUsed, gcMs })
      } else if (message.type === 'stop') {
        server?.closeAllConnections?.()
        server?.close()
        reply({ type: 'stopped', usage: process.cpuUsage() })
        // A normal exit: --cpu-prof writes the profile now.
        setTimeout(() => process.exit(0), 50)
      }
    } catch (error) {
      reply({ type: 'error', message: String(error?.stack ?? error) })
      setTimeout(() => process.exit(1), 50)
    }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// The parent: the load generator.
// ---------------------------------------------------------------------------------------------------------------

const env = (name, fallback) => {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}
const BURST_CLIENTS = env('BURST_CLIENTS', 64)
const BURST_REQUESTS = env('BURST_REQUESTS', 4000)
const ROUNDS = env('ROUNDS', 3)
const WARMUP = env('WARMUP', 2000)
const VISITORS = env('VISITORS', 500)
const PACED_MS = env('PACED_SECONDS', 20) * 1000
const RAMP_MS = env('RAMP_MS', 5000)
const READ_EVERY_MS = env('READ_EVERY_MS', 2000)
const ADD_EVERY_MS = env('ADD_EVERY_MS', 10_000)
const REQUEST_TIMEOUT_MS = 15_000
const BURST_MAX_MS = 30_000 // per side and round, whatever BURST_REQUESTS says
const WATCHDOG_MS = env('WATCHDOG_SECONDS', 600) * 1000
const PROFILE = process.argv.includes('--profile')
const RESULTS = process.env.PROXY_RESULTS ?? here('./proxy-results.json')

const sleep = (ms) => new Promise((done) => setTimeout(done, Math.max(0, ms)))
const round = (value, digits = 2) => (value === undefined || Number.isNaN(value) ? null : Number(value.toFixed(digits)))

/** Nearest-rank percentile of a sorted array. */
const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN
const summary = (values) => {
  const sorted = Float64Array.from(values).sort()
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50), 3),
    p95: round(percentile(sorted, 95), 3),
    p99: round(percentile(sorted, 99), 3),
    max: round(sorted[sorted.length - 1], 3),
  }
}

/** A child (mock or proxy) with a request/answer channel over IPC. */
function startChild(role, execArgv = []) {
  const child = fork(here('./proxy.bench.mjs'), [], {
    env: { ...process.env, BENCH_ROLE: role, BENCH_DIST: DIST },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const waiting = new Map()
  let nextId = 0
  let onStopped
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })))
  child.on('message', (message) => {
    if (message.type === 'cpu') waiting.get(message.id)?.(message)
    if (message.type === 'stopped') onStopped?.(message)
    if (message.type === 'error') console.error(`[${role}] ${message.message}`)
  })
  return {
    role,
    child,
    exited,
    ready: (init) =>
      new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`${role} did not start in 20 s`)), 20_000)
        child.on('message', (message) => {
          if (message.type === 'ready') {
            clearTimeout(timer)
            done(message)
          } else if (message.type === 'error') {
            clearTimeout(timer)
            fail(new Error(`${role} failed to start: ${message.message}`))
          }
        })
        child.once('exit', () => fail(new Error(`${role} exited before it was ready`)))
        child.send({ type: 'init', ...init })
      }),
    /** This child's process.cpuUsage(), user + system, in µs. */
    cpu: () =>
      new Promise((done, fail) => {
        const id = nextId++
        const timer = setTimeout(() => fail(new Error(`${role} did not report its CPU`)), 10_000)
        waiting.set(id, (message) => {
          clearTimeout(timer)
          waiting.delete(id)
          done({
            µs: message.usage.user + message.usage.system,
            rss: message.rss,
            heap: message.heap,
            gcMs: message.gcMs,
          })
        })
        child.send({ type: 'cpu', id })
      }),
    /** Asks the child to exit normally (so a CPU profile is written); SIGKILL after 10 s. */
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const stopped = new Promise((done) => {
        onStopped = done
      })
      try {
        child.send({ type: 'stop' })
      } catch {}
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      const last = await Promise.race([stopped, exited])
      await exited
      clearTimeout(killer)
      return last?.usage ? last.usage.user + last.usage.system : undefined
    },
  }
}

/** A node:http client with its own keep-alive Agent; every request has a timeout and always resolves. */
function httpClient(port) {
  const agent = new Agent({ keepAlive: true, maxSockets: 4096, maxFreeSockets: 4096, scheduling: 'fifo' })
  const send = (method, path, headers, body) =>
    new Promise((done) => {
      const start = performance.now()
      let settled = false
      const finish = (result) => {
        if (settled) return
        settled = true
        done({ ...result, ms: performance.now() - start })
      }
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          let text = ''
          response.setEncoding('utf8')
          response.on('data', (chunk) => {
            text += chunk
          })
          response.on('end', () => finish({ status: response.statusCode, headers: response.headers, body: text }))
          response.on('error', (error) => finish({ status: 0, error: error.message }))
        },
      )
      request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error('timeout')))
      request.on('error', (error) => finish({ status: 0, error: error.message }))
      request.end(body)
    })
  return { send, close: () => agent.destroy() }
}

/** Tallies answers: statuses, and the first few non-OK bodies, so a throttled or failing run cannot pass unseen. */
function tally() {
  const statuses = {}
  const samples = []
  let failed = 0
  return {
    statuses,
    samples,
    get failed() {
      return failed
    },
    add(result, ok) {
      statuses[result.status] = (statuses[result.status] ?? 0) + 1
      if (!ok) {
        failed++
        if (samples.length < 5) samples.push(`${result.status} ${result.error ?? result.body?.slice(0, 200)}`)
      }
    },
  }
}

const okEnvelope = (result) => result.status === 200 && result.body.includes('"errorCode":-1')

/**
 * The two ways in. Each side creates a visitor's conversation (`create`), reads it (`read`) and adds a message
 * (`add`). Direct: the mock with its access token; proxied: the proxy with the visitor's cookie, as a browser.
 */
function directSide(mockURL, token) {
  const url = new URL(mockURL)
  const client = httpClient(Number(url.port))
  const base = url.pathname // e.g. /api/
  const auth = { authorization: `Bearer ${token}`, accept: 'application/json' }
  const json = { ...auth, 'content-type': 'application/json' }
  return {
    name: 'direct',
    client,
    async create(index) {
      const author = { customIdentifier: `bench-direct-${index}`, name: `Bench visitor ${index}` }
      const result = await client.send(
        'POST',
        `${base}chat/conversations`,
        json,
        JSON.stringify({ author, title: 'bench' }),
      )
      const id = okEnvelope(result) ? JSON.parse(result.body).data?.id : undefined
      return { result, visitor: id ? { id, author } : undefined }
    },
    read: (visitor) => client.send('GET', `${base}chat/conversations/${visitor.id}?includeMessages=false`, auth),
    add: (visitor, n) =>
      client.send(
        'POST',
        `${base}chat/conversations/${visitor.id}/messages`,
        json,
        JSON.stringify([{ message: `bench message ${n}`, author: visitor.author, isByTeam: false }]),
      ),
  }
}

function proxySide(port) {
  const client = httpClient(port)
  const base = '/api/chat/'
  return {
    name: 'proxied',
    client,
    async create(index) {
      const result = await client.send(
        'POST',
        `${base}chat/conversations`,
        { 'content-type': 'application/json', accept: 'application/json' },
        JSON.stringify({ author: { name: `Bench visitor ${index}` }, title: 'bench' }),
      )
      const id = okEnvelope(result) ? JSON.parse(result.body).data?.id : undefined
      const cookie = [result.headers?.['set-cookie'] ?? []].flat()[0]?.split(';')[0]
      return { result, visitor: id && cookie ? { id, cookie } : undefined }
    },
    read: (visitor) =>
      client.send('GET', `${base}chat/conversations/${visitor.id}?includeMessages=false`, {
        cookie: visitor.cookie,
        accept: 'application/json',
      }),
    add: (visitor, n) =>
      client.send(
        'POST',
        `${base}chat/conversations/${visitor.id}/messages`,
        { cookie: visitor.cookie, 'content-type': 'application/json', accept: 'application/json' },
        JSON.stringify([{ message: `bench message ${n}` }]),
      ),
  }
}

/** `count` visitors on `side`, created with at most `concurrency` creates in flight. */
async function createVisitors(side, count, offset, concurrency = 32) {
  const visitors = []
  const counts = tally()
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = offset + next++
        const { result, visitor } = await side.create(index)
        counts.add(result, Boolean(visitor))
        if (visitor) visitors.push(visitor)
      }
    }),
  )
  if (visitors.length < count)
    throw new Error(
      `${side.name}: only ${visitors.length} of ${count} creates succeeded: ${counts.samples.join(' | ')}`,
    )
  return visitors
}

/** Back-to-back reads by each visitor until `total` were sent (or BURST_MAX_MS passed). */
async function burst(side, visitors, total) {
  const counts = tally()
  let issued = 0
  const start = performance.now()
  const deadline = start + BURST_MAX_MS
  await Promise.all(
    visitors.map(async (visitor) => {
      while (issued < total && performance.now() < deadline) {
        issued++
        const result = await side.read(visitor)
        counts.add(result, result.status === 200)
      }
    }),
  )
  const seconds = (performance.now() - start) / 1000
  return { requests: issued, seconds: round(seconds, 3), rps: round(issued / seconds, 0), counts }
}

/** The whole machine's busy CPU time so far (µs, all cores), from /proc/stat; 0 where there is none. */
function machineBusyµs() {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/)
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number) // idle and iowait left out
    return (user + nice + system + irq + softirq + steal) * 10_000 // USER_HZ is 100 on Linux
  } catch {
    return 0
  }
}

/** A process's CPU time (µs) on its main thread and on its other threads (GC helpers, compilers, libuv pool). */
function threadsµs(pid) {
  const split = { main: 0, others: 0 }
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const µs = (Number(fields[11]) + Number(fields[12])) * 10_000 // utime + stime, USER_HZ 100
      if (tid === String(pid)) split.main += µs
      else split.others += µs
    }
  } catch {
    // No /proc, or a thread that ended while it was read: the split is then approximate or zero.
  }
  return split
}

/** CPU (µs) of the generator, the mock, the proxy and the whole machine, at one moment. */
async function cpuNow(mock, proxy) {
  const own = process.cpuUsage()
  const [m, p] = await Promise.all([mock.cpu(), proxy.cpu()])
  const machine = machineBusyµs()
  return {
    at: performance.now(),
    generator: own.user + own.system,
    mock: m.µs,
    proxy: p.µs,
    proxyRss: p.rss,
    proxyHeap: p.heap,
    proxyGcMs: p.gcMs,
    proxyThreads: threadsµs(proxy.child.pid),
    machine,
  }
}
const cpuDelta = (a, b) => {
  const wall = (b.at - a.at) * 1000
  const share = (µs) => round(µs / wall, 2) // 1.00 = one core busy all along
  return {
    wallMs: round(wall / 1000, 0),
    generatorµs: b.generator - a.generator,
    mockµs: b.mock - a.mock,
    proxyµs: b.proxy - a.proxy,
    proxyGcMs: round(b.proxyGcMs - a.proxyGcMs, 0),
    proxyMainµs: b.proxyThreads.main - a.proxyThreads.main,
    proxyOtherThreadsµs: b.proxyThreads.others - a.proxyThreads.others,
    proxyHeapMiB: round(b.proxyHeap / 2 ** 20, 0),
    cores: {
      generator: share(b.generator - a.generator),
      mock: share(b.mock - a.mock),
      proxy: share(b.proxy - a.proxy),
      // Everything else on the machine (other jobs): noise the figures cannot separate out.
      others: b.machine
        ? share(
            Math.max(0, b.machine - a.machine - (b.generator - a.generator) - (b.mock - a.mock) - (b.proxy - a.proxy)),
          )
        : null,
    },
  }
}

/**
 * VISITORS visitors for PACED_MS: each creates its conversation (spread over RAMP_MS), then reads it every
 * READ_EVERY_MS and adds a message every ADD_EVERY_MS (both ±25 % jitter, random first offsets). Open loop: a send
 * never waits for the previous answer, so a slow answer cannot hide the next one's wait.
 */
async function paced(side, offset) {
  const latencies = { create: [], read: [], add: [] }
  const counts = { create: tally(), read: tally(), add: tally() }
  const lags = []
  const start = performance.now()
  const deadline = start + RAMP_MS + PACED_MS
  const jitter = (every) => every * (0.75 + Math.random() * 0.5)
  let sent = 0
  const visitorLoop = async (index) => {
    await sleep(Math.random() * RAMP_MS)
    const { result, visitor } = await side.create(offset + index)
    counts.create.add(result, Boolean(visitor))
    latencies.create.push(result.ms)
    if (!visitor) return
    const inFlight = []
    let nextRead = performance.now() + Math.random() * READ_EVERY_MS
    let nextAdd = performance.now() + Math.random() * ADD_EVERY_MS
    let messages = 0
    for (let guard = 0; guard < 10_000; guard++) {
      const isRead = nextRead <= nextAdd
      const due = isRead ? nextRead : nextAdd
      if (due >= deadline) break
      await sleep(due - performance.now())
      lags.push(performance.now() - due)
      sent++
      if (isRead) {
        nextRead += jitter(READ_EVERY_MS)
        inFlight.push(
          side.read(visitor).then((answer) => {
            counts.read.add(answer, answer.status === 200)
            latencies.read.push(answer.ms)
          }),
        )
      } else {
        nextAdd += jitter(ADD_EVERY_MS)
        inFlight.push(
          side.add(visitor, messages++).then((answer) => {
            counts.add.add(answer, okEnvelope(answer))
            latencies.add.push(answer.ms)
          }),
        )
      }
    }
    await Promise.all(inFlight)
  }
  await Promise.all(Array.from({ length: VISITORS }, (_, index) => visitorLoop(index)))
  const seconds = (performance.now() - start) / 1000
  return {
    seconds: round(seconds, 1),
    requests: latencies.create.length + sent,
    rps: round(sent / (seconds - RAMP_MS / 1000), 0),
    create: summary(latencies.create),
    read: summary(latencies.read),
    add: summary(latencies.add),
    readAndAdd: summary([...latencies.read, ...latencies.add]),
    timerLag: summary(lags),
    counts,
  }
}

// -- the CPU profile ---------------------------------------------------------------------------------------------

/** Where a frame's code lives, for a coarse roll-up of self time. */
function areaOf(url, functionName) {
  if (functionName.startsWith('(')) return functionName // (garbage collector), (program), (idle), (root)
  // node's native socket methods: the write(2)/writev(2) calls, which on loopback also run the receiver's TCP path.
  if (
    !url &&
    /^write(v|Utf8String|Latin1String|AsciiString|Ucs2String|Buffer)?$|^shutdown$|^readStart$|^readStop$/.test(
      functionName,
    )
  )
    return 'socket writes (native write*/writev)'
  if (!url) return 'V8 builtins / native (JSON, RegExp, Promise…)'
  if (url.startsWith(pathToFileURL(DIST).href) || url.startsWith(DIST)) return `library (${url.split('/').pop()})`
  if (url.includes('internal/deps/undici')) return 'undici (fetch, Request, Response, Headers)'
  if (url.includes('internal/webstreams')) return 'web streams'
  if (url.includes('internal/crypto')) return 'Web Crypto (node:internal/crypto)'
  if (/node:(_http|http|net|internal\/http|internal\/stream_base|internal\/streams|stream|events)/.test(url))
    return 'node:http / net / streams / events'
  if (url.includes('internal/url')) return 'URL / URLSearchParams'
  if (url.includes('internal/abort_controller') || url.includes('internal/timers') || url === 'node:timers')
    return 'AbortSignal.timeout / timers'
  if (url.startsWith('node:')) return 'other node internals'
  return 'other'
}

/** Self time per function (functionName url:line), inclusive time for the library's frames, and a roll-up by area. */
function summarizeProfile(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const { nodes, samples, timeDeltas, startTime, endTime } = profile
  const byId = new Map(nodes.map((node) => [node.id, node]))
  // Each sample lasts until the next one (as DevTools counts it); the last one until endTime.
  const selfµs = new Map()
  let t = startTime
  const stamps = samples.map((_, index) => (t += timeDeltas[index]))
  for (let index = 0; index < samples.length; index++) {
    const duration = (index + 1 < samples.length ? stamps[index + 1] : endTime) - stamps[index]
    selfµs.set(samples[index], (selfµs.get(samples[index]) ?? 0) + Math.max(0, duration))
  }
  const shortUrl = (url) =>
    url
      .replace(pathToFileURL(DIST).href, 'dist')
      .replace(/^file:\/\/.*\/node_modules\//, 'node_modules/')
      .replace(/^file:\/\//, '')
  const keyOf = (frame) =>
    `${frame.functionName || '(anonymous)'} ${frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : ''}`.trim()
  const functions = new Map()
  const areas = new Map()
  let total = 0
  let idle = 0
  for (const node of nodes) {
    const µs = selfµs.get(node.id) ?? 0
    if (node.callFrame.functionName === '(idle)') {
      idle += µs
      continue
    }
    total += µs
    const key = keyOf(node.callFrame)
    const entry = functions.get(key) ?? { µs: 0, hits: 0 }
    entry.µs += µs
    entry.hits += node.hitCount ?? 0
    functions.set(key, entry)
    const area = areaOf(node.callFrame.url, node.callFrame.functionName)
    areas.set(area, (areas.get(area) ?? 0) + µs)
  }
  // Inclusive time of the library's functions (each counted once per stack, so recursion is not double-counted).
  const inclusive = new Map()
  const parents = new Map()
  for (const node of nodes) for (const child of node.children ?? []) parents.set(child, node.id)
  for (const node of nodes) {
    const µs = selfµs.get(node.id) ?? 0
    if (!µs || node.callFrame.functionName === '(idle)') continue
    const seen = new Set()
    for (let id = node.id; id !== undefined; id = parents.get(id)) {
      const frame = byId.get(id).callFrame
      const isLibrary = frame.url.startsWith(pathToFileURL(DIST).href)
      const isFetch = frame.functionName === 'fetch' && frame.url.includes('undici')
      if (!isLibrary && !isFetch) continue
      const key = keyOf(frame)
      if (seen.has(key)) continue
      seen.add(key)
      inclusive.set(key, (inclusive.get(key) ?? 0) + µs)
    }
  }
  const ranked = (map) => [...map].sort((a, b) => b[1] - a[1])
  return {
    file,
    busyMs: round(total / 1000, 1),
    idleMs: round(idle / 1000, 1),
    samples: samples.length,
    top: [...functions]
      .sort((a, b) => b[1].µs - a[1].µs)
      .slice(0, top)
      .map(([fn, { µs, hits }]) => ({ fn, selfMs: round(µs / 1000, 1), share: round((100 * µs) / total, 1), hits })),
    areas: ranked(areas).map(([area, µs]) => ({
      area,
      selfMs: round(µs / 1000, 1),
      share: round((100 * µs) / total, 1),
    })),
    libraryInclusive: ranked(inclusive)
      .slice(0, 15)
      .map(([fn, µs]) => ({ fn, totalMs: round(µs / 1000, 1), share: round((100 * µs) / total, 1) })),
  }
}

// -- output --------------------------------------------------------------------------------------------------------

function table(head, rows) {
  const cells = [head, ...rows].map((row) => row.map((cell) => String(cell ?? '')))
  const widths = head.map((_, column) => Math.max(...cells.map((row) => row[column].length)))
  const line = (row) =>
    row.map((cell, column) => (column ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
  return [
    line(cells[0]).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map((row) => line(row).join('  ')),
  ].join('\n')
}
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
}

async function main() {
  for (const file of ['server.js', 'mock-server.js'])
    if (!existsSync(join(DIST, file))) {
      console.error(
        `proxy bench: ${join(DIST, file)} is missing. Run \`npm run build\` first` +
          ' (or build elsewhere, e.g. `npx tsup --out-dir /tmp/x/dist`, and set BENCH_DIST to it).',
      )
      process.exit(1)
    }
  const children = []
  const cleanUp = () => {
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  process.on('exit', cleanUp)
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      cleanUp()
      process.exit(130)
    })
  const watchdog = setTimeout(() => {
    console.error(`proxy bench: still running after ${WATCHDOG_MS / 1000} s, giving up`)
    cleanUp()
    process.exit(2)
  }, WATCHDOG_MS)
  watchdog.unref()

  const loadAtStart = loadavg().map((value) => value.toFixed(2))
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'proxy-bench-prof-')) : undefined
  const token = `bench-token-${Math.random().toString(36).slice(2)}`
  const mock = startChild('mock')
  children.push(mock)
  const { baseURL } = await mock.ready({ token })
  const proxy = startChild('proxy', profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])
  children.push(proxy)
  const proxyReady = await proxy.ready({ apiBaseURL: baseURL, token })
  const sides = [directSide(baseURL, token), proxySide(proxyReady.port)]

  console.log(
    `proxy bench: Node ${process.version}, ${cpus()[0]?.model} × ${cpus().length}, dist ${DIST}${PROFILE ? ', PROFILING (figures inflated)' : ''}`,
  )
  console.log(`proxy limits passed: ${JSON.stringify(proxyReady.limits)} (fields from ${proxyReady.limitsFrom})`)

  // Burst: each side's visitors, a warm-up, then ROUNDS alternating rounds.
  const burstVisitors = []
  for (const [index, side] of sides.entries())
    burstVisitors.push(await createVisitors(side, BURST_CLIENTS, index * 1_000_000))
  for (const [index, side] of sides.entries()) {
    const warm = await burst(side, burstVisitors[index], WARMUP)
    if (warm.counts.failed) throw new Error(`${side.name} warm-up failed: ${warm.counts.samples.join(' | ')}`)
  }
  const rounds = { direct: [], proxied: [] }
  for (let r = 0; r < ROUNDS; r++)
    for (const [index, side] of sides.entries()) {
      const before = await cpuNow(mock, proxy)
      const run = await burst(side, burstVisitors[index], BURST_REQUESTS)
      const cpu = cpuDelta(before, await cpuNow(mock, proxy))
      rounds[side.name].push({ ...run, cpu })
      process.stdout.write(`  burst round ${r + 1} ${side.name}: ${run.rps} req/s\n`)
    }
  const burstOf = (name) => {
    const list = rounds[name]
    const requests = list.reduce((sum, run) => sum + run.requests, 0)
    const sum = (pick) => list.reduce((total, run) => total + pick(run), 0)
    return {
      rps: round(median(list.map((run) => run.rps)), 0),
      rounds: list.map((run) => run.rps),
      requests,
      failed: sum((run) => run.counts.failed),
      statuses: list.map((run) => run.counts.statuses),
      errors: list.flatMap((run) => run.counts.samples).slice(0, 5),
      µsPerRequest: {
        generator: round(sum((run) => run.cpu.generatorµs) / requests, 1),
        mock: round(sum((run) => run.cpu.mockµs) / requests, 1),
        proxy: round(sum((run) => run.cpu.proxyµs) / requests, 1),
      },
      proxyGcMs: sum((run) => run.cpu.proxyGcMs),
      proxyµsPerRequestByThread: {
        main: round(sum((run) => run.cpu.proxyMainµs) / requests, 1),
        otherThreads: round(sum((run) => run.cpu.proxyOtherThreadsµs) / requests, 1),
      },
      proxyHeapMiB: list.at(-1).cpu.proxyHeapMiB,
      // Over all rounds: CPU time / wall time (1.00 = one core busy all along).
      cores: Object.fromEntries(
        ['generator', 'mock', 'proxy', 'others'].map((name) => [
          name,
          list.every((run) => run.cpu.cores[name] !== null)
            ? round(sum((run) => run.cpu.cores[name] * run.cpu.wallMs) / sum((run) => run.cpu.wallMs), 2)
            : null,
        ]),
      ),
    }
  }
  const burstResult = { clients: BURST_CLIENTS, requestsPerRound: BURST_REQUESTS, rounds: ROUNDS }
  burstResult.direct = burstOf('direct')
  burstResult.proxied = burstOf('proxied')
  burstResult.ratio = round(burstResult.proxied.rps / burstResult.direct.rps, 3)

  // Paced: one side after the other, each with its own VISITORS visitors.
  const pacedResult = {
    visitors: VISITORS,
    seconds: PACED_MS / 1000,
    readEveryMs: READ_EVERY_MS,
    addEveryMs: ADD_EVERY_MS,
  }
  for (const [index, side] of sides.entries()) {
    process.stdout.write(`  paced ${side.name}: ${VISITORS} visitors for ${PACED_MS / 1000} s…\n`)
    const before = await cpuNow(mock, proxy)
    const run = await paced(side, 2_000_000 + index * 1_000_000)
    const cpu = cpuDelta(before, await cpuNow(mock, proxy))
    const { counts, ...figures } = run
    pacedResult[side.name] = {
      ...figures,
      failed: Object.fromEntries(Object.entries(counts).map(([kind, count]) => [kind, count.failed])),
      statuses: Object.fromEntries(Object.entries(counts).map(([kind, count]) => [kind, count.statuses])),
      errors: Object.values(counts)
        .flatMap((count) => count.samples)
        .slice(0, 5),
      µsPerRequest: {
        generator: round(cpu.generatorµs / run.requests, 1),
        mock: round(cpu.mockµs / run.requests, 1),
        proxy: round(cpu.proxyµs / run.requests, 1),
      },
      proxyGcMs: cpu.proxyGcMs,
      proxyµsPerRequestByThread: {
        main: round(cpu.proxyMainµs / run.requests, 1),
        otherThreads: round(cpu.proxyOtherThreadsµs / run.requests, 1),
      },
      proxyHeapMiB: cpu.proxyHeapMiB,
      cores: cpu.cores,
    }
  }
  pacedResult.p95Added = {
    read: round(pacedResult.proxied.read.p95 - pacedResult.direct.read.p95, 3),
    readAndAdd: round(pacedResult.proxied.readAndAdd.p95 - pacedResult.direct.readAndAdd.p95, 3),
    create: round(pacedResult.proxied.create.p95 - pacedResult.direct.create.p95, 3),
  }
  const proxyRss = (await proxy.cpu()).rss

  for (const side of sides) side.client.close()
  const [proxyCpuTotalµs] = await Promise.all([proxy.stop(), mock.stop()])

  // -- report ----------------------------------------------------------------------------------------------------
  const d = burstResult.direct
  const p = burstResult.proxied
  console.log(`\nBurst: ${BURST_CLIENTS} visitors back-to-back, GET chat/conversations/{id}?includeMessages=false,`)
  console.log(`${BURST_REQUESTS} requests per side per round, ${ROUNDS} alternating rounds (median shown)\n`)
  console.log(
    table(
      [
        'side',
        'req/s',
        'rounds',
        'failed',
        'proxy CPU µs/req',
        'mock CPU µs/req',
        'generator CPU µs/req',
        'cores busy (gen/mock/proxy/others)',
      ],
      [d, p].map((side, index) => [
        index ? 'proxied' : 'direct',
        side.rps,
        side.rounds.join(' / '),
        side.failed,
        index ? side.µsPerRequest.proxy : '-',
        side.µsPerRequest.mock,
        side.µsPerRequest.generator,
        `${side.cores.generator} / ${side.cores.mock} / ${side.cores.proxy} / ${side.cores.others ?? '?'}`,
      ]),
    ),
  )
  console.log(
    `ratio proxied/direct: ${burstResult.ratio} (goal ≥ 0.5: ${burstResult.ratio >= 0.5 ? 'met' : 'NOT met'})`,
  )

  const pd = pacedResult.direct
  const pp = pacedResult.proxied
  console.log(
    `\nPaced: ${VISITORS} visitors, a read every ~${READ_EVERY_MS / 1000} s and a message every ~${ADD_EVERY_MS / 1000} s (±25 %), ${PACED_MS / 1000} s per side (ms)\n`,
  )
  const row = (label, s) => [label, s.count, s.p50, s.p95, s.p99, s.max]
  console.log(
    table(
      ['side / kind', 'count', 'p50', 'p95', 'p99', 'max'],
      [
        row('direct  read', pd.read),
        row('proxied read', pp.read),
        row('direct  add-message', pd.add),
        row('proxied add-message', pp.add),
        row('direct  read+add', pd.readAndAdd),
        row('proxied read+add', pp.readAndAdd),
        row('direct  create', pd.create),
        row('proxied create', pp.create),
      ],
    ),
  )
  const added = pacedResult.p95Added
  console.log(
    `p95 added by the proxy: reads ${added.read} ms, reads+adds ${added.readAndAdd} ms (goal ≤ 5 ms: ${added.readAndAdd <= 5 ? 'met' : 'NOT met'}); creates ${added.create} ms`,
  )
  console.log(
    `proxy CPU per proxied request, paced: ${pp.µsPerRequest.proxy} µs (burst: ${p.µsPerRequest.proxy} µs); ` +
      `rate ${pp.rps} req/s; generator timer lag p99 ${pp.timerLag.p99} ms (direct ${pd.timerLag.p99} ms); proxy RSS ${Math.round(proxyRss / 2 ** 20)} MiB`,
  )
  console.log(
    `proxy CPU µs per request on its main thread / other threads (GC helpers, compiler, libuv pool): ` +
      `burst ${p.proxyµsPerRequestByThread.main} / ${p.proxyµsPerRequestByThread.otherThreads}, ` +
      `paced ${pp.proxyµsPerRequestByThread.main} / ${pp.proxyµsPerRequestByThread.otherThreads} (from /proc, 10 ms ticks)`,
  )
  console.log(
    `proxy GC: burst ${p.proxyGcMs} ms for ${p.requests} requests (heap after ${p.proxyHeapMiB} MiB); ` +
      `paced direct ${pd.proxyGcMs} ms (the proxy idle), paced proxied ${pp.proxyGcMs} ms for ${pp.requests} requests (heap after ${pp.proxyHeapMiB} MiB)` +
      (process.env.PROXY_UPSTREAM_TIMEOUT_MS
        ? `; upstreamTimeout set to ${process.env.PROXY_UPSTREAM_TIMEOUT_MS} ms`
        : ''),
  )
  console.log(
    `cores busy during paced (gen/mock/proxy/others): direct ${Object.values(pd.cores).join(' / ')}, proxied ${Object.values(pp.cores).join(' / ')}; ` +
      `load average at start ${loadAtStart.join(' ')}, at end ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}`,
  )
  const failures = [d.failed, p.failed, ...Object.values(pd.failed), ...Object.values(pp.failed)].reduce(
    (a, b) => a + b,
    0,
  )
  if (failures) {
    console.log(`\nWARNING: ${failures} requests failed (a 429 means the proxy's rate limits throttled the bench):`)
    for (const error of [...d.errors, ...p.errors, ...pd.errors, ...pp.errors].slice(0, 8)) console.log(`  ${error}`)
  }

  let profile
  if (profileDir) {
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))
    if (!file) console.log('\n--profile: the proxy child wrote no .cpuprofile')
    else {
      profile = summarizeProfile(join(profileDir, file))
      profile.proxyCpuMs = proxyCpuTotalµs === undefined ? null : round(proxyCpuTotalµs / 1000, 0)
      console.log(
        `\nProxy CPU profile (${profile.samples} samples, ${profile.busyMs} ms not idle, ${profile.idleMs} ms idle; ` +
          `the proxy process used ${profile.proxyCpuMs} ms of CPU in all).`,
      )
      if (profile.proxyCpuMs && profile.busyMs > 1.3 * profile.proxyCpuMs)
        console.log(
          'The sampler counts wall time: "not idle" well above the CPU used means the proxy waited for a core (other\n' +
            'load on the machine), and that wait lands mostly on the frames that enter the kernel (writev, write*String).',
        )
      console.log('\nTop self time\n')
      console.log(
        table(
          ['function (url:line)', 'self ms', '% busy', 'hits'],
          profile.top.map((entry) => [entry.fn, entry.selfMs, entry.share, entry.hits]),
        ),
      )
      console.log('\nSelf time by area\n')
      console.log(
        table(
          ['area', 'self ms', '% busy'],
          profile.areas.map((entry) => [entry.area, entry.selfMs, entry.share]),
        ),
      )
      console.log("\nInclusive time of the library's functions (and undici's fetch)\n")
      console.log(
        table(
          ['function (url:line)', 'total ms', '% busy'],
          profile.libraryInclusive.map((entry) => [entry.fn, entry.totalMs, entry.share]),
        ),
      )
      rmSync(profileDir, { recursive: true, force: true })
      profile.file = '(deleted temp file)'
    }
  }

  const run = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30, 0),
    loadAverage: { start: loadAtStart.map(Number), end: loadavg().map((value) => round(value, 2)) },
    dist: DIST,
    profiled: PROFILE,
    proxyLimits: proxyReady.limits,
    client: 'node:http with a keep-alive Agent per side (maxSockets 4096)',
    burst: burstResult,
    paced: pacedResult,
    proxyCpuµsPerRequest: { burst: p.µsPerRequest.proxy, paced: pp.µsPerRequest.proxy },
    upstreamTimeoutOverride: process.env.PROXY_UPSTREAM_TIMEOUT_MS
      ? Number(process.env.PROXY_UPSTREAM_TIMEOUT_MS)
      : null,
  }
  let previous = {}
  try {
    previous = JSON.parse(readFileSync(RESULTS, 'utf8'))
  } catch {}
  const headline = {
    date: run.date,
    profiled: PROFILE,
    dist: DIST,
    settings: {
      burstClients: BURST_CLIENTS,
      burstRequests: BURST_REQUESTS,
      rounds: ROUNDS,
      visitors: VISITORS,
      pacedSeconds: PACED_MS / 1000,
    },
    upstreamTimeoutOverride: run.upstreamTimeoutOverride,
    othersCores: { burstProxied: p.cores.others, pacedProxied: pp.cores.others },
    burstRps: { direct: d.rps, proxied: p.rps, ratio: burstResult.ratio },
    pacedReadAndAddMs: {
      direct: { p50: pd.readAndAdd.p50, p95: pd.readAndAdd.p95, p99: pd.readAndAdd.p99 },
      proxied: { p50: pp.readAndAdd.p50, p95: pp.readAndAdd.p95, p99: pp.readAndAdd.p99 },
    },
    proxyCpuµsPerRequest: run.proxyCpuµsPerRequest,
  }
  const results = {
    about:
      'node bench/proxy.bench.mjs (see bench/PROXY.md). latest: the last run without --profile; profile: the last --profile run (its figures are inflated by the profiler).',
    latest: PROFILE ? previous.latest : run,
    profile: PROFILE ? { ...run, profile } : previous.profile,
    history: [...(previous.history ?? []), headline].slice(-10),
  }
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`)
  console.log(`\nwritten: ${RESULTS}`)
  clearTimeout(watchdog)
}

if (ROLE) childMain()
else
  main().catch((error) => {
    console.error(error?.stack ?? error)
    process.exitCode = 1
    process.exit(1) // the exit handler kills the children
  })
