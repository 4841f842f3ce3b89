// HTTP pieces every guard shares: refusals, bounded body reading, what "this site" is, who the client is.
import type { ChatRequestInfo, Config } from './options'
import { normalOrigin } from './options'

/** Headers on every answer: never cached, never sniffed into something else. */
export const SAFE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const

/** The text of each answer made by {@link textResponse}, so a host adapter can write it without reading the stream. */
const texts = new WeakMap<Response, string>()

/** A `Response` with a text body, remembered (see {@link knownText}). */
export function textResponse(text: string, init: { status?: number; headers: Record<string, string> }): Response {
  const response = new Response(text, init)
  texts.set(response, text)
  return response
}

/**
 * The body of an answer made by {@link textResponse}, while no one has read it; else `undefined`.
 * `toNodeListener` writes it whole from here: reading it back through its web stream would cost more
 * than all the rest of a proxied read.
 */
export function knownText(response: Response): string | undefined {
  return response.bodyUsed ? undefined : texts.get(response)
}

/** A JSON error in the Chat API's envelope, so the browser's client reports it like any other. */
export function refusal(status: number, message: string, headers: Record<string, string> = {}): Response {
  return textResponse(JSON.stringify({ data: null, errorCode: status, errorText: message }), {
    status,
    headers: { ...SAFE_HEADERS, ...headers },
  })
}

/** Why a body could not be read whole. */
export type BodyFailure = 'too-large' | 'timeout' | 'broken'

/**
 * Reads at most `limit` bytes of the body within `timeoutMs`; a declared length over the limit is
 * refused before a byte is read. Never throws.
 */
export async function readBody(
  request: Request,
  limit: number,
  timeoutMs: number,
): Promise<{ text: string } | { failure: BodyFailure }> {
  const declared = request.headers.get('content-length')
  if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > limit)) return { failure: 'too-large' }
  if (!request.body) return { text: '' }
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const stalled = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), stalled])
      if (next === 'timeout') {
        reader.cancel().catch(() => {})
        return { failure: 'timeout' }
      }
      if (next.done) break
      size += next.value.byteLength
      if (size > limit) {
        reader.cancel().catch(() => {})
        return { failure: 'too-large' }
      }
      chunks.push(next.value)
    }
  } catch {
    return { failure: 'broken' }
  } finally {
    clearTimeout(timer)
  }
  return { text: new TextDecoder().decode(joinBytes(chunks, size)) }
}

/** The chunks of a body read under a cap, as one array of `size` bytes. */
export function joinBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/** The answer to a body that could not be read. */
export function bodyRefusal(failure: BodyFailure, limit: number): Response {
  if (failure === 'too-large') return refusal(413, `The body is larger than ${limit} bytes`, { connection: 'close' })
  if (failure === 'timeout') return refusal(408, 'The body did not arrive in time', { connection: 'close' })
  return refusal(400, 'The body could not be read')
}

// host[:port]: a reg-name of letters, digits, '-' and '.', or a bracketed IPv6 literal; IPv4 is a reg-name here.
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::([0-9]{1,5}))?$/

/**
 * A `Host` value, lower-cased, when it is a well-formed host[:port] (port 1-65535) that the URL parser
 * also accepts (it still refuses some, such as 999.1.1.1 or a bad IPv6 literal); else `undefined`.
 */
export function wellFormedHost(value: string | null | undefined): string | undefined {
  const host = value?.trim()
  const match = host && host.length <= 255 ? HOST.exec(host) : null
  if (!host || !match) return undefined
  const port = match[1]
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined
  try {
    new URL(`http://${host}/`)
  } catch {
    return undefined
  }
  return host.toLowerCase()
}

/** The first value of a comma-separated header. */
const first = (value: string | null) => value?.split(',')[0]?.trim() || undefined

/**
 * The origins that count as this site for a request: the configured ones, else the origin of the
 * well-formed `Host` it came to (or, with `trustProxy`, the forwarded host and scheme).
 */
export function siteOrigins(config: Config, request: Request, url: URL): string[] {
  if (config.origins) return [...config.origins, ...config.allowedOrigins]
  const forwardedHost = config.trustProxy ? wellFormedHost(first(request.headers.get('x-forwarded-host'))) : undefined
  const host = forwardedHost ?? wellFormedHost(request.headers.get('host'))
  if (!host) return config.allowedOrigins
  const proto = config.trustProxy ? first(request.headers.get('x-forwarded-proto')) : undefined
  const scheme = proto === 'https' || proto === 'http' ? proto : url.protocol.replace(':', '')
  const own = normalOrigin(`${scheme}://${host}`)
  return own ? [own, ...config.allowedOrigins] : config.allowedOrigins
}

/**
 * `true` unless the browser says the request comes from another site. A request with no `Origin`
 * is not from a browser page (browsers send one on every write); `Origin: null` (sandboxed frames,
 * opaque redirects) and malformed origins are never this site, nor is `Sec-Fetch-Site: cross-site`.
 */
export function fromThisSite(config: Config, request: Request, url: URL): boolean {
  if (request.headers.get('sec-fetch-site') === 'cross-site') return false
  const origin = request.headers.get('origin')
  if (origin === null) return true
  // A browser sends scheme://host[:port] and nothing else; anything more is not an origin.
  const normal = /^https?:\/\/[^/?#@\s]+$/i.test(origin) ? normalOrigin(origin) : undefined
  return normal !== undefined && siteOrigins(config, request, url).includes(normal)
}

/**
 * The client's address: what the host passed (`toNodeListener`: the socket), else the app's
 * `clientAddress(request)`, else, with `trustProxy`, the last `X-Forwarded-For` entry (the one the
 * app's own proxy added; earlier ones are whatever the client claimed).
 */
export function clientAddressOf(
  config: Config,
  request: Request,
  info: ChatRequestInfo | undefined,
): string | undefined {
  if (config.trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')
    const last = forwarded?.split(',').pop()?.trim()
    if (last) return last
  }
  const given = info?.clientAddress ?? config.options.clientAddress?.(request)
  return typeof given === 'string' && given ? given : undefined
}

/** Whether the request reached us over plain http at a host that is not this machine. */
export function plainHttpElsewhere(request: Request, url: URL): boolean {
  if (url.protocol !== 'http:') return false
  const host = (wellFormedHost(request.headers.get('host')) ?? url.host).replace(/:\d+$/, '')
  return !/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(host) && !host.endsWith('.localhost')
}

/**
 * A Node built-in module, when this is Node itself (20.16+ has `process.getBuiltinModule`); `undefined`
 * on Web-standard hosts (edge runtimes, workers, browsers), on Bun and Deno, and on older Node. No
 * `import` names it, so bundles for those hosts never try to load it.
 */
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const host = globalThis as {
    process?: { versions?: { node?: string; bun?: string }; getBuiltinModule?: (id: string) => unknown }
    Deno?: unknown
  }
  const process = host.process
  if (!process?.versions?.node || process.versions.bun || host.Deno !== undefined) return undefined
  if (typeof process.getBuiltinModule !== 'function') return undefined
  try {
    return process.getBuiltinModule(id) as T | undefined
  } catch {
    return undefined
  }
}
