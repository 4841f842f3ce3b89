// chat/conversations/{id}/takeover: whether a bot or a human has the conversation (GET), and asking for a human (PATCH).
import type { ChatConnection } from '../connection'
import type { RequestOptions } from '../http'
import { isObject, validateTakeover } from '../validate'
import { endpointCall } from './call'
import {
  A,
  type CacheContext,
  conversationKey,
  type Endpoint,
  type EndpointPolicy,
  readPolicy,
  withId,
} from './endpoint'

/** A conversation's takeover state ("Conversation takeover"). */
export interface ConversationTakeover {
  /** `false` means the conversation is in takeover mode: a human agent has it. */
  isAssignedToBot: boolean
}

/** Body of "Change takeover state". */
export interface ChangeTakeoverInput {
  /** `false` hands the conversation to a human (takeover); `true` presumably back to the bot. */
  isAssignedToBot: boolean
  /** The agent (a GUID) given the conversation on takeover. Optional. */
  assigneeId?: string | null
}

const isTakeover = (data: unknown): data is ConversationTakeover =>
  isObject(data) && typeof data.isAssignedToBot === 'boolean'

/** `GET chat/conversations/{id}/takeover`. */
export const getTakeoverEndpoint: Endpoint<ConversationTakeover, 'getTakeover'> = {
  name: 'getTakeover',
  method: 'GET',
  path: 'chat/conversations/{id}/takeover',
  status: 'documented',
  visitor: 'allowed',
  accept: isTakeover,
}

/** `PATCH chat/conversations/{id}/takeover`. */
export const changeTakeoverEndpoint: Endpoint<ConversationTakeover, 'changeTakeover'> = {
  name: 'changeTakeover',
  method: 'PATCH',
  path: 'chat/conversations/{id}/takeover',
  status: 'documented',
  visitor: 'allowed',
  checkBody: validateTakeover,
  accept: isTakeover,
}

/** `ChatClient.getTakeover` as a function of a connection. */
export const getTakeover = /* @__PURE__ */ endpointCall(
  'getTakeover',
  (connection, id: number, { signal }: RequestOptions = {}): Promise<ConversationTakeover> =>
    connection.send(getTakeoverEndpoint, { id, signal }),
)

/** `ChatClient.changeTakeover` as a function of a connection. */
export const changeTakeover = /* @__PURE__ */ endpointCall(
  'changeTakeover',
  (connection, id: number, input: ChangeTakeoverInput, { signal }: RequestOptions = {}) =>
    connection.send(changeTakeoverEndpoint, { id, body: input, signal }),
)

/** @internal A conversation's takeover state. */
export const takeoverKey = (id: number | undefined) => [A, 'conversation', id, 'takeover'] as const
/** @internal The mutation key of a change. */
export const changeTakeoverKey = (id: number | undefined) => [A, 'conversation', id, 'changeTakeover'] as const

/** @internal The library's part of a change as TanStack mutation options: the cached takeover and conversation follow. */
export const changeTakeoverMutation = (connection: ChatConnection, id: number | undefined) => ({
  mutationKey: changeTakeoverKey(id),
  mutationFn: (input: ChangeTakeoverInput) =>
    withId(id, 'changeTakeover', (known) => changeTakeover(connection, known, input)),
  retry: false as const,
  onSuccess: async (
    takeover: ConversationTakeover,
    _input: ChangeTakeoverInput,
    _result: unknown,
    context: CacheContext,
  ) => {
    context.client.setQueryData(takeoverKey(id), takeover)
    await context.client.invalidateQueries({ queryKey: conversationKey(id), exact: true })
  },
})

/** @internal A read for any visitor on their own conversation. */
export const getTakeoverPolicy: EndpointPolicy = /* @__PURE__ */ readPolicy()

/** @internal A visitor may ask for a human, nothing else, and only while the bot has the conversation. */
export const changeTakeoverPolicy: EndpointPolicy = {
  body: async ({ body, id, upstream }) => {
    // Not for the bot back, not for a given agent.
    if (
      !isObject(body) ||
      body.isAssignedToBot !== false ||
      (body.assigneeId !== undefined && body.assigneeId !== null)
    )
      return { refused: [403, 'A visitor can only ask for a human: { "isAssignedToBot": false }'] }
    // Otherwise the request would jump the queue.
    const current = await upstream('GET', `chat/conversations/${id}/takeover`, '', undefined)
    const data = (current.json as { data?: { isAssignedToBot?: unknown } } | undefined)?.data
    if (!current.response.ok || (current.json as { errorCode?: unknown })?.errorCode !== -1)
      return { refused: [502, 'The conversation could not be checked'] }
    if (data?.isAssignedToBot !== true)
      return { refused: [409, 'Only a conversation with the bot can be handed to a human'] }
    return { body: { isAssignedToBot: false } }
  },
}
