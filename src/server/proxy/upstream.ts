// The Chat API behind the handler: a minted token, one repeat after a 401, a deadline, a size cap, JSON only.
// Type-only node imports: on Node the modules come from nodeBuiltin() at run time, never from an import.
import type * as NodeHttp from 'node:http'
import type * as NodeZlib from 'node:zlib'
import { type TokenSource, TokenUnavailable } from '../tokens'
import { joinBytes, nodeBuiltin, refusal, SAFE_HEADERS, textResponse } from './http'
import { redactJson } from './redact'

/** What an upstream call gives back: the answer for the browser, and whether the request reached the Chat API. */
export interface UpstreamResult {
  response: Response
  /** `false` when nothing was sent (no token, no connection): a retry cannot store anything twice. */
  sent: boolean
  /** The envelope parsed, when the answer was JSON. */
  json?: unknown
  /** The Chat API's own HTTP status, when it answered. */
  status?: number
}

export interface UpstreamOptions {
  apiBaseURL: string
  tokens: TokenSource
  /**
   * The `fetch` to call the Chat API with. Without one: on Node, a keep-alive `node:http(s)` client
   * (a fraction of `fetch`'s CPU per request); elsewhere, the global `fetch`.
   */
  fetch?: typeof globalThis.fetch
  timeout: number
  maxBytes: number
  /** Secrets that must never reach a browser, besides the access tokens in use. */
  secrets: readonly string[]
}

/** The Chat API's answer, read: its status, its `Retry-After`, and its body (`null` when over the cap). */
interface Answer {
  status: number
  retryAfter: string | null
  text: string | null
}

/** Why an exchange failed: the deadline passed, nothing was sent (no connection), or anything else. */
class ExchangeFailure extends Error {
  constructor(readonly kind: 'timeout' | 'unsent' | 'failed') {
    super(kind)
  }
}

/** The deadline of one upstream call: the transport registers how to stop its exchange when it passes. */
interface Deadline {
  expired: boolean
  onExpire: (() => void) | undefined
}

/** One exchange with the Chat API; throws an {@link ExchangeFailure}. */
type Transport = (
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  limit: number,
  deadline: Deadline,
) => Promise<Answer>

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/** Connection failures that mean the request never left. */
const UNSENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])

/** Reads at most `limit` bytes of an answer; `null` when it is longer. */
async function readCapped(response: Response, limit: number): Promise<string | null> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {})
    return null
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      return null
    }
    chunks.push(value)
  }
  return decoder.decode(joinBytes(chunks, size))
}

/** Exchanges through a Web-standard `fetch` (redirects not followed). */
function fetchTransport(fetch: typeof globalThis.fetch): Transport {
  return async (url, method, headers, body, limit, deadline) => {
    const abort = new AbortController()
    deadline.onExpire = () => abort.abort()
    try {
      const response = await fetch(url, { method, headers, body, redirect: 'manual', signal: abort.signal })
      const text = await readCapped(response, limit)
      return { status: response.status, retryAfter: response.headers.get('retry-after'), text }
    } catch (error) {
      if (deadline.expired) throw new ExchangeFailure('timeout')
      const code = (error as { cause?: { code?: string } })?.cause?.code
      throw new ExchangeFailure(code && UNSENT.has(code) ? 'unsent' : 'failed')
    }
  }
}

/** Idle keep-alive connections are closed after this long, before a server's usual 5 s closes them under a request. */
const IDLE_SOCKET_MS = 4000

/**
 * Exchanges over `node:http(s)` with keep-alive agents; `undefined` when this is not Node. A read
 * whose reused connection was reset before any answer (the server closed it while idle) is sent
 * once more on a new one; a write is not, since it may have landed.
 */
function nodeTransport(): Transport | undefined {
  const http = nodeBuiltin<typeof NodeHttp>('node:http')
  const https = nodeBuiltin<typeof NodeHttp>('node:https')
  const zlib = nodeBuiltin<typeof NodeZlib>('node:zlib')
  if (!http?.request || !https?.request || !zlib) return undefined
  const options = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const }
  const clients = {
    'http:': { request: http.request, agent: new http.Agent(options) },
    'https:': { request: https.request, agent: new https.Agent(options) },
  }
  const decompress = (encoding: string | undefined, bytes: Uint8Array, limit: number): Uint8Array | null => {
    const inflate =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? zlib.gunzipSync
        : encoding === 'deflate'
          ? zlib.inflateSync
          : encoding === 'br'
            ? zlib.brotliDecompressSync
            : undefined
    if (!inflate) throw new ExchangeFailure('failed')
    try {
      return inflate(bytes, { maxOutputLength: limit + 1 })
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return null
      throw new ExchangeFailure('failed')
    }
  }
  const exchange = (
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: Uint8Array | undefined,
    limit: number,
    deadline: Deadline,
    retry: boolean,
  ) =>
    new Promise<Answer>((resolve, reject) => {
      const client = clients[url.protocol as keyof typeof clients]
      if (!client) return reject(new ExchangeFailure('unsent'))
      let answered = false
      let settled = false
      const settle = (answer: Answer | ExchangeFailure) => {
        if (settled) return
        settled = true
        deadline.onExpire = undefined
        if (answer instanceof ExchangeFailure) reject(answer)
        else resolve(answer)
      }
      const request = client.request(url, { method, headers, agent: client.agent })
      deadline.onExpire = () => {
        request.destroy()
        settle(new ExchangeFailure('timeout'))
      }
      request.on('error', (error: Error & { code?: string }) => {
        if (settled) return
        if (!answered && retry && request.reusedSocket && error.code === 'ECONNRESET' && method === 'GET') {
          settled = true
          deadline.onExpire = undefined
          exchange(url, method, headers, body, limit, deadline, false).then(resolve, reject)
          return
        }
        settle(new ExchangeFailure(error.code && UNSENT.has(error.code) ? 'unsent' : 'failed'))
      })
      request.on('response', (response) => {
        answered = true
        const status = response.statusCode ?? 0
        const retryAfter = (response.headers['retry-after'] as string | undefined) ?? null
        const declared = Number(response.headers['content-length'])
        const tooMuch = () => {
          request.destroy()
          settle({ status, retryAfter, text: null })
        }
        if (Number.isFinite(declared) && declared > limit) return tooMuch()
        const chunks: Uint8Array[] = []
        let size = 0
        response.on('data', (chunk: Uint8Array) => {
          size += chunk.byteLength
          if (size > limit) return tooMuch()
          chunks.push(chunk)
        })
        response.on('error', () => settle(new ExchangeFailure('failed')))
        response.on('aborted', () => settle(new ExchangeFailure('failed')))
        response.on('end', () => {
          if (settled) return
          try {
            let bytes: Uint8Array | null = joinBytes(chunks, size)
            const encoding = (response.headers['content-encoding'] as string | undefined)?.trim().toLowerCase()
            if (encoding && encoding !== 'identity') bytes = decompress(encoding, bytes, limit)
            settle({ status, retryAfter, text: bytes && decoder.decode(bytes) })
          } catch (error) {
            settle(error instanceof ExchangeFailure ? error : new ExchangeFailure('failed'))
          }
        })
      })
      request.end(body)
    })
  return (url, method, headers, body, limit, deadline) => {
    let target: URL
    try {
      target = new URL(url)
    } catch {
      return Promise.reject(new ExchangeFailure('unsent'))
    }
    const bytes = body === undefined ? undefined : encoder.encode(body)
    if (bytes) headers['content-length'] = String(bytes.byteLength)
    return exchange(target, method, headers, bytes, limit, deadline, true)
  }
}

/** Creates the function that calls the Chat API for the browser. It never throws. */
export function createUpstream(options: UpstreamOptions) {
  const transport: Transport =
    (options.fetch ? undefined : nodeTransport()) ??
    // Called unbound later: browsers and workers refuse a detached globalThis.fetch ("Illegal invocation").
    fetchTransport(options.fetch ?? ((input, init) => globalThis.fetch(input, init)))
  return async function upstream(
    method: string,
    path: string,
    search: string,
    body: string | undefined,
  ): Promise<UpstreamResult> {
    const url = `${options.apiBaseURL}${path}${search}`
    // One deadline for the whole exchange: token, request, the repeat after a 401, and the answer's body.
    const deadline: Deadline = { expired: false, onExpire: undefined }
    const timer = setTimeout(() => {
      deadline.expired = true
      deadline.onExpire?.()
    }, options.timeout)
    try {
      for (let attempt = 0; ; attempt++) {
        let token: string
        try {
          token = await options.tokens.get()
        } catch (error) {
          const retryAfter = error instanceof TokenUnavailable && error.retryAfter ? error.retryAfter : 5
          return {
            response: refusal(503, 'The chat service is not available right now', {
              'retry-after': String(retryAfter),
            }),
            sent: false,
          }
        }
        if (deadline.expired) return { response: refusal(504, 'The chat service did not answer in time'), sent: false }
        let answer: Answer
        try {
          const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' }
          if (body !== undefined) headers['content-type'] = 'application/json'
          answer = await transport(url, method, headers, body, options.maxBytes, deadline)
        } catch (error) {
          const kind = error instanceof ExchangeFailure ? error.kind : 'failed'
          if (kind === 'timeout' || deadline.expired)
            return { response: refusal(504, 'The chat service did not answer in time'), sent: true }
          return { response: refusal(502, 'The chat service could not be reached'), sent: kind !== 'unsent' }
        }
        const { status, text } = answer
        if (status === 401 && attempt === 0) {
          options.tokens.refuse(token)
          continue
        }
        // Our credentials refused twice, or a redirect: the visitor can do nothing about either.
        if (status === 401 || (status >= 300 && status < 400))
          return { response: refusal(502, 'The chat service is not available right now'), sent: true, status }
        if (text === null) return { response: refusal(502, 'The chat service answered too much'), sent: true, status }
        const scrubbed = redactJson(text, [token, ...options.secrets])
        // Anything but JSON (an HTML error page, say) never reaches the browser from the app's own origin.
        if (scrubbed === undefined)
          return {
            response: refusal(502, `The chat service answered HTTP ${status} without JSON`),
            sent: true,
            status,
          }
        const headers: Record<string, string> = { ...SAFE_HEADERS }
        const retryAfter = answer.retryAfter?.trim()
        if (retryAfter && /^\d{1,6}$/.test(retryAfter)) headers['retry-after'] = retryAfter
        return {
          response: textResponse(scrubbed.text, { status, headers }),
          sent: true,
          json: scrubbed.value,
          status,
        }
      }
    } finally {
      clearTimeout(timer)
    }
  }
}

/** The function {@link createUpstream} makes. */
export type Upstream = ReturnType<typeof createUpstream>
