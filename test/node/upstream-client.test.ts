// The proxy's upstream client on Node (keep-alive node:http, no fetch) against real servers: what it reuses,
// what it refuses, what it repeats and what it never repeats; and toNodeListener's whole-answer write.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { toNodeListener } from '../../src/server/node'
import { knownText, textResponse } from '../../src/server/proxy/http'
import { createUpstream } from '../../src/server/proxy/upstream'
import type { TokenSource } from '../../src/server/tokens'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  while (closers.length) await closers.pop()?.()
})

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void

/** A loopback server; `sockets` counts the connections it accepted, `seen` the requests it read whole. */
async function server(handler: Handler) {
  const seen: { method: string; url: string; socket: number; body: string }[] = []
  let sockets = 0
  const ids = new WeakMap<Socket, number>()
  const http = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      seen.push({ method: request.method ?? '', url: request.url ?? '', socket: ids.get(request.socket) ?? 0, body })
      handler(request, response, body)
    })
  })
  http.on('connection', (socket: Socket) => ids.set(socket, ++sockets))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections()
        http.close(() => resolve())
      }),
  )
  const { port } = http.address() as AddressInfo
  return { baseURL: `http://127.0.0.1:${port}/api/`, seen, sockets: () => sockets }
}

const tokens: TokenSource = { get: async () => 'token-0123456789abcdef', refuse() {} }
const upstreamFor = (apiBaseURL: string, extra: Partial<Parameters<typeof createUpstream>[0]> = {}) =>
  createUpstream({ apiBaseURL, tokens, timeout: 5000, maxBytes: 1024, secrets: [], ...extra })
const ok = (data: unknown) => JSON.stringify({ data, errorCode: -1, errorText: null })

describe('the upstream client on Node', () => {
  it('keeps one connection alive for reads in a row, and sends the token, the JSON body and its length', async () => {
    const api = await server((_request, response, body) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(ok({ echo: body }))
    })
    const upstream = upstreamFor(api.baseURL)
    for (let index = 0; index < 5; index++) {
      const result = await upstream('GET', 'chat/conversations/1', '?includeMessages=false', undefined)
      expect(result.status).toBe(200)
      expect(result.json).toEqual({ data: { echo: '' }, errorCode: -1, errorText: null })
    }
    const written = await upstream('POST', 'chat/conversations', '', '{"title":"é"}')
    expect((written.json as { data: { echo: string } }).data.echo).toBe('{"title":"é"}')
    expect(api.sockets()).toBe(1)
    expect(api.seen.map((request) => request.url)).toContain('/api/chat/conversations/1?includeMessages=false')
  })

  it('refuses an answer over the cap, declared or streamed, and decodes a gzip answer', async () => {
    let mode: 'declared' | 'streamed' | 'gzip' | 'gzip-bomb' = 'declared'
    const api = await server((_request, response) => {
      if (mode === 'declared') {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1_000_000) })
        response.write('{"data":"')
        return // the rest never comes: the declared length alone is refused
      }
      if (mode === 'streamed') {
        response.writeHead(200, { 'content-type': 'application/json' }) // chunked, no length
        response.write(`{"data":"${'x'.repeat(900)}`)
        response.end(`${'x'.repeat(900)}","errorCode":-1}`) // valid JSON, past the cap
        return
      }
      const text = mode === 'gzip' ? ok('zipped') : ok('x'.repeat(100_000))
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      response.end(gzipSync(text))
    })
    const upstream = upstreamFor(api.baseURL)
    for (const each of ['declared', 'streamed'] as const) {
      mode = each
      const result = await upstream('GET', 'x', '', undefined)
      expect(result.response.status).toBe(502)
      expect(await result.response.text()).toMatch(/answered too much/)
    }
    mode = 'gzip'
    expect((await upstream('GET', 'x', '', undefined)).json).toEqual(JSON.parse(ok('zipped')))
    // Small on the wire, over the cap once inflated.
    mode = 'gzip-bomb'
    expect((await upstream('GET', 'x', '', undefined)).response.status).toBe(502)
  })

  it('says nothing was sent when no connection could be made, and gives up at the deadline', async () => {
    const closed = await server(() => {})
    const url = closed.baseURL
    await closers.pop()?.()
    const refused = await upstreamFor(url)('POST', 'chat/conversations', '', '{}')
    expect(refused.response.status).toBe(502)
    expect(refused.sent).toBe(false)

    const stalled = await server(() => {}) // never answers
    const started = Date.now()
    const late = await upstreamFor(stalled.baseURL, { timeout: 200 })('GET', 'x', '', undefined)
    expect(late.response.status).toBe(504)
    expect(late.sent).toBe(true)
    expect(Date.now() - started).toBeLessThan(4000)
  })

  it('sends a read again on a new connection when its kept-alive one was reset, and never a write', async () => {
    // The second request on any connection is dropped unanswered: what a server closing an idle connection does.
    const perSocket = new Map<Socket, number>()
    const api = await server((request, response) => {
      const count = (perSocket.get(request.socket) ?? 0) + 1
      perSocket.set(request.socket, count)
      if (count > 1) return void request.socket.destroy()
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(ok(null))
    })
    const upstream = upstreamFor(api.baseURL)
    expect((await upstream('GET', 'a', '', undefined)).status).toBe(200)
    const read = await upstream('GET', 'b', '', undefined)
    expect(read.status).toBe(200)
    expect(api.seen.filter((request) => request.url === '/api/b').map((request) => request.socket)).toEqual([1, 2])

    const write = await upstream('POST', 'c', '', '{}')
    expect(write.response.status).toBe(502)
    expect(write.sent).toBe(true)
    expect(api.seen.filter((request) => request.method === 'POST')).toHaveLength(1)
  })

  it('uses the fetch it is given instead', async () => {
    const api = await server((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(ok(1))
    })
    const called: string[] = []
    const upstream = upstreamFor(api.baseURL, {
      fetch: (input, init) => {
        called.push(String(input))
        return fetch(input, init)
      },
    })
    expect((await upstream('GET', 'x', '?a=1', undefined)).json).toEqual(JSON.parse(ok(1)))
    expect(called).toEqual([`${api.baseURL}x?a=1`])
  })
})

describe('toNodeListener and an answer known whole', () => {
  it('writes it in one piece with its length, and still streams any other body', async () => {
    const text = ok('é'.repeat(10))
    const app = createServer(
      toNodeListener({
        fetch: async (request) =>
          new URL(request.url).pathname === '/known'
            ? textResponse(text, { status: 200, headers: { 'content-type': 'application/json' } })
            : new Response(new Blob([text]).stream(), { headers: { 'content-type': 'application/json' } }),
      }),
    )
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
    closers.push(() => new Promise<void>((resolve) => app.close(() => resolve())))
    const { port } = app.address() as AddressInfo
    const get = (path: string) =>
      new Promise<{ headers: IncomingMessage['headers']; body: string }>((resolve, reject) => {
        httpRequest({ port, host: '127.0.0.1', path }, (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks).toString() }))
        })
          .on('error', reject)
          .end()
      })
    const known = await get('/known')
    expect(known.body).toBe(text)
    expect(known.headers['content-length']).toBe(String(Buffer.byteLength(text)))
    expect(known.headers['transfer-encoding']).toBeUndefined()
    const streamed = await get('/streamed')
    expect(streamed.body).toBe(text)
    expect(streamed.headers['transfer-encoding']).toBe('chunked')
  })

  it('knownText forgets an answer once its body was read', async () => {
    const response = textResponse('{"a":1}', { headers: {} })
    expect(knownText(response)).toBe('{"a":1}')
    await response.text()
    expect(knownText(response)).toBeUndefined()
  })
})
