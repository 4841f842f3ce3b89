// What the guards share about one request, and how they run: in order, the first answer wins.
import type { Endpoint } from '../../core/endpoints'
import type { UserValue } from '../../core/types'
import type { VisitorState } from '../cookie'
import type { StoredResponse } from '../stores'
import type { ChatRequestInfo } from './options'

/** Where a request goes, once routed. */
export type Route =
  /** A Chat API endpoint; `upstream` is its method and path upstream (the handler's `paths` applied). */
  | { kind: 'endpoint'; endpoint: Endpoint; id: number | undefined; upstream: { method: string; path: string } }
  /** A conversation's event stream. */
  | { kind: 'events'; id: number }
  /** The webhook receiver. */
  | { kind: 'webhook' }
  /** `DELETE {basePath}/visitor`: forget this browser's visitor. */
  | { kind: 'sign-out' }
  /** `GET {basePath}/visitor/conversations`: the visitor's conversations. */
  | { kind: 'history' }

/** One request as it goes through the guards; each fills in what it learns. */
export interface ProxyContext {
  request: Request
  info: ChatRequestInfo | undefined
  url: URL
  /** Upper-case. */
  method: string
  /** The path under the base path, without its leading slash. */
  path: string
  route?: Route
  /** The client's address, when known. */
  address?: string
  /** The verified cookie's state, or `null` when there is none (or it is not ours, or expired). */
  state?: VisitorState | null
  /** The signed-in user `resolveVisitor` gave, or `null` for an anonymous visitor. */
  identity?: UserValue | null
  /** A digest of `identity` (cookies and the conversation index are keyed by it); empty when anonymous. */
  identityDigest?: string
  /** The request body's text (writes only), once read. */
  bodyText?: string
  /** The request body parsed (writes only), once read. */
  body?: unknown
  /** The visitor this request acts as: the cookie's, or a new one (written to a cookie if the request creates something). */
  visitorState?: VisitorState
  /** The answer kept for this request's `Idempotency-Key`, to give again instead of calling upstream. */
  replayed?: StoredResponse
  /** The query string to send upstream (only the read's own parameters). */
  search?: string
  /** The body to send upstream, after the endpoint's visitor policy. */
  upstreamBody?: unknown
}

/** One step of the handler: an answer ends the request; `undefined` passes it on to the next step. */
export type Guard = (context: ProxyContext) => Response | undefined | Promise<Response | undefined>

/** Runs `guards` in order until one answers. */
export async function runGuards(guards: readonly Guard[], context: ProxyContext): Promise<Response | undefined> {
  for (const guard of guards) {
    const answer = await guard(context)
    if (answer) return answer
  }
  return undefined
}
