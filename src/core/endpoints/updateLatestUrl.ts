// The visitor's current page. Unconfirmed: the default is PATCH chat/conversations/{id}/latestUrl with { url }.
import type { ChatConnection } from '../connection'
import type { RequestOptions } from '../http'
import { isObject, validateLatestUrl } from '../validate'
import { endpointCall } from './call'
import {
  A,
  anything,
  type CacheContext,
  type Endpoint,
  type EndpointPolicy,
  notAnObject,
  overrideHint,
  updateConversation,
  withId,
} from './endpoint'

/** The visitor's current page. **Unconfirmed**: the default `PATCH chat/conversations/{id}/latestUrl` with `{ url }`. */
export const updateLatestUrlEndpoint: Endpoint<unknown, 'updateLatestUrl'> = {
  name: 'updateLatestUrl',
  method: 'PATCH',
  path: 'chat/conversations/{id}/latestUrl',
  status: 'unconfirmed',
  hint: overrideHint,
  visitor: 'allowed',
  checkBody: (body) => validateLatestUrl(isObject(body) ? body.url : undefined),
  accept: anything,
}

/** `ChatClient.updateLatestUrl` as a function of a connection. */
export const updateLatestUrl = /* @__PURE__ */ endpointCall(
  'updateLatestUrl',
  async (connection, id: number, url: string, { signal }: RequestOptions = {}): Promise<void> => {
    await connection.send(updateLatestUrlEndpoint, { id, body: { url }, signal })
  },
)

/** @internal The mutation key of a page change. */
export const updateLatestUrlKey = (id: number | undefined) => [A, 'conversation', id, 'updateLatestUrl'] as const

/** @internal The library's part of a page change as TanStack mutation options: the cached `latestPageUrl` follows. */
export const updateLatestUrlMutation = (connection: ChatConnection, id: number | undefined) => ({
  mutationKey: updateLatestUrlKey(id),
  mutationFn: (url: string) => withId(id, 'updateLatestUrl', (known) => updateLatestUrl(connection, known, url)),
  retry: false as const,
  onSuccess: (_nothing: unknown, url: string, _result: unknown, context: CacheContext) => {
    if (id !== undefined) updateConversation(context.client, id, { latestPageUrl: url })
  },
})

/** @internal The visitor's rule: the URL, nothing else. */
export const updateLatestUrlPolicy: EndpointPolicy = {
  body: ({ body }) => (isObject(body) ? { body: { url: body.url } } : notAnObject),
}
