// toNodeListener under hostile HTTP: raw bytes on real node:http servers on 127.0.0.1, and the server stays up.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createChatHandler, toNodeListener } from 'socialboards-chat-react/server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { collect, exchange, open, parseResponse, type RawResponse, until } from './raw-http'

const KiB = 1024
const MiB = 1024 * KiB

// Anything that escapes the listener: none may, whatever arrives.
const escaped: unknown[] = []
const record = (error: unknown) => void escaped.push(error)
beforeAll(() => {
  process.on('uncaughtException', record)
  process.on('unhandledRejection', record)
})
afterAll(() => {
  process.off('uncaughtException', record)
  process.off('unhandledRejection', record)
})

// Nothing listens on port 9: no refusal tested here needs the Chat API.
const chat = createChatHandler({
  apiBaseURL: 'http://127.0.0.1:9/',
  accessToken: () => 'x',
  secret: 'x'.repeat(32),
  cookie: { secure: false },
})

type Fake = (request: Request, info?: { clientAddress?: string }) => Promise<Response> | Response

interface Running {
  port: number
  server: Server
  /** The server side of every connection, to read `bytesRead`. */
  sockets: Socket[]
  /** Every request the server parsed, to look at the `IncomingMessage` the adapter got. */
  requests: IncomingMessage[]
}

const running: Running[] = []

/**
 * Starts `toNodeListener` on 127.0.0.1: paths containing `/fake/` go to `fake`, the rest to the real
 * chat handler. With `mount`, the listener runs as Express mounts it (`url` less the mount path,
 * `originalUrl` the whole target); with `remoteAddress`, the socket reports that peer address.
 */
async function start(
  fake?: Fake,
  { mount, remoteAddress }: { mount?: string; remoteAddress?: string } = {},
): Promise<Running> {
  const listener = toNodeListener({
    fetch(request, info) {
      if (!fake || !new URL(request.url).pathname.includes('/fake/')) return chat.fetch(request, info)
      // A promise, as the contract says; a fake that throws still throws synchronously, on purpose.
      const answer = fake(request, info)
      return answer instanceof Response ? Promise.resolve(answer) : answer
    },
  })
  const requests: IncomingMessage[] = []
  const server = createServer((incoming: IncomingMessage & { originalUrl?: string }, outgoing) => {
    requests.push(incoming)
    // What a dual-stack listener reports for an IPv4 peer (the tests listen on 127.0.0.1 only).
    if (remoteAddress) Object.defineProperty(incoming.socket, 'remoteAddress', { value: remoteAddress })
    if (mount && incoming.url?.startsWith(`${mount}/`)) {
      incoming.originalUrl = incoming.url
      incoming.url = incoming.url.slice(mount.length)
    }
    listener(incoming, outgoing)
  })
  const sockets: Socket[] = []
  server.on('connection', (socket: Socket) => sockets.push(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const started = { port: (server.address() as AddressInfo).port, server, sockets, requests }
  running.push(started)
  return started
}

const NORMAL = 'GET /api/chat/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'

afterEach(async () => {
  try {
    // After every case, each server still answers a normal request on a fresh connection.
    for (const { port } of running) {
      const answer = await exchange(port, NORMAL)
      expect(answer.status, 'the server still answers GET /api/chat/nothing').toBe(404)
    }
    expect(escaped, 'no uncaughtException or unhandledRejection').toEqual([])
  } finally {
    // Cleared each time, so one escape fails its own case and not every later one.
    escaped.length = 0
    await Promise.all(
      running.splice(0).map(
        ({ server }) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections()
            server.close(() => resolve())
          }),
      ),
    )
  }
})

/** A request line and headers (Host: 127.0.0.1 unless `host` is given; null leaves it out), then `body`. */
const request = (line: string, { host = '127.0.0.1' as string | null, headers = [] as string[], body = '' } = {}) =>
  `${line}\r\n${host === null ? '' : `Host: ${host}\r\n`}${headers.map((header) => `${header}\r\n`).join('')}\r\n${body}`

/** Checks `answer` is the adapter's own error: the envelope, JSON and the no-store/nosniff headers. */
function expectRefusal(answer: RawResponse, status: number, errorText: string) {
  expect(answer.status).toBe(status)
  expect(JSON.parse(answer.body)).toEqual({ data: null, errorCode: status, errorText })
  expect(answer.headers['content-type']).toBe('application/json')
  expect(answer.headers['cache-control']).toBe('no-store')
  expect(answer.headers['x-content-type-options']).toBe('nosniff')
}

/** Node's parser refused it (400/414/431) or dropped the connection; never a 5xx, never a crash. */
function expectParserRefusal(answer: RawResponse) {
  if (answer.status === undefined) expect(answer.closedByServer).toBe(true)
  else expect([400, 414, 431]).toContain(answer.status)
}

/** Echoes the URL the handler saw. */
const echoURL: Fake = (request) => new Response(request.url)

/** Writes `chunk` while the kernel takes it (up to `max` bytes); returns how many bytes were written. */
function pump(socket: Socket, chunk: Buffer, max: number) {
  let sent = 0
  while (sent < max && !socket.destroyed) {
    sent += chunk.length
    if (!socket.write(chunk)) break
  }
  return sent
}

describe('methods', () => {
  it('answers TRACE with a 405, the Allow header and the JSON envelope', async () => {
    const { port } = await start()
    const answer = await exchange(port, request('TRACE /api/chat/chat/conversations HTTP/1.1'))
    expectRefusal(answer, 405, 'Method not allowed')
    expect(answer.headers.allow).toBe('GET, POST, PATCH, PUT, DELETE')
  })

  it.each(['PROPFIND', 'M-SEARCH', 'QUERY', 'LINK'])(
    'answers %s, a method it does not serve, with a 405',
    async (method) => {
      const { port } = await start()
      const answer = await exchange(port, request(`${method} /api/chat/nothing HTTP/1.1`))
      expectRefusal(answer, 405, 'Method not allowed')
      expect(answer.headers.allow).toBe('GET, POST, PATCH, PUT, DELETE')
    },
  )

  it.each([
    ['TRACK', 'TRACK / HTTP/1.1'],
    ['CONNECT', 'CONNECT 127.0.0.1:443 HTTP/1.1'],
    ['a lowercase method', 'get /api/chat/nothing HTTP/1.1'],
    ['a 200-character method', `${'A'.repeat(200)} / HTTP/1.1`],
  ])('stays up after %s', async (_, line) => {
    const { port } = await start()
    expectParserRefusal(await exchange(port, request(line)))
  })
})

describe('request targets', () => {
  it.each([
    ['an absolute-form target with an unparsable host', 'GET http://[bad/ HTTP/1.1'],
    ['an absolute-form target with a bad port', 'GET http://example.com:99999/api/chat/nothing HTTP/1.1'],
    ['the asterisk form', 'GET * HTTP/1.1'],
    ['the asterisk form on OPTIONS', 'OPTIONS * HTTP/1.1'],
    ['a fragment', 'GET /api/chat/nothing#x HTTP/1.1'],
    ['a raw non-ASCII byte', 'GET /api/chat/\u00ff HTTP/1.1'],
  ])('answers %s with a 400', async (_, line) => {
    const { port } = await start()
    const answer = await exchange(port, request(line))
    // A few are refused by node's own parser first; the rest by the adapter, in the envelope.
    if (answer.headers['content-type'] === 'application/json') expectRefusal(answer, 400, 'Bad request target')
    else expectParserRefusal(answer)
  })

  it('takes only the path and query of an absolute-form target; the Host header names the authority', async () => {
    const { port } = await start(echoURL)
    const answer = await exchange(
      port,
      request('GET http://evil.example/fake/echo?a=1 HTTP/1.1', { host: 'site.example' }),
    )
    expect(answer.status).toBe(200)
    expect(answer.body).toBe('http://site.example/fake/echo?a=1')
  })

  it('keeps a target starting with // a path on the Host', async () => {
    const { port } = await start(echoURL)
    const answer = await exchange(port, request('GET //evil.example/fake/echo HTTP/1.1', { host: 'site.example' }))
    expect(answer.status).toBe(200)
    expect(new URL(answer.body).host).toBe('site.example')
    expect(new URL(answer.body).pathname).toBe('//evil.example/fake/echo')
  })

  it('passes percent garbage through to the handler as it came', async () => {
    const { port } = await start()
    const answer = await exchange(port, request('GET /api/chat/%zz%%%00%ff%c0%af HTTP/1.1'))
    expect(answer.status).toBe(404)
  })

  it.each([
    ['a NUL byte', 'GET /api/chat/\u0000 HTTP/1.1'],
    ['a 16 KB target', `GET /${'a'.repeat(16 * KiB)} HTTP/1.1`],
    ['a target that is not a path', 'GET api/chat/nothing HTTP/1.1'],
  ])('stays up after %s', async (_, line) => {
    const { port } = await start()
    const answer = await exchange(port, request(line))
    if (answer.headers['content-type'] === 'application/json') expectRefusal(answer, 400, 'Bad request target')
    else expectParserRefusal(answer)
  })

  it("builds the URL from Express's originalUrl, mount path kept", async () => {
    const { port } = await start(echoURL, { mount: '/mounted' })
    const answer = await exchange(port, request('GET /mounted/fake/echo?b=2 HTTP/1.1'))
    expect(answer.body).toBe('http://127.0.0.1/mounted/fake/echo?b=2')
  })
})

describe('the Host header', () => {
  it.each([
    'a b',
    'exa mple:99999',
    '@@@',
    '',
    'example.com:0',
    'example.com:65536',
    'example.com:',
    'example.com:8o',
    'example.com:80:80',
    'user@example.com',
    '[::1',
    '[nothex]',
    '999.1.1.1',
    'a..b',
    'ex\u00e4mple.com',
    'example.com/path',
    'x'.repeat(300),
  ])('answers Host %j with a 400', async (host) => {
    const { port } = await start()
    const answer = await exchange(port, request('GET /api/chat/nothing HTTP/1.1', { host }))
    expectRefusal(answer, 400, 'Bad Host header')
  })

  it.each([
    ['example.com:8080', 'http://example.com:8080/fake/echo'],
    ['[::1]:3000', 'http://[::1]:3000/fake/echo'],
    ['10.0.0.1', 'http://10.0.0.1/fake/echo'],
    ['Sub-Domain.Example.', 'http://sub-domain.example./fake/echo'],
  ])('takes Host %j', async (host, url) => {
    const { port } = await start(echoURL)
    const answer = await exchange(port, request('GET /fake/echo HTTP/1.1', { host }))
    expect(answer.body).toBe(url)
  })

  it('answers two Host headers with a 400', async () => {
    const { port } = await start()
    const answer = await exchange(port, request('GET /api/chat/nothing HTTP/1.1', { headers: ['Host: evil.example'] }))
    expectRefusal(answer, 400, 'Bad Host header')
  })

  it('takes localhost for an HTTP/1.0 request without Host', async () => {
    const { port } = await start(echoURL)
    const answer = await exchange(port, request('GET /fake/echo HTTP/1.0', { host: null }))
    expect(answer.body).toBe('http://localhost/fake/echo')
  })
})

describe('framing', () => {
  it('stays up after a header line without a colon', async () => {
    const { port } = await start()
    expectParserRefusal(await exchange(port, request('GET /api/chat/nothing HTTP/1.1', { headers: ['no colon'] })))
  })

  it('stays up after Content-Length and Transfer-Encoding together', async () => {
    const { port } = await start()
    const answer = await exchange(
      port,
      request('POST /api/chat/chat/conversations HTTP/1.1', {
        headers: ['Content-Length: 5', 'Transfer-Encoding: chunked'],
        body: '0\r\n\r\n',
      }),
    )
    expectParserRefusal(answer)
  })

  it('fails the body stream on invalid chunked framing, and stays up', async () => {
    let failure: unknown
    const { port } = await start(async (request) => {
      try {
        await request.text()
      } catch (error) {
        failure = error
      }
      return new Response('read')
    })
    const answer = await exchange(
      port,
      request('POST /fake/read HTTP/1.1', { headers: ['Transfer-Encoding: chunked'], body: '5\r\nhello\r\nzz\r\n' }),
    )
    expectParserRefusal(answer)
    await until(() => failure !== undefined, { message: 'the handler to see its body fail' })
  })

  it('keeps serving while a body stalls halfway', async () => {
    const { port } = await start()
    const stalled = await open(port)
    const seen = collect(stalled)
    stalled.write(
      request('POST /api/chat/chat/conversations HTTP/1.1', {
        headers: ['Content-Type: application/json', 'Content-Length: 100'],
        body: '{"author":{"name":"half',
      }),
    )
    expect((await exchange(port, NORMAL)).status).toBe(404)
    expect(seen.state.closed).toBe(false)
    stalled.destroy()
  })

  it('fails the body stream when the client disconnects mid-body', async () => {
    let failure: unknown
    let reading = false
    const { port } = await start(async (request) => {
      reading = true
      try {
        await request.arrayBuffer()
      } catch (error) {
        failure = error
      }
      return new Response('never sent')
    })
    const client = await open(port)
    collect(client)
    client.write(request('POST /fake/read HTTP/1.1', { headers: ['Content-Length: 1000'], body: 'x'.repeat(400) }))
    await until(() => reading, { message: 'the handler to start reading' })
    client.destroy()
    await until(() => failure !== undefined, { message: 'the handler to see its body fail' })
  })

  it('survives 50 parallel garbage connections', async () => {
    const { port } = await start()
    // A fixed pseudo-random sequence, so a failure replays.
    let seed = 7
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const garbage = [
      request('TRACE / HTTP/1.1'),
      request('GET http://[::1/ HTTP/1.1'),
      request('GET * HTTP/1.1'),
      request('GET /api/chat/nothing HTTP/1.1', { host: '@@@' }),
      request('POST /api/chat/chat/conversations HTTP/1.1', { headers: ['Transfer-Encoding: chunked'], body: 'q\r\n' }),
      'GET / HTTP/9.9\r\n\r\n',
      '\r\n\r\n\r\n',
      'GET /api/chat/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n \r\n\r\n',
    ]
    const inputs = Array.from({ length: 50 }, (_, index) => {
      if (index < garbage.length) return Buffer.from(garbage[index] as string, 'latin1')
      const bytes = Buffer.alloc(64 + Math.floor(random() * 512))
      for (let at = 0; at < bytes.length; at++) bytes[at] = Math.floor(random() * 256)
      // Half start like a request, so the parser gets past the request line before the garbage.
      return index % 2 ? Buffer.concat([Buffer.from('GET /api/chat/x HTTP/1.1\r\n'), bytes]) : bytes
    })
    // Each client half-closes after its bytes: a truncated request is then refused, not waited on.
    const answers = await Promise.all(inputs.map((bytes) => exchange(port, bytes, { end: true })))
    for (const answer of answers) {
      if (answer.status !== undefined) expect(answer.status).toBeLessThan(500)
    }
  })
})

describe('the adapter', () => {
  it('passes the client address', async () => {
    let seen: { clientAddress?: string } | undefined
    const { port } = await start((_, info) => {
      seen = info
      return new Response('ok')
    })
    expect((await exchange(port, request('GET /fake/address HTTP/1.1'))).status).toBe(200)
    expect(seen).toEqual({ clientAddress: '127.0.0.1' })
  })

  it('gives an IPv4-mapped IPv6 peer as plain IPv4', async () => {
    let seen: { clientAddress?: string } | undefined
    const { port } = await start(
      (_, info) => {
        seen = info
        return new Response('ok')
      },
      { remoteAddress: '::ffff:127.0.0.1' },
    )
    await exchange(port, request('GET /fake/address HTTP/1.1'))
    expect(seen).toEqual({ clientAddress: '127.0.0.1' })
  })

  it('refuses a TRACE with a large body without reading it, then closes', async () => {
    const { port, sockets } = await start()
    const client = await open(port)
    const seen = collect(client)
    client.write(request('TRACE /api/chat/nothing HTTP/1.1', { headers: ['Content-Length: 1073741824'] }))
    const sent = pump(client, Buffer.alloc(64 * KiB, 0x61), 4 * MiB)
    await until(() => seen.state.closed, { message: 'the server to answer and close' })
    const answer = parseResponse(seen.raw())
    expect(answer.status).toBe(405)
    expect(answer.headers.connection).toBe('close')
    expect(sockets[0]?.bytesRead).toBeLessThan(Math.min(MiB, sent / 2))
  })

  it('does not read an upload the handler refuses, and still delivers the refusal', async () => {
    let release = () => {}
    const pushed = new Promise<void>((resolve) => {
      release = resolve
    })
    const { port, sockets, requests } = await start(async () => {
      await pushed
      return new Response('{"data":null,"errorCode":413,"errorText":"Too large"}', { status: 413 })
    })
    const client = await open(port)
    const seen = collect(client)
    client.write(request('POST /fake/upload HTTP/1.1', { headers: ['Content-Length: 1073741824'] }))
    const sent = pump(client, Buffer.alloc(64 * KiB, 0x61), 8 * MiB)
    release()
    await until(() => seen.state.closed, { message: 'the server to answer and close' })
    const answer = parseResponse(seen.raw())
    expect(answer.status).toBe(413)
    expect(answer.headers.connection).toBe('close')
    expect(seen.state.closedByServer).toBe(true)
    const read = sockets[0]?.bytesRead ?? Number.POSITIVE_INFINITY
    expect(sent).toBeGreaterThan(MiB)
    expect(read).toBeLessThan(Math.min(MiB, sent / 4))
    expect(requests[0]?.readableFlowing).not.toBe(true)
  })

  it('answers a 1 GB upload to the chat handler without reading it, then closes', async () => {
    const { port, sockets } = await start()
    const client = await open(port)
    const seen = collect(client)
    client.write(
      request('POST /api/chat/chat/conversations HTTP/1.1', {
        headers: ['Content-Type: application/json', 'Content-Length: 1073741824'],
        body: `{"author":{"name":"${'a'.repeat(4 * KiB)}`,
      }),
    )
    const sent = pump(client, Buffer.alloc(64 * KiB, 0x61), 4 * MiB)
    await until(() => seen.state.closed, { message: 'the server to answer and close' })
    // Refused before any upstream call: too large (413), or not allowed at all (403).
    expect(seen.raw().toString('latin1')).toMatch(/^HTTP\/1\.1 (413|403) /)
    expect(seen.state.closedByServer).toBe(true)
    expect(sockets[0]?.bytesRead).toBeLessThan(Math.min(MiB, sent / 2))
  })

  it('delivers a 413 after the handler read part of a chunked upload and cancelled it', async () => {
    const { port, sockets } = await start(async (request) => {
      const reader = (request.body as ReadableStream<Uint8Array>).getReader()
      let size = 0
      while (size <= 100 * KiB) {
        const { done, value } = await reader.read()
        if (done) break
        size += value.byteLength
      }
      await reader.cancel()
      return new Response('too large', { status: 413 })
    })
    const client = await open(port)
    const seen = collect(client)
    client.write(request('POST /fake/upload HTTP/1.1', { headers: ['Transfer-Encoding: chunked'] }))
    const chunk = Buffer.concat([Buffer.from('4000\r\n'), Buffer.alloc(16 * KiB, 0x62), Buffer.from('\r\n')])
    const sent = pump(client, chunk, 8 * MiB)
    await until(() => seen.state.closed, { message: 'the server to answer and close' })
    const answer = parseResponse(seen.raw())
    expect(answer.status).toBe(413)
    expect(answer.body).toBe('too large')
    expect(sockets[0]?.bytesRead).toBeLessThan(Math.min(MiB, sent / 2))
  })

  it('hands a whole body to a handler that reads it, and keeps the connection', async () => {
    const { port } = await start(async (request) => {
      const bytes = new Uint8Array(await request.arrayBuffer())
      return new Response(`${bytes.length}:${bytes.reduce((sum, byte) => (sum + byte) % 65521, 0)}`)
    })
    const body = Buffer.alloc(200 * KiB)
    for (let at = 0; at < body.length; at++) body[at] = at % 251
    const expected = `${body.length}:${body.reduce((sum, byte) => (sum + byte) % 65521, 0)}`
    const client = await open(port)
    const seen = collect(client)
    for (let round = 1; round <= 2; round++) {
      seen.state.chunks.length = 0
      client.write(request('POST /fake/sum HTTP/1.1', { headers: [`Content-Length: ${body.length}`] }))
      client.write(body)
      await until(() => parseResponse(seen.raw()).complete, { message: `the answer to upload ${round}` })
      const answer = parseResponse(seen.raw())
      expect(answer.body).toBe(expected)
      expect(answer.headers.connection).not.toBe('close')
    }
    expect(seen.state.closed).toBe(false)
    client.destroy()
  })

  it('passes no body for an empty POST', async () => {
    let body: unknown = 'unset'
    const { port } = await start((request) => {
      body = request.body
      return new Response('ok')
    })
    await exchange(port, request('POST /fake/empty HTTP/1.1', { headers: ['Content-Length: 0'] }))
    expect(body).toBeNull()
  })

  it('stops pulling a response stream while the client reads nothing', async () => {
    let pulled = 0
    let cancelled = false
    const { port } = await start(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            async pull(controller) {
              // A yield, so an adapter that ignored backpressure could not starve the event loop.
              await new Promise<void>((resolve) => setImmediate(resolve))
              // A hard stop far above the bound, so a broken adapter fails the assertion instead of exhausting memory.
              if (pulled >= 64 * MiB) return
              pulled += 64 * KiB
              controller.enqueue(new Uint8Array(64 * KiB))
            },
            cancel() {
              cancelled = true
            },
          }),
        ),
    )
    const client = await open(port)
    client.pause()
    const seen = collect(client)
    client.write(request('GET /fake/stream HTTP/1.1'))
    let last = -1
    let steady = 0
    await until(
      () => {
        steady = pulled === last ? steady + 1 : 0
        last = pulled
        return pulled > 0 && steady >= 300
      },
      { timeoutMs: 5000, message: 'the source to stop being pulled' },
    )
    expect(pulled).toBeLessThan(16 * MiB)
    expect(seen.state.chunks).toEqual([])
    // It was backpressure, not a stall: reading again makes the source pulled again.
    const stopped = pulled
    client.resume()
    await until(() => pulled > stopped + MiB, { message: 'the source to be pulled again once the client reads' })
    client.destroy()
    await until(() => cancelled, { message: 'the response stream to be cancelled when the client left' })
  })

  it('writes only the head for HEAD, and cancels the body', async () => {
    let cancelled = false
    const { port } = await start(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('body'))
            },
            cancel() {
              cancelled = true
            },
          }),
          { headers: { 'content-type': 'text/plain' } },
        ),
    )
    const client = await open(port)
    const seen = collect(client)
    client.write(request('HEAD /fake/head HTTP/1.1', { headers: ['Connection: close'] }))
    await until(() => seen.state.closed, { message: 'the server to close after the HEAD answer' })
    const text = seen.raw().toString('latin1')
    expect(text).toMatch(/^HTTP\/1\.1 200 /)
    expect(text.endsWith('\r\n\r\n')).toBe(true)
    await until(() => cancelled, { message: 'the HEAD body to be cancelled' })
  })

  it('drops the connection for Response.error()', async () => {
    const { port } = await start(() => Response.error())
    const answer = await exchange(port, request('GET /fake/error HTTP/1.1'))
    expect(answer.text).toBe('')
    expect(answer.closedByServer).toBe(true)
  })

  it.each([
    ['rejects', () => Promise.reject(new Error('secret-detail'))],
    [
      'throws synchronously',
      () => {
        throw new Error('secret-detail')
      },
    ],
  ] as const)('answers a 500 envelope when the handler %s, without its message', async (_, fake) => {
    const { port } = await start(fake)
    const answer = await exchange(port, request('GET /fake/fail HTTP/1.1'))
    expectRefusal(answer, 500, 'Internal server error')
    expect(answer.text).not.toContain('secret')
  })

  it('drops the connection when the response stream fails midway, so the cut answer never looks whole', async () => {
    const { port } = await start(
      () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              controller.enqueue(new TextEncoder().encode('partial'))
              controller.error(new Error('broken'))
            },
          }),
        ),
    )
    const client = await open(port)
    const seen = collect(client)
    client.write(request('GET /fake/broken HTTP/1.1'))
    await until(() => seen.state.closed, { message: 'the server to drop the connection' })
    expect(seen.state.closedByServer).toBe(true)
    expect(parseResponse(seen.raw()).complete).toBe(false)
  })

  it("aborts the request's signal and cancels the response when the client leaves", async () => {
    let aborted = false
    let cancelled = false
    const { port } = await start((request) => {
      request.signal.addEventListener('abort', () => {
        aborted = true
      })
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(': open\n\n'))
          },
          cancel() {
            cancelled = true
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      )
    })
    const client = await open(port)
    const seen = collect(client)
    client.write(request('GET /fake/events HTTP/1.1'))
    await until(() => seen.raw().includes(': open'), { message: 'the first event' })
    client.destroy()
    await until(() => aborted && cancelled, { message: 'the abort and the cancel' })
  })
})
