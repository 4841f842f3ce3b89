// Closing a conversation. Unconfirmed: the default is PATCH chat/conversations/{id}/close.
import type { ChatConnection } from '../connection'
import type { RequestOptions } from '../http'
import { endpointCall } from './call'
import {
  A,
  anything,
  type CacheContext,
  conversationKey,
  type Endpoint,
  type EndpointPolicy,
  overrideHint,
  updateConversation,
  withId,
} from './endpoint'

/** Closes a conversation. **Unconfirmed**: the default `PATCH chat/conversations/{id}/close`. */
export const closeConversationEndpoint: Endpoint<unknown, 'closeConversation'> = {
  name: 'closeConversation',
  method: 'PATCH',
  path: 'chat/conversations/{id}/close',
  status: 'unconfirmed',
  hint: overrideHint,
  visitor: 'allowed',
  accept: anything,
}

/** `ChatClient.closeConversation` as a function of a connection. */
export const closeConversation = /* @__PURE__ */ endpointCall(
  'closeConversation',
  async (connection, id: number, { signal }: RequestOptions = {}): Promise<void> => {
    await connection.send(closeConversationEndpoint, { id, signal })
  },
)

/** @internal The mutation key of a close. */
export const closeConversationKey = (id: number | undefined) => [A, 'conversation', id, 'closeConversation'] as const

/**
 * @internal The library's part of a close as TanStack mutation options: the cached conversation is
 * marked closed, which stops its polling.
 */
export const closeConversationMutation = (connection: ChatConnection, id: number | undefined) => ({
  mutationKey: closeConversationKey(id),
  mutationFn: () => withId(id, 'closeConversation', (known) => closeConversation(connection, known)),
  retry: false as const,
  onSuccess: async (_nothing: unknown, _input: unknown, _result: unknown, context: CacheContext) => {
    await context.client.cancelQueries({ queryKey: conversationKey(id), exact: true })
    if (id !== undefined) updateConversation(context.client, id, { isClosed: true })
  },
})

/** @internal Any visitor may close their own conversation: nothing to send. */
export const closeConversationPolicy: EndpointPolicy = { body: () => ({ body: undefined }) }
