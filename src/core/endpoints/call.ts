// What every endpoint function is built from, without the transport: endpoint modules (and so the server and mock
// entries, which read the endpoint list) never import the HTTP client.
import type { ServerClockFeed } from '../clock'
import type { ChatConnection } from '../connection'
import { ChatApiError, isChatApiError, type ValidationIssue } from '../errors'
import { randomId } from '../random'
import type { ConversationMessage } from '../types'
import { describeIssues, parseIsoTime } from '../validate'

/**
 * The `Idempotency-Key` a write sends: the caller's `key`, else a new one; none while the
 * connection sends no keys.
 */
export const keyFor = (connection: ChatConnection, key?: string) =>
  connection.idempotencyKeys ? (key ?? randomId()) : undefined

/**
 * An endpoint function that never throws: whatever its arguments do (a throwing getter, say), it
 * rejects with a ChatApiError.
 */
export function endpointCall<A extends unknown[], R>(
  name: string,
  run: (connection: ChatConnection, ...args: A) => Promise<R>,
): (connection: ChatConnection, ...args: A) => Promise<R> {
  const unreadable = (error: unknown) => {
    if (isChatApiError(error)) return error
    const issues: ValidationIssue[] = [
      { path: '', code: 'unreadable', message: 'the arguments could not be read (a getter threw)' },
    ]
    return new ChatApiError('validation', `[${name}] : invalid input: ${describeIssues(issues)}`, {
      method: name,
      path: '',
      issues,
    })
  }
  return (connection, ...args) => {
    try {
      return run(connection, ...args).catch((error: unknown) => Promise.reject(unreadable(error)))
    } catch (error) {
      return Promise.reject(unreadable(error))
    }
  }
}

/** What the endpoint functions feed the connection's clock (a clock of your own may take none of it). */
export const feed = (connection: ChatConnection) => connection.clock as Partial<ServerClockFeed>

/** Staff and bot messages carry the server's own time: the server clock was at least there. */
export function learnFrom(connection: ChatConnection, messages: ConversationMessage[] | null | undefined) {
  const receivedAt = Date.now()
  for (const message of messages ?? [])
    if (message?.author?.isBot === true || message?.author?.status === 'team')
      feed(connection).observeAtLeast?.(parseIsoTime(message.creationTime), receivedAt)
}
