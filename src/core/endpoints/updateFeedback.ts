// PATCH chat/conversations/{id}/feedback: the visitor's feedback, during or after the chat, described once.
import type { ChatConnection } from '../connection'
import type { RequestOptions } from '../http'
import type { ConversationFeedback } from '../types'
import { isObject, validateFeedback } from '../validate'
import { endpointCall } from './call'
import {
  A,
  type CacheContext,
  type Endpoint,
  type EndpointPolicy,
  notAnObject,
  updateConversation,
  withId,
} from './endpoint'

/** Body of "Update conversation feedback". */
export interface FeedbackInput {
  isPositive: boolean
  /** Optional free text. */
  text?: string | null
}

/** `PATCH chat/conversations/{id}/feedback`. */
export const updateFeedbackEndpoint: Endpoint<ConversationFeedback, 'updateFeedback'> = {
  name: 'updateFeedback',
  method: 'PATCH',
  path: 'chat/conversations/{id}/feedback',
  status: 'documented',
  visitor: 'allowed',
  checkBody: validateFeedback,
  accept: (data: unknown): data is ConversationFeedback => isObject(data) && typeof data.isPositive === 'boolean',
}

/** `ChatClient.updateFeedback` as a function of a connection. */
export const updateFeedback = /* @__PURE__ */ endpointCall(
  'updateFeedback',
  (connection, id: number, input: FeedbackInput, { signal }: RequestOptions = {}): Promise<ConversationFeedback> =>
    connection.send(updateFeedbackEndpoint, { id, body: input, signal }),
)

/** @internal The mutation key of a feedback. */
export const updateFeedbackKey = (id: number | undefined) => [A, 'conversation', id, 'updateFeedback'] as const

/** @internal The library's part of a feedback as TanStack mutation options: the cached conversation shows it at once. */
export const updateFeedbackMutation = (connection: ChatConnection, id: number | undefined) => ({
  mutationKey: updateFeedbackKey(id),
  mutationFn: (input: FeedbackInput) =>
    withId(id, 'updateFeedback', (known) => updateFeedback(connection, known, input)),
  retry: false as const,
  onSuccess: (feedback: ConversationFeedback, _input: FeedbackInput, _result: unknown, context: CacheContext) => {
    if (id !== undefined) updateConversation(context.client, id, { feedback })
  },
})

/** @internal The visitor's rule: the two documented fields, nothing else. */
export const updateFeedbackPolicy: EndpointPolicy = {
  body: ({ body }) => (isObject(body) ? { body: { isPositive: body.isPositive, text: body.text } } : notAnObject),
}
