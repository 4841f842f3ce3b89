import { inspect } from 'node:util'
import { ChatApiError, type CreateConversationInput, createChatClient, isChatApiError } from 'socialboards-chat-react'
import { MOCK_ERROR_CODES, type MockFault } from 'socialboards-chat-react/mock'
import { describe, expect, it, vi } from 'vitest'
import { failure } from './support/failure'
import { api, baseURL, server, token } from './support/mock-server'

const input: CreateConversationInput = {
  author: { name: 'John', customIdentifier: '  CUS-12345 ' },
  title: 'Chat API Client Problems',
  url: 'https://thejohndow.com',
  sentiment: 'question',
  categoryId: 1505,
}

const client = () => createChatClient({ baseURL, accessToken: token })

describe('createConversation', () => {
  it('returns the created conversation from the envelope', async () => {
    const conversation = await client().createConversation(input)
    expect(conversation).toMatchObject({
      id: expect.any(Number),
      isClosed: false,
      totalMessagesCount: 0,
      initialPageUrl: 'https://thejohndow.com',
      author: { name: 'John', status: 'client', isBot: false, customIdentifier: 'cus-12345' },
      queuePositionInfo: { position: 1, waitTime: expect.any(Number) },
    })
    expect(conversation.creationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00$/)
  })

  it('posts the input unchanged as JSON to chat/conversations with the bearer token', async () => {
    const seen: { url: string; authorization: string | null; type: string | null }[] = []
    server.events.on('request:start', ({ request }) => {
      seen.push({
        url: request.url,
        authorization: request.headers.get('authorization'),
        type: request.headers.get('content-type'),
      })
    })
    await client().createConversation(input)
    server.events.removeAllListeners()
    expect(seen).toEqual([
      { url: `${baseURL}chat/conversations`, authorization: `Bearer ${token}`, type: 'application/json' },
    ])
    expect(api.requests).toEqual([{ method: 'POST', path: 'chat/conversations', query: {}, body: input }])
  })

  it('joins paths onto a base URL with or without a trailing slash', async () => {
    const withoutSlash = createChatClient({ baseURL: baseURL.replace(/\/$/, ''), accessToken: token })
    await withoutSlash.createConversation(input)
    expect(api.requests.map((request) => request.path)).toEqual(['chat/conversations'])
  })

  it('gives increasing ids and queue positions', async () => {
    const chat = client()
    const first = await chat.createConversation(input)
    const second = await chat.createConversation(input)
    expect(second.id).toBeGreaterThan(first.id)
    expect(second.queuePositionInfo?.position).toBeGreaterThan(first.queuePositionInfo?.position ?? 0)
  })

  it('sends the extra headers and uses the fetch it is given', async () => {
    const fetchSpy = vi.fn((...args: Parameters<typeof fetch>) => globalThis.fetch(...args))
    const chat = createChatClient({ baseURL, accessToken: token, headers: { 'X-App': 'demo' }, fetch: fetchSpy })
    let header: string | null = null
    server.events.on('request:start', ({ request }) => {
      header = request.headers.get('x-app')
    })
    await chat.createConversation(input)
    server.events.removeAllListeners()
    expect(fetchSpy).toHaveBeenCalledTimes(1)
    expect(header).toBe('demo')
  })
})

describe('access tokens', () => {
  it('asks a token function lazily, once, and shares it between concurrent calls', async () => {
    const getToken = vi.fn(async () => token)
    const chat = createChatClient({ baseURL, accessToken: getToken })
    expect(getToken).not.toHaveBeenCalled()
    await Promise.all([chat.createConversation(input), chat.createConversation(input)])
    await chat.createConversation(input)
    expect(getToken).toHaveBeenCalledTimes(1)
  })

  it('refreshes the token after a 401 and repeats the request once', async () => {
    const getToken = vi.fn().mockResolvedValueOnce('expired-token').mockResolvedValueOnce(token)
    const chat = createChatClient({ baseURL, accessToken: getToken })
    const conversation = await chat.createConversation(input)
    expect(conversation.id).toBeGreaterThan(0)
    expect(getToken).toHaveBeenCalledTimes(2)
    expect(api.requests).toHaveLength(2)
    expect(api.conversations()).toHaveLength(1)
  })

  it('fails with HTTP 401 after a second 401, without looping', async () => {
    const getToken = vi
      .fn()
      .mockResolvedValueOnce('expired-1')
      .mockResolvedValueOnce('expired-2')
      .mockResolvedValue(token)
    const chat = createChatClient({ baseURL, accessToken: getToken })
    const error = await failure(chat.createConversation(input))
    expect(error).toMatchObject({ kind: 'http', status: 401, errorCode: MOCK_ERROR_CODES.unauthorized })
    expect(getToken).toHaveBeenCalledTimes(2)
    expect(api.requests).toHaveLength(2)
  })

  it('does not repeat when the token function returns the same token again', async () => {
    const chat = createChatClient({ baseURL, accessToken: () => 'expired' })
    expect((await failure(chat.createConversation(input))).status).toBe(401)
    expect(api.requests).toHaveLength(1)
  })

  it('does not repeat with a fixed token string', async () => {
    const chat = createChatClient({ baseURL, accessToken: 'expired' })
    expect((await failure(chat.createConversation(input))).status).toBe(401)
    expect(api.requests).toHaveLength(1)
  })

  it('reports a failing token function without sending, and asks again next time', async () => {
    const getToken = vi.fn().mockRejectedValueOnce(new Error('token server down')).mockResolvedValue(token)
    const chat = createChatClient({ baseURL, accessToken: getToken })
    const error = await failure(chat.createConversation(input))
    expect(error.kind).toBe('network')
    expect(error.message).toBe('[POST] chat/conversations: the accessToken function failed: token server down')
    expect(api.requests).toHaveLength(0)
    await chat.createConversation(input)
    expect(getToken).toHaveBeenCalledTimes(2)
  })

  it('rejects a token function that returns no usable token', async () => {
    const chat = createChatClient({ baseURL, accessToken: () => '' })
    const error = await failure(chat.createConversation(input))
    expect(error.kind).toBe('validation')
    expect(error.message).toMatch(/the access token cannot be sent: it is empty/)
    expect(api.requests).toHaveLength(0)
  })

  it('sends no Authorization header without a token', async () => {
    api.setAccessToken(null)
    let authorization: string | null = 'unset'
    server.events.on('request:start', ({ request }) => {
      authorization = request.headers.get('authorization')
    })
    await createChatClient({ baseURL }).createConversation(input)
    server.events.removeAllListeners()
    expect(authorization).toBeNull()
  })
})

describe('ChatApiError never exposes the access token', () => {
  const secret = 'eyJhbGciOiJIUzUxMiJ9.secret-access-token'
  const faults: [string, MockFault | undefined][] = [
    ['401', undefined],
    ['api', { type: 'envelope', errorCode: 3, errorText: 'x' }],
    ['http', { type: 'status', status: 500, body: 'oops' }],
    ['parse', { type: 'html' }],
    ['network', { type: 'network' }],
  ]
  it.each(faults)('in a %s error', async (_kind, fault) => {
    api.setAccessToken(fault ? null : 'another-token')
    if (fault) api.inject(fault)
    const error = await failure(
      createChatClient({ baseURL, accessToken: async () => secret }).createConversation(input),
    )
    const forms = [
      error.message,
      error.stack,
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
    ]
    for (const form of forms) expect(form).not.toContain(secret)
  })

  it('in a timeout error', async () => {
    api.inject({ type: 'delay', ms: 300 })
    const error = await failure(
      createChatClient({ baseURL, accessToken: secret, timeout: 20 }).createConversation(input),
    )
    expect(error.kind).toBe('timeout')
    expect(inspect(error, { depth: 10, showHidden: true }) + JSON.stringify(error)).not.toContain(secret)
  })

  it('keeps enumerable fields to the documented ones', async () => {
    api.inject({ type: 'envelope', status: 500, errorCode: 3, errorText: 'x' })
    const error = await failure(createChatClient({ baseURL, accessToken: secret }).createConversation(input))
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ChatApiError',
      kind: 'http',
      code: 'server-error',
      method: 'POST',
      path: 'chat/conversations',
      status: 500,
      errorCode: 3,
      errorText: 'x',
    })
  })
})

describe('createChatClient options', () => {
  it('rejects a missing or relative base URL and a bad timeout', () => {
    expect(() => createChatClient({ baseURL: 'api.example.com' })).toThrow(/baseURL must be an absolute http\(s\) URL/)
    expect(() => createChatClient({} as never)).toThrow(ChatApiError)
    expect(() => createChatClient({ baseURL, timeout: 0 })).toThrow(/timeout must be a whole number of milliseconds/)
  })

  it('sends idempotency keys by default only without an accessToken (behind the server half)', () => {
    expect(createChatClient({ baseURL }).idempotencyKeys).toBe(true)
    expect(createChatClient({ baseURL, accessToken: 'token' }).idempotencyKeys).toBe(false)
    expect(createChatClient({ baseURL, accessToken: () => 'token' }).idempotencyKeys).toBe(false)
    expect(createChatClient({ baseURL, idempotencyKeys: false }).idempotencyKeys).toBe(false)
    expect(createChatClient({ baseURL, accessToken: 'token', idempotencyKeys: true }).idempotencyKeys).toBe(true)
  })

  it('isChatApiError tells our errors from others', () => {
    expect(isChatApiError(new ChatApiError('network', 'x'))).toBe(true)
    expect(isChatApiError(new Error('x'))).toBe(false)
    expect(isChatApiError({ kind: 'network' })).toBe(false)
    expect(isChatApiError(null)).toBe(false)
  })
})
