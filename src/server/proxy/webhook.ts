// The webhook receiver: the verification handshake, and events turned into a few hints. No upstream call.
import { type EventBus, hintOf, parseWebhook, WebhookParseError } from '../events'
import { bodyRefusal, readBody, refusal, SAFE_HEADERS } from './http'

/** Conversations one webhook body may name; the rest of a larger (forged) body is ignored. */
export const HINTED_CONVERSATIONS_PER_BODY = 100

/** Compares two secrets in time that depends on their length only. */
export function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given)
  const b = new TextEncoder().encode(expected)
  let difference = a.length ^ b.length
  for (let index = 0; index < b.length; index++) difference |= (a[index] ?? 0) ^ (b[index] as number)
  return difference === 0 && b.length > 0
}

export interface WebhookOptions {
  verifyToken: string
  bus: EventBus
  bodyBytes: number
  timeoutMs: number
}

/** Answers the handshake GET and event POSTs. */
export function createWebhookReceiver(options: WebhookOptions) {
  return async function receive(request: Request, url: URL): Promise<Response> {
    if (request.method === 'GET') {
      const given = url.searchParams.get('verifyToken') ?? ''
      const challenge = url.searchParams.get('challenge')
      if (challenge === null || !sameSecret(given, options.verifyToken)) return refusal(403, 'Verification failed')
      return new Response(challenge, {
        headers: { ...SAFE_HEADERS, 'content-type': 'text/plain; charset=utf-8' },
      })
    }
    const read = await readBody(request, options.bodyBytes, options.timeoutMs)
    if ('failure' in read) return bodyRefusal(read.failure, options.bodyBytes)
    let events: ReturnType<typeof parseWebhook>
    try {
      events = parseWebhook(JSON.parse(read.text))
    } catch (error) {
      return refusal(
        400,
        error instanceof WebhookParseError ? `Not a webhook payload: ${error.message}` : 'The body is not valid JSON',
      )
    }
    // One hint per conversation and kind, whatever the body repeats: a stream only needs to know to refetch.
    const hints = new Map<string, NonNullable<ReturnType<typeof hintOf>>>()
    const conversations = new Set<number>()
    for (const event of events) {
      const hint = hintOf(event)
      if (!hint) continue
      if (!conversations.has(hint.conversationId) && conversations.size >= HINTED_CONVERSATIONS_PER_BODY) continue
      conversations.add(hint.conversationId)
      hints.set(`${hint.conversationId}:${hint.kind}`, hint)
    }
    for (const hint of hints.values()) await options.bus.publish(hint)
    return new Response(JSON.stringify({ received: events.length, hinted: hints.size }), { headers: SAFE_HEADERS })
  }
}
