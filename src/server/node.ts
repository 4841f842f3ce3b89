// toNodeListener: runs a Web-standard handler on node:http or Express, whatever bytes arrive.
// Type-only node imports: edge bundles include this entry, so nothing here may load a node: module.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { knownText, wellFormedHost } from './proxy/http'

type NodeRequest = IncomingMessage & { originalUrl?: string }

/** The handler `toNodeListener` runs: `createChatHandler`'s result, or any `{ fetch }` of the same shape. */
type FetchHandler = { fetch(request: Request, info?: { clientAddress?: string }): Promise<Response> }

/** What a 405 answer advertises: the methods the chat proxy serves. */
const ALLOW = 'GET, POST, PATCH, PUT, DELETE'

// HEAD and OPTIONS also go to the handler (it may answer them); anything else is refused before `new Request`.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

const encoder = new TextEncoder()

/** The path and query of a request target, or `undefined` when it is neither origin-form nor a parsable absolute-form. */
function pathOf(target: string): string | undefined {
  // Printable ASCII only, and no fragment: anything else (spaces, controls, raw non-ASCII) is not a valid target.
  if (/[^!-~]|#/.test(target)) return undefined
  if (target.startsWith('/')) return target
  if (!/^https?:\/\//i.test(target)) return undefined
  try {
    const url = new URL(target)
    // Only the path and query: the Host header, never the target, names the authority.
    return `${url.pathname}${url.search}`
  } catch {
    return undefined
  }
}

/** The socket's peer address, with an IPv4-mapped IPv6 address given as plain IPv4. */
function clientAddressOf(incoming: NodeRequest): string | undefined {
  const address = incoming.socket?.remoteAddress
  return address?.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
}

/**
 * Whether the request body has not been received to its end, so the connection cannot carry another
 * request. One event-loop turn first: node parses the rest of a body already received only after the
 * handler's first microtasks.
 */
async function unfinished(incoming: NodeRequest): Promise<boolean> {
  if (incoming.complete) return false
  await new Promise<void>((resolve) => setImmediate(resolve))
  return !incoming.complete
}

/** Ends the connection once `outgoing` is flushed: the rest of an unread body is then never read. */
function closeAfterFinish(incoming: NodeRequest, outgoing: ServerResponse) {
  // The request's socket: node detaches the response's own before this 'finish' listener runs.
  const socket = incoming.socket
  outgoing.once('finish', () => socket?.destroy())
}

/** Answers with the Chat API's JSON error envelope; the connection is closed when the request body was left unread. */
async function refuse(
  incoming: NodeRequest,
  outgoing: ServerResponse,
  status: number,
  message: string,
  extra: Record<string, string> = {},
) {
  const body = encoder.encode(JSON.stringify({ data: null, errorCode: status, errorText: message }))
  const close = await unfinished(incoming)
  if (outgoing.headersSent || outgoing.destroyed) return
  outgoing.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-length': String(body.byteLength),
    ...(close ? { connection: 'close' } : {}),
    ...extra,
  })
  if (close) closeAfterFinish(incoming, outgoing)
  outgoing.end(body)
}

/** A 500 when nothing was written yet; otherwise the connection is dropped, so a cut answer never looks whole. */
async function fail(incoming: NodeRequest, outgoing: ServerResponse) {
  try {
    if (!outgoing.headersSent && !outgoing.destroyed) await refuse(incoming, outgoing, 500, 'Internal server error')
    else outgoing.destroy()
  } catch {
    try {
      outgoing.destroy()
    } catch {}
  }
}

/**
 * The request body as a pull-based stream: nothing is taken out of `incoming` until the handler
 * reads, one chunk per pull, so a body the handler refuses is never read beyond node's own buffer.
 */
function bodyOf(incoming: NodeRequest): ReadableStream<Uint8Array> {
  let ended = false
  let failure: unknown
  let wake: (() => void) | undefined
  const notify = () => {
    const resume = wake
    wake = undefined
    resume?.()
  }
  // A 'readable' listener keeps it paused for good (node's dump of an unread body included): only read() takes data.
  incoming.on('readable', notify)
  incoming.on('end', () => {
    ended = true
    notify()
  })
  incoming.on('error', (error) => {
    failure ??= error
    notify()
  })
  incoming.on('close', () => {
    if (!ended) failure ??= new Error('The request was aborted before its end')
    notify()
  })
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          if (failure !== undefined) return controller.error(failure)
          const chunk: Uint8Array | string | null = incoming.read()
          if (chunk !== null) {
            // A copy: node's buffers may share a pooled ArrayBuffer.
            return controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : new Uint8Array(chunk))
          }
          if (ended || incoming.readableEnded) return controller.close()
          await new Promise<void>((resolve) => {
            wake = resolve
          })
        }
      },
      cancel() {
        // Not destroyed: the handler's answer (a 413) must still go out; the connection closes after it.
        incoming.pause()
      },
    },
    // No read-ahead: a pull only when the handler reads.
    { highWaterMark: 0 },
  )
}

/** Resolves on 'drain' or 'close' of `outgoing`, whichever comes first. */
function drained(outgoing: ServerResponse) {
  return new Promise<void>((resolve) => {
    const done = () => {
      outgoing.off('drain', done)
      outgoing.off('close', done)
      resolve()
    }
    outgoing.on('drain', done)
    outgoing.on('close', done)
  })
}

async function serve(handler: FetchHandler, incoming: NodeRequest, outgoing: ServerResponse) {
  // A write after the client left must not become an unhandled 'error' event.
  outgoing.on('error', () => {})
  incoming.on('error', () => {})
  const method = incoming.method ?? ''
  // No body for GET/HEAD, nor for a declared empty one that is not chunked.
  const chunked = incoming.headers['transfer-encoding'] !== undefined
  const empty = !chunked && (incoming.headers['content-length'] ?? '0') === '0'
  // Made first, so even a refused request's body stays paused in node's buffer.
  const body = method !== 'GET' && method !== 'HEAD' && !empty ? bodyOf(incoming) : undefined
  if (!METHODS.has(method)) return refuse(incoming, outgoing, 405, 'Method not allowed', { allow: ALLOW })
  const path = pathOf(incoming.originalUrl ?? incoming.url ?? '')
  if (path === undefined) return refuse(incoming, outgoing, 400, 'Bad request target')
  // One Host, well-formed; none at all (HTTP/1.0) means localhost.
  const hosts = (incoming.rawHeaders ?? []).filter((name, index) => index % 2 === 0 && name.toLowerCase() === 'host')
  const host = incoming.headers.host ?? 'localhost'
  if (hosts.length > 1 || !wellFormedHost(host)) return refuse(incoming, outgoing, 400, 'Bad Host header')
  const secure = (incoming.socket as { encrypted?: boolean } | null)?.encrypted === true
  let url: URL
  try {
    // Concatenated, not resolved: a target like //evil.example/ stays a path on this host.
    url = new URL(`${secure ? 'https' : 'http'}://${host}${path}`)
  } catch {
    return refuse(incoming, outgoing, 400, 'Bad request target')
  }

  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue
    try {
      headers.set(name, Array.isArray(value) ? value.join(', ') : value)
    } catch {
      // A value Headers refuses (node's parser is more lenient) is left out rather than failing the request.
    }
  }
  // The client leaving aborts the request, so a handler can stop its work (an event stream, an upstream call).
  const abort = new AbortController()
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) abort.abort()
  })
  let request: Request
  try {
    request = new Request(url, {
      method,
      headers,
      signal: abort.signal,
      ...(body ? { body, duplex: 'half' } : {}),
    } as RequestInit)
  } catch {
    return refuse(incoming, outgoing, 400, 'Bad request')
  }

  const response = await handler.fetch(request, { clientAddress: clientAddressOf(incoming) })
  // Response.error(): a network failure, so the connection is dropped without an answer.
  if (response.type === 'error') return void outgoing.socket?.destroy()
  if (outgoing.destroyed) return void response.body?.cancel().catch(() => {})
  const out: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length) out['set-cookie'] = cookies
  const close = await unfinished(incoming)
  if (outgoing.destroyed) return void response.body?.cancel().catch(() => {})
  if (close) out.connection = 'close'
  const bodiless = method === 'HEAD' || response.status === 204 || response.status === 304
  // An answer known whole (the handler's own JSON) goes in one write, headers and body, with its length.
  const text = bodiless ? undefined : knownText(response)
  const whole = text === undefined ? undefined : encoder.encode(text)
  if (whole) out['content-length'] = String(whole.byteLength)
  outgoing.writeHead(response.status, out)
  if (close) closeAfterFinish(incoming, outgoing)
  if (whole) return void outgoing.end(whole)
  if (!response.body || bodiless) {
    response.body?.cancel().catch(() => {})
    return void outgoing.end()
  }
  // Streamed as it comes (an event stream never ends by itself); a closed connection cancels it.
  const reader = response.body.getReader()
  let gone = false
  outgoing.once('close', () => {
    gone = true
    reader.cancel().catch(() => {})
  })
  // An event stream's headers go at once (its first event may be long in coming); others go with the first chunk.
  if (/^text\/event-stream/i.test(response.headers.get('content-type') ?? '')) outgoing.flushHeaders()
  for (;;) {
    const { done, value } = await reader.read()
    if (done || gone) break
    // Backpressure: the next chunk is read only once the socket took this one.
    if (!outgoing.write(value)) await drained(outgoing)
    if (gone || outgoing.destroyed) return
  }
  if (!gone) outgoing.end()
}

/**
 * A `node:http` / Express listener for a handler with `fetch(request, info)`. It never throws:
 * methods outside GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS get a 405, a malformed request
 * target or `Host` a 400, a failed handler a 500, each in the Chat API's JSON envelope. The body is
 * pulled only as the handler reads it (a refused upload is not read; its connection is closed after
 * the answer), the answer is written as fast as the client takes it, the URL keeps Express's mount
 * path (`originalUrl`) and the `Host` header's authority, `info.clientAddress` is the socket's peer,
 * and a `Response.error()` drops the connection, as a network failure.
 *
 * @example
 * ```ts
 * createServer(toNodeListener(createChatHandler(options))).listen(3000)
 * app.use('/api/chat', toNodeListener(handler)) // Express
 * ```
 */
export function toNodeListener(handler: {
  fetch(request: Request, info?: { clientAddress?: string }): Promise<Response>
}): (incoming: IncomingMessage & { originalUrl?: string }, outgoing: ServerResponse) => void {
  return (incoming, outgoing) => {
    try {
      serve(handler, incoming, outgoing).catch(() => fail(incoming, outgoing))
    } catch {
      void fail(incoming, outgoing)
    }
  }
}
