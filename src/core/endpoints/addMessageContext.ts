// POST chat/conversations/{id}/previousMessages: importing earlier messages, as any author; never a visitor's.
import type { ChatConnection } from '../connection'
import type { RequestOptions } from '../http'
import type { ConversationMessage } from '../types'
import { validateMessages } from '../validate'
import { endpointCall } from './call'
import {
  A,
  type CacheContext,
  conversationKey,
  type Endpoint,
  type EndpointPolicy,
  isMessageList,
  withId,
} from './endpoint'
import { type AddMessageInput, type AddMessagesVariables, messagesKey } from './messages'

/** `POST chat/conversations/{id}/previousMessages`: importing history, as any author. */
export const addMessageContextEndpoint: Endpoint<ConversationMessage[], 'addMessageContext'> = {
  name: 'addMessageContext',
  method: 'POST',
  path: 'chat/conversations/{id}/previousMessages',
  status: 'documented',
  visitor: 'refused',
  bodyRoot: 'messages',
  checkBody: validateMessages,
  accept: isMessageList,
}

/** `ChatClient.addMessageContext` as a function of a connection. */
export const addMessageContext = /* @__PURE__ */ endpointCall(
  'addMessageContext',
  (connection, id: number, messages: AddMessageInput[], { signal }: RequestOptions = {}) =>
    connection.send(addMessageContextEndpoint, { id, body: messages, signal }),
)

/** @internal The mutation key of an import. */
export const addMessageContextKey = (id: number | undefined) => [A, 'conversation', id, 'addMessageContext'] as const

/** What `useAddMessageContext` sends: `{ messages }` like `useAddMessages` (a bare array is still accepted). */
export type AddMessageContextVariables = AddMessagesVariables | AddMessageInput[]

/**
 * @internal The library's part of an import as TanStack mutation options. Imported messages' times
 * may fall anywhere in the history, so the messages query starts over and the conversation is refetched.
 */
export const addMessageContextMutation = (connection: ChatConnection, id: number | undefined) => ({
  mutationKey: addMessageContextKey(id),
  mutationFn: (input: AddMessageContextVariables) =>
    withId(id, 'addMessageContext', (known) =>
      addMessageContext(connection, known, Array.isArray(input) ? input : input.messages),
    ),
  retry: false as const,
  onSuccess: async (
    _added: ConversationMessage[],
    _messages: AddMessageContextVariables,
    _result: unknown,
    context: CacheContext,
  ) => {
    await context.client.resetQueries({ queryKey: messagesKey(id) })
    await context.client.invalidateQueries({ queryKey: conversationKey(id), exact: true })
  },
})

/** @internal Server-side only: no visitor imports history as anyone. */
export const addMessageContextPolicy: EndpointPolicy = { body: 'refused' }
