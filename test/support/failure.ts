import { type ChatApiError, isChatApiError } from 'socialboards-chat-react'
import { expect } from 'vitest'

/** Awaits a call that must fail, and returns its ChatApiError. */
export async function failure(call: Promise<unknown>): Promise<ChatApiError> {
  const error = await call.then(
    () => expect.unreachable('the call should have failed'),
    (reason: unknown) => reason,
  )
  expect(isChatApiError(error)).toBe(true)
  return error as ChatApiError
}
