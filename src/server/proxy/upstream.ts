// The Chat API behind the handler: a minted token, one repeat after a 401, a deadline, a size cap, JSON only.
import { type TokenSource, TokenUnavailable } from '../tokens'
import { joinBytes, refusal, SAFE_HEADERS } from './http'
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
  fetch: typeof globalThis.fetch
  timeout: number
  maxBytes: number
  /** Secrets that must never reach a browser, besides the access tokens in use. */
  secrets: readonly string[]
}

/** Reads at most `limit` bytes of an answer; `null` when it is longer. Aborts with the signal it was fetched with. */
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
  return new TextDecoder().decode(joinBytes(chunks, size))
}

/** Whether a fetch failure means the request never left (no connection was made). */
const neverSent = (error: unknown) => {
  const code = (error as { cause?: { code?: string } })?.cause?.code
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT'
}

/** Creates the function that calls the Chat API for the browser. It never throws. */
export function createUpstream(options: UpstreamOptions) {
  return async function upstream(
    method: string,
    path: string,
    search: string,
    body: string | undefined,
  ): Promise<UpstreamResult> {
    const url = `${options.apiBaseURL}${path}${search}`
    // One deadline for the whole exchange: token, request, the repeat after a 401, and the answer's body.
    const signal = AbortSignal.timeout(options.timeout)
    for (let attempt = 0; ; attempt++) {
      let token: string
      try {
        token = await options.tokens.get()
      } catch (error) {
        const retryAfter = error instanceof TokenUnavailable && error.retryAfter ? error.retryAfter : 5
        return {
          response: refusal(503, 'The chat service is not available right now', { 'retry-after': String(retryAfter) }),
          sent: false,
        }
      }
      let response: Response
      let text: string | null
      try {
        response = await options.fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body,
          redirect: 'manual',
          signal,
        })
        if (response.status === 401 && attempt === 0) {
          options.tokens.refuse(token)
          await response.body?.cancel().catch(() => {})
          continue
        }
        text = await readCapped(response, options.maxBytes)
      } catch (error) {
        if ((error as Error)?.name === 'TimeoutError' || signal.aborted)
          return { response: refusal(504, 'The chat service did not answer in time'), sent: true }
        return { response: refusal(502, 'The chat service could not be reached'), sent: !neverSent(error) }
      }
      // Our credentials refused twice, or a redirect: the visitor can do nothing about either.
      if (response.status === 401 || (response.status >= 300 && response.status < 400))
        return {
          response: refusal(502, 'The chat service is not available right now'),
          sent: true,
          status: response.status,
        }
      if (text === null)
        return { response: refusal(502, 'The chat service answered too much'), sent: true, status: response.status }
      const scrubbed = redactJson(text, [token, ...options.secrets])
      // Anything but JSON (an HTML error page, say) never reaches the browser from the app's own origin.
      if (scrubbed === undefined)
        return {
          response: refusal(502, `The chat service answered HTTP ${response.status} without JSON`),
          sent: true,
          status: response.status,
        }
      const headers: Record<string, string> = { ...SAFE_HEADERS }
      const retryAfter = response.headers.get('retry-after')
      if (retryAfter && /^\d{1,6}$/.test(retryAfter.trim())) headers['retry-after'] = retryAfter.trim()
      return {
        response: new Response(scrubbed.text, { status: response.status, headers }),
        sent: true,
        json: scrubbed.value,
        status: response.status,
      }
    }
  }
}

/** The function {@link createUpstream} makes. */
export type Upstream = ReturnType<typeof createUpstream>
