import fc from 'fast-check'
import { createChatClient, isChatApiError } from 'socialboards-chat-react'
import { describe, expect, it } from 'vitest'

// Random answers at the fetch boundary: the real ofetch transport and envelope parsing run on each.
const json = fc.jsonValue({ maxDepth: 3 })
const envelopeLike = fc.record(
  {
    data: fc.oneof(json, fc.record({ id: fc.oneof(fc.integer(), fc.string()), author: fc.oneof(json, fc.object()) })),
    errorCode: fc.oneof(fc.constant(-1), fc.integer({ min: -3, max: 2000 }), fc.double(), fc.string()),
    errorText: fc.oneof(fc.constant(null), fc.string(), fc.integer()),
  },
  { requiredKeys: [] },
)
const successEnvelope = fc.record({
  data: fc.record({ id: fc.integer(), author: fc.object({ maxDepth: 1 }) }),
  errorCode: fc.constant(-1),
  errorText: fc.constant(null),
})
const body = fc.oneof(
  successEnvelope.map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  json.map((value) => JSON.stringify(value)),
  envelopeLike.map((value) => JSON.stringify(value)),
  envelopeLike.map((value) => JSON.stringify(value).slice(0, -3)),
  fc.constant(''),
  fc.constant('<!doctype html><h1>Gateway</h1>'),
)
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/html',
  'text/plain',
  'application/octet-stream',
  '',
)
const status = fc.oneof(
  fc.constantFrom(200, 200, 200, 201, 204, 400, 401, 404, 429, 500, 502, 503),
  fc.integer({ min: 200, max: 599 }),
)
const extraHeaders = fc.dictionary(
  fc.stringMatching(/^x-[a-z]{1,10}$/),
  fc.string({ maxLength: 30 }).map((v) => v.replace(/[^\x20-\x7e]/g, '')),
  { maxKeys: 3 },
)

const isSuccess = (text: string) => {
  try {
    const value = JSON.parse(text)
    return typeof value === 'object' && value !== null && value.errorCode === -1 && typeof value.data?.id === 'number'
  } catch {
    return false
  }
}

describe('any response the server might send', () => {
  it('never crashes the client and never yields data unless the envelope says success (10,000 runs)', async () => {
    const seen = { data: 0, http: 0, api: 0, parse: 0 }
    await fc.assert(
      fc.asyncProperty(status, body, contentType, extraHeaders, async (code, text, type, headers) => {
        const noBody = code === 204 || code === 205 || code === 304
        const fetch = async () =>
          new Response(noBody ? null : text, {
            status: code,
            headers: { ...headers, ...(type ? { 'content-type': type } : {}) },
          })
        const client = createChatClient({ baseURL: 'https://chat.property.test/', fetch })
        const outcome = await client.createConversation({ author: { email: 'a@b.co' } }).then(
          (data) => ({ data }),
          (error: unknown) => ({ error }),
        )
        if ('data' in outcome) {
          expect(code >= 200 && code < 300 && !noBody && isSuccess(text)).toBe(true)
          expect(outcome.data).toEqual(JSON.parse(text).data)
          seen.data++
        } else {
          expect(isChatApiError(outcome.error)).toBe(true)
          const { kind } = outcome.error as { kind: 'http' | 'api' | 'parse' }
          expect(['http', 'api', 'parse']).toContain(kind)
          seen[kind]++
          if (code < 200 || code > 299) expect(kind).toBe('http')
        }
      }),
      { numRuns: 10_000 },
    )
    // Every outcome was actually exercised, not just one kind of answer.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(50)
  }, 120_000)
})

describe('any add-messages answer', () => {
  const message = fc.record({
    id: fc.integer(),
    author: fc.record({ id: fc.uuid(), isBot: fc.boolean(), email: fc.option(fc.string({ maxLength: 20 })) }),
    message: fc.string({ maxLength: 40 }),
    creationTime: fc.string({ maxLength: 40 }),
  })
  const answering = (data: unknown) => async () =>
    new Response(JSON.stringify({ data, errorCode: -1, errorText: null }), {
      headers: { 'content-type': 'application/json' },
    })
  const sending = (count: number) =>
    Array.from({ length: count }, (_, index) => ({ message: `m${index}`, author: { email: 'a@b.co' } }))

  it('is data when it is a list of messages, however many were sent (2,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(message, { maxLength: 5 }), fc.integer({ min: 1, max: 4 }), async (data, count) => {
        const client = createChatClient({ baseURL: 'https://chat.property.test/', fetch: answering(data) })
        await expect(client.addMessages(7, sending(count))).resolves.toEqual(data)
        await expect(client.addMessageContext(7, sending(count))).resolves.toEqual(data)
      }),
      { numRuns: 2000 },
    )
  }, 60_000)

  it('is a parse error when it is not a list of messages (2,000 runs)', async () => {
    const notAList = json.filter((value) => !Array.isArray(value))
    const withAStranger = fc
      .tuple(
        fc.array(message, { maxLength: 3 }),
        json.filter((value) => typeof (value as { id?: unknown })?.id !== 'number'),
      )
      .map(([messages, stranger]) => [...messages, stranger])
    await fc.assert(
      fc.asyncProperty(fc.oneof(notAList, withAStranger), fc.integer({ min: 1, max: 4 }), async (data, count) => {
        const client = createChatClient({ baseURL: 'https://chat.property.test/', fetch: answering(data) })
        const error = await client.addMessages(7, sending(count)).then(
          () => undefined,
          (reason: unknown) => reason,
        )
        expect(isChatApiError(error) && error.kind).toBe('parse')
      }),
      { numRuns: 2000 },
    )
  }, 60_000)
})
