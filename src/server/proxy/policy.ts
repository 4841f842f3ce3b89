// What a visitor may send to each endpoint: one entry per endpoint, checked against the endpoint list at compile time.
import type { ENDPOINTS } from '../../core/endpoint-list'
import type { UserValue } from '../../core/types'
import { isObject, parseIsoTime } from '../../core/validate'
import type { Upstream } from './upstream'

/** What a policy sees: the browser's body, the author the handler forces, and the conversation. */
export interface PolicyInput {
  body: unknown
  /** The visitor as author: the signed-in user, or the anonymous visitor of the cookie. */
  visitor: UserValue
  /** The conversation id in the path, if any. */
  id: number | undefined
  /** The server's clock, epoch ms. */
  now: number
  messagesPerRequest: number
  /** Reads the Chat API (for rules that depend on a conversation's state). */
  upstream: Upstream
}

/** The body to send upstream, or why the request is refused (status, message). */
export type PolicyVerdict = { body: unknown } | { refused: [number, string] }

/** A visitor's rule for one endpoint; `'refused'` for endpoints no visitor may call. */
export type VisitorPolicy = 'refused' | ((input: PolicyInput) => PolicyVerdict | Promise<PolicyVerdict>)

/** How far a visitor's `creationTime` may be from the server's clock. */
export const CREATION_TIME_SKEW_MS = 2 * 60_000

const notAnObject: PolicyVerdict = { refused: [400, 'The body must be a JSON object'] }
/** Reads: nothing to send. */
const read: VisitorPolicy = () => ({ body: undefined })

/** The endpoint names, from the one list of endpoints. */
export type EndpointName = (typeof ENDPOINTS)[number]['name']

/**
 * Every endpoint's visitor rule. What a rule does not copy is dropped: a visitor's body never
 * reaches the Chat API as sent.
 */
export const VISITOR_POLICY = {
  createConversation: ({ body, visitor }) => {
    if (!isObject(body)) return notAnObject
    const { title, url, sentiment, categoryId, fields, isBotEnabled } = body
    return { body: { author: visitor, title, url, sentiment, categoryId, fields, isBotEnabled } }
  },
  addMessages: ({ body, visitor, now, messagesPerRequest }) => {
    if (!Array.isArray(body)) return { refused: [400, 'The body must be a JSON array of messages'] }
    // A bounded count keeps the forced author from making a small request many times larger upstream.
    if (body.length > messagesPerRequest)
      return { refused: [413, `At most ${messagesPerRequest} messages may be sent at once`] }
    for (const item of body) {
      if (!isObject(item) || item.creationTime === undefined || item.creationTime === null) continue
      // Checked, never rewritten: the visitor's session recognises its messages by this stamp.
      const time = parseIsoTime(item.creationTime)
      if (!Number.isFinite(time) || Math.abs(time - now) > CREATION_TIME_SKEW_MS)
        return { refused: [400, "Invalid input: creationTime must be within 2 minutes of the server's clock"] }
    }
    // Always the visitor: never staff (isByTeam), a bot, or anyone else, whatever was sent.
    return {
      body: body.map((item) =>
        isObject(item)
          ? { message: item.message, creationTime: item.creationTime, author: visitor, isByTeam: false }
          : item,
      ),
    }
  },
  addMessageContext: 'refused',
  getConversation: read,
  listMessages: read,
  getTakeover: read,
  changeTakeover: async ({ body, id, upstream }) => {
    // A visitor may ask for a human, nothing else: not for the bot back, not for a given agent.
    if (
      !isObject(body) ||
      body.isAssignedToBot !== false ||
      (body.assigneeId !== undefined && body.assigneeId !== null)
    )
      return { refused: [403, 'A visitor can only ask for a human: { "isAssignedToBot": false }'] }
    // And only while the bot has the conversation: otherwise the request would jump the queue.
    const current = await upstream('GET', `chat/conversations/${id}/takeover`, '', undefined)
    const data = (current.json as { data?: { isAssignedToBot?: unknown } } | undefined)?.data
    if (!current.response.ok || (current.json as { errorCode?: unknown })?.errorCode !== -1)
      return { refused: [502, 'The conversation could not be checked'] }
    if (data?.isAssignedToBot !== true)
      return { refused: [409, 'Only a conversation with the bot can be handed to a human'] }
    return { body: { isAssignedToBot: false } }
  },
  updateFeedback: ({ body }) =>
    isObject(body) ? { body: { isPositive: body.isPositive, text: body.text } } : notAnObject,
  updateLatestUrl: ({ body }) => (isObject(body) ? { body: { url: body.url } } : notAnObject),
  closeConversation: () => ({ body: undefined }),
} satisfies Record<EndpointName, VisitorPolicy>

/** The query parameters each read takes (what the client's checks cover); anything else is dropped. */
export const READ_QUERY: Partial<Record<EndpointName, Record<string, 'boolean' | 'integer' | 'string'>>> = {
  getConversation: { includeMessages: 'boolean', orderBy: 'string', orderyBy: 'string' },
  listMessages: { orderBy: 'string', skip: 'integer', take: 'integer' },
}
