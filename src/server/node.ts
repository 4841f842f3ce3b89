// toNodeListener: runs a Web-standard handler on node:http or Express.
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * A `node:http` / Express listener for a handler with `fetch(request)`. The body is streamed (so
 * the handler's size cap holds); the URL keeps Express's mount path (`originalUrl`); a
 * `Response.error()` drops the connection, as a network failure.
 *
 * @example
 * ```ts
 * createServer(toNodeListener(createChatHandler(options))).listen(3000)
 * app.use('/api/chat', toNodeListener(handler)) // Express
 * ```
 */
export function toNodeListener(handler: { fetch(request: Request): Promise<Response> }) {
  return (incoming: IncomingMessage & { originalUrl?: string }, outgoing: ServerResponse) => {
    const headers = new Headers()
    for (const [name, value] of Object.entries(incoming.headers))
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
    const method = incoming.method ?? 'GET'
    const secure = (incoming.socket as { encrypted?: boolean }).encrypted === true
    const url = new URL(
      incoming.originalUrl ?? incoming.url ?? '/',
      `${secure ? 'https' : 'http'}://${incoming.headers.host ?? 'localhost'}`,
    )
    const hasBody = method !== 'GET' && method !== 'HEAD'
    // A stream over the request's own events (no node:stream import, so edge bundles of this entry work):
    // the handler reads only up to its size cap, then cancels, which drops the rest.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        incoming.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)))
        incoming.on('end', () => controller.close())
        incoming.on('error', (error) => controller.error(error))
      },
      cancel() {
        incoming.destroy()
      },
    })
    const request = new Request(url, {
      method,
      headers,
      ...(hasBody ? { body, duplex: 'half' } : {}),
    } as RequestInit)
    handler
      .fetch(request)
      .then(async (response) => {
        // Response.error(): a network failure, so the connection is dropped without an answer.
        if (response.type === 'error') return void outgoing.socket?.destroy()
        const out: Record<string, string | string[]> = {}
        response.headers.forEach((value, name) => {
          if (name !== 'set-cookie') out[name] = value
        })
        const cookies = response.headers.getSetCookie()
        if (cookies.length) out['set-cookie'] = cookies
        outgoing.writeHead(response.status, out)
        if (!response.body) return void outgoing.end()
        // Streamed as it comes (an event stream never ends by itself); a closed connection cancels it.
        const reader = response.body.getReader()
        outgoing.on('close', () => void reader.cancel().catch(() => {}))
        outgoing.flushHeaders()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          outgoing.write(value)
        }
        outgoing.end()
      })
      .catch(() => {
        if (!outgoing.headersSent) outgoing.writeHead(500).end()
        else outgoing.destroy()
      })
  }
}
