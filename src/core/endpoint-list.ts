// All endpoints in one list, for what serves or filters every one of them (the mock, a proxy's allow-list).
import {
  addMessageContextEndpoint,
  addMessagesEndpoint,
  changeTakeoverEndpoint,
  closeConversationEndpoint,
  createConversationEndpoint,
  type Endpoint,
  getConversationEndpoint,
  getTakeoverEndpoint,
  listMessagesEndpoint,
  updateFeedbackEndpoint,
  updateLatestUrlEndpoint,
} from './endpoints'

/** Every endpoint, in the reference's order. The client does not import this list, so it stays tree-shakable. */
export const ENDPOINTS = [
  createConversationEndpoint,
  addMessagesEndpoint,
  addMessageContextEndpoint,
  getConversationEndpoint,
  listMessagesEndpoint,
  getTakeoverEndpoint,
  changeTakeoverEndpoint,
  updateFeedbackEndpoint,
  updateLatestUrlEndpoint,
  closeConversationEndpoint,
] as const satisfies readonly Endpoint[]

/** The endpoint whose path template `path` fits, with the conversation id it names; method not checked. */
export function matchEndpoints(path: string): { endpoint: Endpoint; id: string | undefined }[] {
  const found: { endpoint: Endpoint; id: string | undefined }[] = []
  for (const endpoint of ENDPOINTS) {
    const [before, after] = endpoint.path.split('{id}')
    if (after === undefined) {
      if (path === before) found.push({ endpoint, id: undefined })
    } else if (path.startsWith(before as string) && path.endsWith(after)) {
      const id = path.slice((before as string).length, path.length - after.length)
      if (id && !id.includes('/')) found.push({ endpoint, id })
    }
  }
  return found
}
