// The stateful mock Chat API on a real HTTP server (node:http), for end-to-end tests and local demos.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createMockChatApi, type MockChatApi, type MockChatApiOptions } from './index'

/** Options of {@link createMockChatServer}. */
export interface MockChatServerOptions extends Omit<MockChatApiOptions, 'baseURL'> {
  /** Port to listen on; `0` (the default) picks a free one. */
  port?: number
  /** Address to listen on. Default `127.0.0.1`: nothing outside this machine reaches it. */
  host?: string
  /** Path the API is served under. Default `/api/`. */
  basePath?: string
  /**
   * Milliseconds between runs of the scripted agent's due events, so replies happen (and
   * `onEvent` tells of them) without a read. Default: only when read, like the msw mock.
   */
  tickMs?: number
}

/** A mock Chat API listening on a real port. */
export interface MockChatServer {
  /** The mock itself: faults, the conversations it holds, the requests that reached it. */
  readonly api: MockChatApi
  /** What a client's `baseURL` should be, e.g. `http://127.0.0.1:41234/api/`. */
  readonly baseURL: string
  readonly server: Server
  /** Stops listening and drops open connections. */
  close(): Promise<void>
}

/** Reads a Node request into a Web `Request`. */
async function toRequest(incoming: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = []
  for await (const chunk of incoming) chunks.push(chunk as Buffer)
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming.headers))
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
  const method = incoming.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' || !chunks.length ? undefined : Buffer.concat(chunks)
  return new Request(new URL(incoming.url ?? '/', origin), { method, headers, body })
}

/** Writes a Web `Response` to a Node response; an error response drops the connection, as a network failure. */
async function send(response: Response, outgoing: ServerResponse) {
  if (response.type === 'error') {
    outgoing.socket?.destroy()
    return
  }
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  outgoing.writeHead(response.status, response.statusText, headers)
  outgoing.end(Buffer.from(await response.arrayBuffer()))
}

/**
 * Serves the stateful mock (every endpoint, the reference's rules, faults, the scripted agent) on a
 * real HTTP server, so tests and demos go through real sockets instead of an intercepted `fetch`.
 *
 * @example
 * ```ts
 * const mock = await createMockChatServer()
 * const client = createChatClient({ baseURL: mock.baseURL, accessToken: MOCK_ACCESS_TOKEN })
 * await client.createConversation({ author: { email: 'ada@example.com' } })
 * await mock.close()
 * ```
 */
export async function createMockChatServer(options: MockChatServerOptions = {}): Promise<MockChatServer> {
  const { port = 0, host = '127.0.0.1', basePath = '/api/', tickMs, ...mockOptions } = options
  const path = `/${basePath.replace(/^\/+|\/+$/g, '')}/`.replace('//', '/')
  const api = createMockChatApi({ ...mockOptions, baseURL: `http://mock.invalid${path}` })
  const server = createServer((incoming, outgoing) => {
    toRequest(incoming, 'http://mock.invalid')
      .then((request) =>
        new URL(request.url).pathname.startsWith(path)
          ? api.handle(request)
          : new Response('Not Found', { status: 404 }),
      )
      .then((response) => send(response, outgoing))
      .catch(() => {
        if (!outgoing.headersSent) outgoing.writeHead(500).end()
        else outgoing.destroy()
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  // Reading every conversation applies the scripted events that are due.
  const ticker = tickMs ? setInterval(() => api.conversations(), tickMs) : undefined
  ticker?.unref()
  server.once('close', () => clearInterval(ticker))
  const address = server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    api,
    baseURL: `http://${shownHost}:${address.port}${path}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
