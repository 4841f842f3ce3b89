import { type ChatApiErrorKind, createChatClient } from 'socialboards-chat-react'
import type { MockFault } from 'socialboards-chat-react/mock'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CONVERSATION_ID, endpoints } from './support/endpoints'
import { failure } from './support/failure'
import { api, baseURL, token } from './support/mock-server'

// [fault, the kind it must become, what the message must say]
const faults: [string, MockFault, ChatApiErrorKind, RegExp][] = [
  ...[400, 401, 403, 404, 409, 429, 500, 502, 503, 504].map((status): [string, MockFault, ChatApiErrorKind, RegExp] => [
    `HTTP ${status} with an envelope`,
    { type: 'envelope', status, errorCode: 7, errorText: 'Nope' },
    'http',
    new RegExp(`: HTTP ${status}.*\\(errorCode 7: Nope\\)`),
  ]),
  ...[400, 500, 503].map((status): [string, MockFault, ChatApiErrorKind, RegExp] => [
    `HTTP ${status} with a text body`,
    { type: 'status', status, body: 'Service trouble' },
    'http',
    new RegExp(`: HTTP ${status}`),
  ]),
  ['HTTP 502 with an HTML page', { type: 'html', status: 502 }, 'http', /: HTTP 502/],
  ['an HTML page on HTTP 200', { type: 'html' }, 'parse', /HTTP 200 with a body that is not JSON \(text\/html/],
  ['an empty body', { type: 'empty' }, 'parse', /HTTP 200 with an empty body$/],
  ['truncated JSON', { type: 'truncated' }, 'parse', /HTTP 200 with a body that is not JSON/],
  ['JSON that is not an envelope', { type: 'not-envelope' }, 'parse', /HTTP 200 with JSON that is not an envelope$/],
  [
    'an error envelope with non-null data on HTTP 200',
    { type: 'envelope', errorCode: 42, errorText: 'Bad category', data: { id: 1, author: {} } },
    'api',
    /: API error 42: Bad category$/,
  ],
  ['an error envelope without errorText', { type: 'envelope', errorCode: 5, errorText: null }, 'api', /: API error 5$/],
  [
    'a success envelope whose data has the wrong shape',
    { type: 'envelope', errorCode: -1, data: 'nope' },
    'parse',
    /unexpected shape$/,
  ],
  ['the network down', { type: 'network' }, 'network', /: network error( \([A-Z_]+\))?$/],
]

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
beforeEach(async () => {
  unhandled.length = 0
  process.on('unhandledRejection', onUnhandled)
  // Every row but create works on an existing conversation.
  const conversation = await createChatClient({ baseURL, accessToken: token }).createConversation({
    author: { email: 'setup@example.com' },
  })
  expect(conversation.id).toBe(CONVERSATION_ID)
  api.requests.length = 0
})
afterEach(() => {
  process.off('unhandledRejection', onUnhandled)
})

describe.each(endpoints)('$name ($method) under faults', (endpoint) => {
  const client = (timeout?: number) => createChatClient({ baseURL, accessToken: token, timeout })

  function expectOneRequest() {
    const reached = api.requests.filter((r) => r.method === endpoint.method && endpoint.path.test(r.path))
    expect(reached).toHaveLength(1)
  }

  it.each(faults)('%s → %s', async (_name, fault, kind, message) => {
    api.inject({ ...fault, match: { method: endpoint.method, path: endpoint.path } })
    if (endpoint.unknownResponse && fault.type === 'envelope' && fault.errorCode === -1) {
      await expect(endpoint.call(client())).resolves.toBeUndefined()
      return
    }
    const error = await failure(endpoint.call(client()))
    expect(error.kind).toBe(kind)
    expect(error.method).toBe(endpoint.method)
    expect(error.message).toMatch(new RegExp(`^\\[${endpoint.method}\\] chat/conversations`))
    expect(endpoint.path.test(error.path ?? '')).toBe(true)
    expect(error.message).toMatch(message)
    if (kind === 'http' || kind === 'api' || kind === 'parse') expect(error.status).toBeGreaterThan(0)
    if (fault.type === 'envelope' && fault.errorCode !== -1) {
      expect(error.errorCode).toBe(fault.errorCode)
      expect(error.errorText).toBe(fault.errorText)
    }
    expectOneRequest()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(unhandled).toEqual([])
  })

  it('a timeout → timeout', async () => {
    api.inject({ type: 'delay', ms: 300, match: { method: endpoint.method, path: endpoint.path } })
    const error = await failure(endpoint.call(client(30)))
    expect(error).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/no answer within 30 ms$/) })
    expectOneRequest()
  })

  it('an abort in flight → aborted', async () => {
    api.inject({ type: 'delay', ms: 300, match: { method: endpoint.method, path: endpoint.path } })
    const controller = new AbortController()
    const call = endpoint.call(client(), { signal: controller.signal })
    // In flight: the server has the request and is taking its time.
    await vi.waitFor(() => expect(api.requests).toHaveLength(1))
    controller.abort()
    expect((await failure(call)).kind).toBe('aborted')
    expectOneRequest()
  })

  it('an abort before sending → aborted, nothing sent', async () => {
    const before = api.requests.length
    const error = await failure(endpoint.call(client(), { signal: AbortSignal.abort() }))
    expect(error.kind).toBe('aborted')
    expect(api.requests.length).toBe(before)
  })
})
