// The stateful mock Chat API on a real HTTP server (node:http), for end-to-end tests and local demos.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { toNodeListener } from '../server/node'
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
  // The mock matches on the path only; toNodeListener builds the request's URL from its Host.
  const server = createServer(
    toNodeListener({
      fetch: (request) =>
        new URL(request.url).pathname.startsWith(path)
          ? api.handle(request)
          : Promise.resolve(new Response('Not Found', { status: 404 })),
    }),
  )
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
