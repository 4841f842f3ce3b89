import type { ValidationIssue } from '../errors'
import type { RequestOptions } from '../http'
import type { Conversation, OrderBy } from '../types'
import { checkBoolean, checkOrderBy, parseIsoTime } from '../validate'
import { endpointCall, feed, learnFrom } from './call'
import { type Endpoint, type EndpointPolicy, isConversation, readPolicy } from './endpoint'

/** Query of "Get conversation by id". */
export interface GetConversationOptions {
  /** Include messages (the latest or earliest 100, see `orderBy`). Default `false`. */
  includeMessages?: boolean
  /** Default `creation_time_desc` (the latest 100). */
  orderBy?: OrderBy
}

/** `GET chat/conversations/{id}`. */
export const getConversationEndpoint: Endpoint<Conversation, 'getConversation'> = {
  name: 'getConversation',
  method: 'GET',
  path: 'chat/conversations/{id}',
  status: 'documented',
  visitor: 'allowed',
  checkQuery: (query: GetConversationOptions) => {
    const issues: ValidationIssue[] = []
    checkOrderBy(issues, query.orderBy)
    checkBoolean(issues, query.includeMessages, 'includeMessages')
    return issues
  },
  accept: isConversation,
}

/** `ChatClient.getConversation` as a function of a connection. */
export const getConversation = /* @__PURE__ */ endpointCall(
  'getConversation',
  async (
    connection,
    id: number,
    { includeMessages, orderBy, signal }: GetConversationOptions & RequestOptions = {},
  ): Promise<Conversation> => {
    // The reference spells the parameter `orderyBy` on this page and `orderBy` elsewhere: send both.
    const query = { includeMessages, orderyBy: orderBy, orderBy }
    const conversation = await connection.send(getConversationEndpoint, {
      id,
      options: { includeMessages, orderBy },
      query,
      signal,
    })
    feed(connection).observeAtLeast?.(parseIsoTime(conversation.creationTime), Date.now())
    learnFrom(connection, conversation.messages)
    return conversation
  },
)

// Its query key, `conversationKey`, lives in ./endpoint: every conversation entry starts with it.

/** @internal A read for any visitor on their own conversation, with the query the client sends. */
export const getConversationPolicy: EndpointPolicy = /* @__PURE__ */ readPolicy({
  includeMessages: 'boolean',
  orderBy: 'string',
  orderyBy: 'string',
})
