import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCookieSigner, type VisitorState } from '../../src/server/cookie'
import type { Guard, ProxyContext } from '../../src/server/proxy/context'
import {
  addressGuard,
  bodyGuard,
  budgetGuard,
  type GuardDeps,
  humanGuard,
  type IdempotencyClaim,
  idempotencyGuard,
  policyGuard,
  routeGuard,
  siteGuard,
  visitorGuard,
} from '../../src/server/proxy/guards'
import { type ChatHandlerOptions, resolveConfig } from '../../src/server/proxy/options'
import { redactJson } from '../../src/server/proxy/redact'
import { createUpstream, type Upstream } from '../../src/server/proxy/upstream'
import {
  createMemoryConversationIndex,
  createMemoryIdempotencyStore,
  createMemoryRateLimiter,
} from '../../src/server/stores'
import { TokenUnavailable, withBackoff } from '../../src/server/tokens'
import { startServer } from './http-server'

// Each step of the handler alone, on bare Requests, with fake time: what each rule guarantees,
// independent of the others (the whole handler on real sockets is in server.test.ts and friends).

const SECRET = 'guard-test-secret-0123456789abcdef0123456789'
const BASE = 'http://shop.example/api/chat/'

let closers: (() => Promise<void>)[] = []
afterEach(async () => {
  vi.useRealTimers()
  for (const close of closers.reverse()) await close()
  closers = []
})

/** A clock the test moves. */
function clock(start = Date.UTC(2026, 11, 5, 12)) {
  let time = start
  return {
    now: () => time,
    advance(ms: number) {
      time += ms
    },
  }
}

const noUpstream: Upstream = async () => {
  throw new Error('no upstream call expected')
}

function depsFor(options: Partial<ChatHandlerOptions> = {}, extra: Partial<GuardDeps> = {}) {
  const time = clock()
  const config = resolveConfig(
    { apiBaseURL: 'http://127.0.0.1:9/', accessToken: () => 't', secret: SECRET, ...options },
    time.now,
  )
  const signer = createCookieSigner(SECRET, config.deployment)
  const warnings: string[] = []
  const deps: GuardDeps = {
    config,
    verifyCookie: async (value) => (await signer).verify(value, config.maxAge, time.now()),
    limiter: createMemoryRateLimiter(time.now),
    idempotency: createMemoryIdempotencyStore(time.now),
    conversations: createMemoryConversationIndex(),
    upstream: noUpstream,
    warnOnce(_key, line) {
      if (!warnings.includes(line)) warnings.push(line)
    },
    ...extra,
  }
  return { deps, config, time, signer, warnings }
}

function contextOf(request: Request, info?: { clientAddress?: string }): ProxyContext {
  return { request, info, url: new URL(request.url), method: request.method.toUpperCase(), path: '' }
}

/** Runs guards in order on a request; the answer, or `undefined` when every guard passed it on. */
async function run(
  guards: Guard[],
  request: Request,
  info?: { clientAddress?: string },
  preset: { identityDigest?: string } = {},
) {
  const context = Object.assign(contextOf(request, info), preset)
  for (const guard of guards) {
    const answer = await guard(context)
    if (answer) return { answer, context }
  }
  return { answer: undefined, context }
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', host: 'shop.example', ...headers },
  body: JSON.stringify(body),
})

describe('route', () => {
  it('answers unknown methods 501, a known path with another method 405 with Allow, unknown paths 404', async () => {
    const { config } = depsFor()
    const guard = routeGuard(config)
    const trace = contextOf(new Request(`${BASE}chat/conversations/1`, { method: 'PROPFIND' }))
    expect((await guard(trace))?.status).toBe(501)
    const put = await guard(contextOf(new Request(`${BASE}chat/conversations/1`, { method: 'PUT' })))
    expect(put?.status).toBe(405)
    expect(put?.headers.get('allow')).toBe('GET')
    expect((await guard(contextOf(new Request(`${BASE}chat/tickets`))))?.status).toBe(404)
    expect((await guard(contextOf(new Request('http://shop.example/elsewhere'))))?.status).toBe(404)
    // Ids are positive integers that fit; anything else names no conversation of the visitor's.
    for (const id of ['0', '-1', '1e3', '99999999999999999999', 'abc'])
      expect((await guard(contextOf(new Request(`${BASE}chat/conversations/${id}`))))?.status).toBe(403)
    const importing = contextOf(new Request(`${BASE}chat/conversations/1/previousMessages`, { method: 'POST' }))
    expect((await guard(importing))?.status).toBe(403)
  })

  it('routes the undocumented endpoints to the paths configured on the handler, and its 405 names that option', async () => {
    const { config } = depsFor({
      paths: { closeConversation: { method: 'POST', path: 'chat/conversations/{id}/end' } },
    })
    const guard = routeGuard(config)
    for (const [method, path] of [
      ['PATCH', 'close'],
      ['POST', 'end'],
    ]) {
      const context = contextOf(new Request(`${BASE}chat/conversations/7/${path}`, { method }))
      expect(await guard(context)).toBeUndefined()
      expect(context.route).toMatchObject({
        kind: 'endpoint',
        id: 7,
        upstream: { method: 'POST', path: 'chat/conversations/7/end' },
      })
    }
    const wrong = await routeGuard(depsFor().config)(
      contextOf(new Request(`${BASE}chat/conversations/7/latestUrl`, { method: 'POST' })),
    )
    expect(wrong?.status).toBe(405)
    expect(await wrong?.text()).toMatch(/paths\.updateLatestUrl in the createChatHandler options/)
  })
})

describe('same site', () => {
  const check = async (
    headers: Record<string, string>,
    options: Partial<ChatHandlerOptions> = {},
    method = 'PATCH',
  ) => {
    const { config } = depsFor(options)
    return (
      await siteGuard(config)(contextOf(new Request(`${BASE}chat/conversations/1/feedback`, { method, headers })))
    )?.status
  }

  it('refuses a cross-site PATCH, Origin null and malformed origins; lets this site and non-browser clients write', async () => {
    expect(await check({ host: 'shop.example', origin: 'https://evil.example' })).toBe(403)
    expect(await check({ host: 'shop.example', origin: 'null' })).toBe(403)
    expect(await check({ host: 'shop.example', origin: 'http://shop.example/path' })).toBe(403)
    expect(await check({ host: 'shop.example', origin: 'http://shop.example.evil.example' })).toBe(403)
    expect(await check({ host: 'shop.example', origin: 'http://shop.example', 'sec-fetch-site': 'cross-site' })).toBe(
      403,
    )
    expect(await check({ host: 'shop.example', origin: 'http://shop.example' })).toBeUndefined()
    expect(await check({ host: 'shop.example' })).toBeUndefined()
    // Reads are left to the browser's same-origin rules.
    expect(await check({ host: 'shop.example', origin: 'https://evil.example' }, {}, 'GET')).toBeUndefined()
  })

  it('decides "this site" from configuration: a malformed Host or a client-chosen X-Forwarded-Host is not it', async () => {
    expect(
      await check({ host: 'evil.example', origin: 'http://evil.example' }, { origin: 'https://shop.example' }),
    ).toBe(403)
    expect(
      await check({ host: 'evil.example', origin: 'https://shop.example' }, { origin: 'https://shop.example' }),
    ).toBeUndefined()
    expect(
      await check({ host: 'x', origin: 'https://cdn.example' }, { allowedOrigins: ['https://cdn.example'] }),
    ).toBeUndefined()
    const forwarded = {
      host: 'internal:8080',
      origin: 'https://shop.example',
      'x-forwarded-host': 'shop.example',
      'x-forwarded-proto': 'https',
    }
    expect(await check(forwarded)).toBe(403)
    expect(
      await check({ host: 'internal:8080', origin: 'http://shop.example', 'x-forwarded-host': 'shop.example' }),
    ).toBe(403)
    expect(await check({ host: 'a b', origin: 'http://a b' })).toBe(403)
    expect(await check(forwarded, { trustProxy: true })).toBeUndefined()
  })
})

describe('budgets', () => {
  it('121 creates from one address: the create budget stops them, whether or not a cookie comes back; others are untouched', async () => {
    const { deps } = depsFor()
    const guards = [routeGuard(deps.config), addressGuard(deps), visitorGuard(deps), budgetGuard(deps)]
    const create = () => new Request(`${BASE}chat/conversations`, json({}))
    const statuses: number[] = []
    for (let i = 0; i < 121; i++)
      statuses.push((await run(guards, create(), { clientAddress: '203.0.113.9' })).answer?.status ?? 200)
    expect(statuses.filter((status) => status === 200)).toHaveLength(10)
    const limited = await run(guards, create(), { clientAddress: '203.0.113.9' })
    expect(limited.answer?.status).toBe(429)
    expect(Number(limited.answer?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect((await run(guards, create(), { clientAddress: '198.51.100.1' })).answer).toBeUndefined()
  })

  it('the budget comes back after its window (fake time)', async () => {
    const { deps, time } = depsFor({ limits: { createsPerMinute: 1 } })
    const guards = [routeGuard(deps.config), addressGuard(deps), budgetGuard(deps)]
    const create = () => new Request(`${BASE}chat/conversations`, json({}))
    expect((await run(guards, create(), { clientAddress: '203.0.113.9' })).answer).toBeUndefined()
    expect((await run(guards, create(), { clientAddress: '203.0.113.9' })).answer?.status).toBe(429)
    time.advance(60_000)
    expect((await run(guards, create(), { clientAddress: '203.0.113.9' })).answer).toBeUndefined()
  })

  it('a signed-in visitor without the cookie is counted as that identity: a new browser gets no fresh budget', async () => {
    const { deps } = depsFor({ limits: { requestsPerMinute: 3 } })
    const guards = [budgetGuard(deps)]
    const read = (digest: string) =>
      run(guards, new Request(`${BASE}chat/conversations/7`), undefined, { identityDigest: digest })
    const statuses: (number | undefined)[] = []
    for (let i = 0; i < 4; i++) statuses.push((await read('user-a')).answer?.status)
    expect(statuses).toEqual([undefined, undefined, undefined, 429])
    expect((await read('user-b')).answer).toBeUndefined()
  })

  it('reads X-Forwarded-For only with trustProxy, and then its last entry (what the app’s own proxy added)', async () => {
    const spoofed = { 'x-forwarded-for': '10.0.0.1, 192.0.2.7' }
    const plain = depsFor()
    const a = await run([addressGuard(plain.deps)], new Request(BASE, { headers: spoofed }), {
      clientAddress: '203.0.113.9',
    })
    expect(a.context.address).toBe('203.0.113.9')
    const trusted = depsFor({ trustProxy: true })
    const b = await run([addressGuard(trusted.deps)], new Request(BASE, { headers: spoofed }), {
      clientAddress: '203.0.113.9',
    })
    expect(b.context.address).toBe('192.0.2.7')
    const hosted = depsFor({ clientAddress: (request) => request.headers.get('x-real-ip') ?? undefined })
    const c = await run([addressGuard(hosted.deps)], new Request(BASE, { headers: { 'x-real-ip': '198.51.100.4' } }))
    expect(c.context.address).toBe('198.51.100.4')
    // No address at all: one shared budget, and the app is told once how to give one.
    const none = depsFor()
    await run([addressGuard(none.deps)], new Request(BASE))
    await run([addressGuard(none.deps)], new Request(BASE))
    expect(none.warnings).toHaveLength(1)
    expect(none.warnings[0]).toMatch(/clientAddress/)
  })
})

describe('visitor', () => {
  async function cookieFor(signer: ReturnType<typeof createCookieSigner>, state: Partial<VisitorState> = {}) {
    const value = await (await signer).sign({
      visitor: 'v1',
      customIdentifier: 'visitor-1',
      conversations: [5],
      issuedAt: Math.floor(Date.UTC(2026, 11, 5, 12) / 1000),
      ...state,
    })
    return `sb_chat=${value}`
  }

  it('a cookie minted for one signed-in user grants nothing to another, nor to no one', async () => {
    let user: { id: string } | null = { id: 'user-x' }
    const { deps, signer } = depsFor({ resolveVisitor: () => user })
    const guards = [routeGuard(deps.config), visitorGuard(deps)]
    const read = (cookie: string) => new Request(`${BASE}chat/conversations/5`, { headers: { cookie } })
    // Minted while user-x was signed in.
    const digest = await (await import('../../src/server/cookie')).identityDigest({ id: 'user-x', isBot: false })
    const cookie = await cookieFor(signer, { identity: digest })
    expect((await run(guards, read(cookie))).answer).toBeUndefined()
    user = { id: 'user-y' }
    expect((await run(guards, read(cookie))).answer?.status).toBe(403)
    user = null
    expect((await run(guards, read(cookie))).answer?.status).toBe(403)
  })

  it('a cookie from another deployment sharing the secret is not valid here', async () => {
    const here = depsFor()
    const there = depsFor({ basePath: '/other/chat' })
    const cookie = await cookieFor(there.signer)
    const answer = await run(
      [routeGuard(here.config), visitorGuard(here.deps)],
      new Request(`${BASE}chat/conversations/5`, { headers: { cookie } }),
    )
    expect(answer.answer?.status).toBe(403)
  })

  it('explains a Secure cookie that cannot come back over plain http to another host, once in the log', async () => {
    const { deps, warnings } = depsFor()
    const guards = [routeGuard(deps.config), visitorGuard(deps)]
    const lan = new Request('http://192.168.1.20:3000/api/chat/chat/conversations/5', {
      headers: { host: '192.168.1.20:3000' },
    })
    const answer = (await run(guards, lan)).answer
    expect(answer?.status).toBe(403)
    expect(await answer?.text()).toMatch(/visitor cookie did not come back/)
    await run(guards, lan)
    expect(warnings.filter((line) => /cookie\.secure|secure: false/.test(line))).toHaveLength(1)
    const local = new Request('http://localhost:3000/api/chat/chat/conversations/5', {
      headers: { host: 'localhost:3000' },
    })
    expect(await (await run(guards, local)).answer?.text()).not.toMatch(/did not come back/)
  })
})

describe('body', () => {
  /** A body that counts how much of it was read. */
  function countingBody(chunks: number, size = 1024) {
    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        if (pulled > chunks) controller.close()
        else controller.enqueue(new Uint8Array(size).fill(0x20))
      },
    })
    return { stream, pulled: () => pulled }
  }

  const post = (body: ReadableStream<Uint8Array>, headers: Record<string, string>) =>
    new Request(`${BASE}chat/conversations/5/messages`, {
      method: 'POST',
      headers,
      body,
      duplex: 'half',
    } as RequestInit)

  it('refuses a declared length over the cap (413) and a type that is not JSON (415) without reading a byte', async () => {
    const { config } = depsFor({ limits: { bodyBytes: 1000 } })
    const big = countingBody(10_000)
    const answer = await bodyGuard(config)(
      contextOf(post(big.stream, { 'content-type': 'application/json', 'content-length': '10240000' })),
    )
    expect(answer?.status).toBe(413)
    const form = countingBody(10)
    expect((await bodyGuard(config)(contextOf(post(form.stream, { 'content-type': 'text/plain' }))))?.status).toBe(415)
    // A ReadableStream pulls once to fill its queue when it is made; nothing past that.
    expect(big.pulled()).toBeLessThanOrEqual(1)
    expect(form.pulled()).toBeLessThanOrEqual(1)
  })

  it('stops reading a streamed body at the cap (413)', async () => {
    const { config } = depsFor({ limits: { bodyBytes: 4096 } })
    const body = countingBody(10_000)
    expect(
      (await bodyGuard(config)(contextOf(post(body.stream, { 'content-type': 'application/json' }))))?.status,
    ).toBe(413)
    expect(body.pulled()).toBeLessThan(10)
  })

  it('gives up on a stalled body after upstreamTimeout (408)', async () => {
    vi.useFakeTimers()
    const { config } = depsFor({ limits: { upstreamTimeout: 5000 } })
    const stalled = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode('[')),
    })
    const pending = bodyGuard(config)(contextOf(post(stalled, { 'content-type': 'application/json' })))
    await vi.advanceTimersByTimeAsync(5001)
    expect((await pending)?.status).toBe(408)
  })
})

describe('idempotency', () => {
  it('replays a repeated key, refuses it with another body (422), and makes a repeat wait for the first', async () => {
    vi.useFakeTimers()
    const { deps } = depsFor()
    const claims = new WeakMap<ProxyContext, IdempotencyClaim>()
    const guards = [routeGuard(deps.config), bodyGuard(deps.config), idempotencyGuard(deps, claims)]
    const send = (text: string) =>
      new Request(`${BASE}chat/conversations`, json({ title: text }, { 'idempotency-key': 'key-1' }))
    const first = await run(guards, send('a'))
    expect(first.answer).toBeUndefined()
    const claim = claims.get(first.context) as IdempotencyClaim
    expect(claim.key).toBe('create:key-1')
    expect((await run(guards, send('b'))).answer?.status).toBe(422)
    // The first is still in flight: a repeat waits for its answer.
    const repeat = run(guards, send('a'))
    await vi.advanceTimersByTimeAsync(100)
    await deps.idempotency.finish(claim.key, claim.fingerprint, { status: 200, headers: {}, body: '{"x":1}' }, 60_000)
    await vi.advanceTimersByTimeAsync(300)
    const replayed = await repeat
    expect(replayed.answer).toBeUndefined()
    expect(replayed.context.replayed?.body).toBe('{"x":1}')
    expect(
      (await run(guards, new Request(`${BASE}chat/conversations`, json({}, { 'idempotency-key': 'ä' })))).answer
        ?.status,
    ).toBe(400)
  })
})

describe('human check', () => {
  it('runs verifyHuman before an anonymous create only', async () => {
    let verdict = false
    const calls: string[] = []
    const { config } = depsFor({
      verifyHuman: (request) => {
        calls.push(request.url)
        return verdict
      },
    })
    const guard = humanGuard(config)
    const create = (identity: ProxyContext['identity']) => {
      const context = contextOf(new Request(`${BASE}chat/conversations`, json({})))
      context.identity = identity
      context.route = {
        kind: 'endpoint',
        endpoint: { name: 'createConversation' } as never,
        id: undefined,
        upstream: { method: 'POST', path: '' },
      }
      return context
    }
    expect((await guard(create(null)))?.status).toBe(403)
    verdict = true
    expect(await guard(create(null))).toBeUndefined()
    expect(await guard(create({ id: 'signed-in' }))).toBeUndefined()
    expect(calls).toHaveLength(2)
  })
})

describe('visitor policy', () => {
  async function policy(
    url: string,
    init: RequestInit,
    options: Partial<ChatHandlerOptions> = {},
    upstream = noUpstream,
  ) {
    const { deps, time } = depsFor(options, { upstream })
    const context = contextOf(new Request(url, init))
    for (const guard of [routeGuard(deps.config), bodyGuard(deps.config)]) expect(await guard(context)).toBeUndefined()
    context.visitorState = { visitor: 'v', customIdentifier: 'visitor-v', conversations: [5], issuedAt: 0 }
    context.identity = null
    const answer = await policyGuard(deps)(context)
    return { answer, context, time }
  }

  it('checks read queries as the client does (400 before any upstream call) and drops names outside the read options', async () => {
    for (const query of ['take=101', 'take=0', 'skip=-1', 'skip=x', 'orderBy=random'])
      expect((await policy(`${BASE}chat/conversations/5/messages?${query}`, {})).answer?.status).toBe(400)
    const { answer, context } = await policy(
      `${BASE}chat/conversations/5/messages?take=5&evil=1&includeMessages=true`,
      {},
    )
    expect(answer).toBeUndefined()
    expect(context.search).toBe('?take=5')
  })

  it('refuses a creationTime more than 2 minutes from the server clock, and never rewrites one inside', async () => {
    const now = Date.UTC(2026, 11, 5, 12)
    const stamp = (ms: number) => new Date(now + ms).toISOString()
    const send = (time: string) =>
      policy(`${BASE}chat/conversations/5/messages`, json([{ message: 'hi', creationTime: time }]))
    expect((await send(stamp(-121_000))).answer?.status).toBe(400)
    expect((await send('2019-01-01T00:00:00Z')).answer?.status).toBe(400)
    const inside = await send(stamp(-60_000))
    expect(inside.answer).toBeUndefined()
    expect((inside.context.upstreamBody as { creationTime: string }[])[0]?.creationTime).toBe(stamp(-60_000))
  })

  it('bounds the messages of one request, so the forced author cannot multiply a small request upstream', async () => {
    const many = Array.from({ length: 21 }, () => ({ message: 'x' }))
    expect((await policy(`${BASE}chat/conversations/5/messages`, json(many))).answer?.status).toBe(413)
  })

  it('hands a conversation to a human only while the bot has it', async () => {
    let withBot = true
    const upstream: Upstream = async () => ({
      response: new Response('{}'),
      sent: true,
      status: 200,
      json: { data: { isAssignedToBot: withBot }, errorCode: -1, errorText: null },
    })
    const ask = () =>
      policy(
        `${BASE}chat/conversations/5/takeover`,
        { ...json({ isAssignedToBot: false }), method: 'PATCH' },
        {},
        upstream,
      )
    expect((await ask()).answer).toBeUndefined()
    withBot = false
    expect((await ask()).answer?.status).toBe(409)
  })
})

describe('upstream', () => {
  const tokens = { get: async () => 'token-SECRET-1', refuse: () => {} }

  it('after a 401, repeats once with a new token, never more, then answers 502', async () => {
    const api = await startServer((_request, res) => {
      res.writeHead(401, { 'content-type': 'application/json' })
      res.end('{}')
    })
    closers.push(api.close)
    const refused: string[] = []
    const upstream = createUpstream({
      apiBaseURL: api.baseURL,
      tokens: {
        get: async () => 'token-SECRET-1',
        refuse(token) {
          refused.push(token)
        },
      },
      fetch,
      timeout: 5000,
      maxBytes: 1024,
      secrets: [],
    })
    const result = await upstream('GET', 'chat/conversations/1', '', undefined)
    expect(result.response.status).toBe(502)
    expect(api.requests).toHaveLength(2)
    expect(refused).toHaveLength(1)
  })

  it('turns an answer that is not JSON, or too large, into a small JSON 502, and scrubs every encoding of a secret', async () => {
    let answer = ''
    let type = 'application/json'
    const api = await startServer((_request, res) => {
      res.writeHead(200, { 'content-type': type })
      res.end(answer)
    })
    closers.push(api.close)
    const upstream = createUpstream({
      apiBaseURL: api.baseURL,
      tokens,
      fetch,
      timeout: 5000,
      maxBytes: 4096,
      secrets: ['refresh/SECRET+r1=='],
    })
    type = 'text/html'
    answer = '<html><script>alert(1)</script></html>'
    let result = await upstream('GET', 'x', '', undefined)
    expect(result.response.status).toBe(502)
    expect(result.response.headers.get('content-type')).toMatch(/application\/json/)
    type = 'application/json'
    answer = JSON.stringify({ data: 'x'.repeat(5000) })
    expect((await upstream('GET', 'x', '', undefined)).response.status).toBe(502)
    const b64 = Buffer.from('token-SECRET-1').toString('base64')
    answer = `{"a":"token-SECRET-1","b":"token-SECRET\\u002d1","c":"refresh\\/SECRET+r1==","d":"${encodeURIComponent('refresh/SECRET+r1==')}","e":"x${b64}y","f":"${Buffer.from('zz refresh/SECRET+r1==').toString('base64url')}"}`
    result = await upstream('GET', 'x', '', undefined)
    const text = await result.response.text()
    expect(text).not.toMatch(/SECRET/)
    expect(text).not.toContain(b64.slice(4, 14))
    expect(result.response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(result.response.headers.get('cache-control')).toBe('no-store')
  })

  it('redactJson: finds a secret at any base64 alignment, and leaves clean JSON as it was', () => {
    const secret = 'abcdefgh-SECRET-ijklmnop'
    for (const prefix of ['', 'x', 'xy', 'xyz']) {
      const encoded = Buffer.from(`${prefix}${secret}tail`).toString('base64')
      expect(redactJson(JSON.stringify({ v: encoded }), [secret])?.text).not.toContain(encoded.slice(8, 24))
    }
    const clean = '{"a": 1, "b": "fine"}'
    expect(redactJson(clean, [secret])?.text).toBe(clean)
    expect(redactJson('not json', [secret])).toBeUndefined()
  })
})

describe('token back-off', () => {
  it('one failing token endpoint gets one try per back-off, however many requests come; jittered waits double up to a minute', async () => {
    const time = clock()
    let attempts = 0
    const failing = {
      async get(): Promise<string> {
        attempts++
        throw new TokenUnavailable('down')
      },
      refuse() {},
    }
    const source = withBackoff(failing, time.now, () => 1)
    const waits: number[] = []
    for (let round = 0; round < 8; round++) {
      await expect(source.get()).rejects.toThrow()
      let retryAfter = 0
      for (let i = 0; i < 100; i++) {
        const error = await source.get().catch((e: TokenUnavailable) => e)
        retryAfter = (error as TokenUnavailable).retryAfter ?? 0
      }
      waits.push(retryAfter)
      time.advance(retryAfter * 1000)
    }
    expect(attempts).toBe(8)
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60])
  })
})
