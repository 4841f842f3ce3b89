import { inspect } from 'node:util'
import { type ChatApiError, conversationQueryOptions, createChatClient, isChatApiError } from 'socialboards-chat-react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { envelope, type ReceivedRequest, startServer } from './http-server'

const author = { name: 'Ada', email: 'ada@example.com' }
const conversation = (id = 7) => ({
  id,
  author: { id: '00000000-0000-4000-8000-000000000001', isBot: false, status: 'client', email: 'ada@example.com' },
  creationTime: new Date().toISOString(),
  isClosed: false,
  isTakeoverEnabled: true,
  totalMessagesCount: 0,
})
const stored = (body: string) =>
  (JSON.parse(body) as { message: string }[]).map((m, i) => ({ id: 100 + i, author: conversation().author, ...m }))

let servers: { close: () => Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()))
  servers = []
})
async function serve(answer: Parameters<typeof startServer>[0]) {
  const server = await startServer(answer)
  servers.push(server)
  return server
}

/** Awaits a promise that must reject, and returns its ChatApiError. */
async function failure(call: Promise<unknown>): Promise<ChatApiError> {
  const error = await call.then(
    () => expect.unreachable('the call should have failed'),
    (reason: unknown) => reason,
  )
  expect(isChatApiError(error)).toBe(true)
  return error as ChatApiError
}

/** Everything an error shows anyone: message, stack, JSON, inspect, and its cause chain. */
function everythingIn(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as Error
    parts.push(String(e.message), String(e.stack), JSON.stringify(e), inspect(e, { depth: 5, showHidden: true }))
    current = e.cause
  }
  return parts.join('\n')
}

describe('the server clock', () => {
  it('learns from a created conversation’s stamp with an offset, and ignores one without (local to whom?)', async () => {
    const withOffset = await serve((_request, res) =>
      envelope(res, { ...conversation(), creationTime: new Date(Date.now() + 120_000).toISOString() }),
    )
    const ahead = createChatClient({ baseURL: withOffset.baseURL })
    await ahead.createConversation({ author })
    expect(ahead.clock.offset).toBeGreaterThan(110_000)
    // The same instant written without an offset: it would read as the visitor's local time.
    const bare = new Date(Date.now() + 120_000).toISOString().replace('Z', '')
    const withoutOffset = await serve((_request, res) => envelope(res, { ...conversation(), creationTime: bare }))
    const client = createChatClient({ baseURL: withoutOffset.baseURL })
    await client.createConversation({ author })
    expect(client.clock.offset).toBeUndefined()
  })
})

describe('the server clock never runs ahead of the server', () => {
  afterEach(() => {
    vi.useRealTimers()
  })
  it('a create that waited a minute before the server stamped it teaches no future offset', async () => {
    // Only Date is faked: the create sits a minute on its way (a queue, a slow proxy) before the
    // server (same process, same clock) stamps it. A midpoint reading would put the client's stamps
    // half a minute in the server's future, and a bot's instant answer would sort before the question.
    vi.useFakeTimers({ toFake: ['Date'] })
    const server = await serve((_request, res) => envelope(res, conversation()))
    const slowWay: typeof fetch = (input, init) => {
      vi.setSystemTime(Date.now() + 60_000)
      return fetch(input, init)
    }
    const client = createChatClient({ baseURL: server.baseURL, fetch: slowWay })
    await client.createConversation({ author })
    expect(client.clock.offset).toBeLessThanOrEqual(0)
    expect(client.clock.now()).toBeLessThanOrEqual(Date.now())
  })
})

describe('writes never follow redirects', () => {
  it.each([301, 302, 303, 307, 308])(
    'a %i answer to a POST is an http error, and nothing is fetched instead',
    async (status) => {
      const server = await serve((request, res) => {
        if (request.method === 'POST') {
          res.writeHead(status, { location: '/api/chat/conversations/7/messages' })
          res.end()
        } else envelope(res, [])
      })
      const client = createChatClient({ baseURL: server.baseURL })
      const error = await failure(client.addMessages(7, [{ message: 'Hello', author }]))
      expect(error.kind).toBe('http')
      expect(error.status).toBe(status)
      expect(error.message).toMatch(/a redirect was refused/)
      expect(server.requests.map((r) => r.method)).toEqual(['POST'])

      const created = await failure(client.createConversation({ author }))
      expect(created.message).toMatch(/redirect was refused/)
    },
  )

  it('a GET still follows a same-origin redirect', async () => {
    const server = await serve((request, res) => {
      if (request.url.endsWith('/old/chat/conversations/7')) {
        res.writeHead(301, { location: '/api/chat/conversations/7' })
        res.end()
      } else envelope(res, conversation())
    })
    const client = createChatClient({ baseURL: server.baseURL.replace('/api/', '/old/') })
    await expect(client.getConversation(7)).resolves.toMatchObject({ id: 7 })
  })

  it('an addMessages answer that lists fewer messages than were sent is data (the reference’s own example does it)', async () => {
    const server = await serve((_request, res) => envelope(res, []))
    const client = createChatClient({ baseURL: server.baseURL })
    await expect(client.addMessages(7, [{ message: 'Hello', author }])).resolves.toEqual([])
  })
})

describe('the body is ours: serialised by us, validated as sent', () => {
  const echo = () =>
    serve((request, res) =>
      request.url.endsWith('/messages') ? envelope(res, stored(request.body)) : envelope(res, conversation()),
    )
  const bodyOf = (request: ReceivedRequest | undefined) => JSON.parse(request?.body ?? 'null')

  it('sends class instances, null-prototype objects and odd keys as the JSON of their fields', async () => {
    const server = await echo()
    const client = createChatClient({ baseURL: server.baseURL })
    class Author {
      name = 'Ada'
      email = 'ada@example.com'
    }
    const plain = Object.assign(Object.create(null), { name: 'Bo', email: 'bo@example.com' })
    await client.createConversation({ author: new Author() })
    await client.createConversation({ author: plain, title: 'x', buffer: 1, constructor: 2 } as never)
    expect(server.requests.map((r) => r.headers['content-type'])).toEqual(['application/json', 'application/json'])
    expect(bodyOf(server.requests[0])).toEqual({ author: { name: 'Ada', email: 'ada@example.com' } })
    expect(bodyOf(server.requests[1])).toEqual({
      author: { name: 'Bo', email: 'bo@example.com' },
      title: 'x',
      buffer: 1,
      constructor: 2,
    })
  })

  it('reads each value once: a getter cannot show validation one body and the wire another', async () => {
    const server = await echo()
    const client = createChatClient({ baseURL: server.baseURL })
    let reads = 0
    const shifty = {
      name: 'Ada',
      get email() {
        reads++
        return reads === 1 ? 'ada@example.com' : 'not an email'
      },
    }
    await client.createConversation({ author: shifty })
    expect(reads).toBe(1)
    expect(bodyOf(server.requests[0]).author.email).toBe('ada@example.com')
  })

  it('validates what toJSON returns, since that is what would be sent', async () => {
    const server = await echo()
    const client = createChatClient({ baseURL: server.baseURL })
    const input = { author, toJSON: () => ({ author: { name: 'No identifier' } }) }
    const error = await failure(client.createConversation(input))
    expect(error.kind).toBe('validation')
    expect(error.issues?.[0]?.path).toBe('author')
    expect(server.requests).toHaveLength(0)
  })

  it.each([
    [
      'a cycle',
      () => {
        const a: Record<string, unknown> = { name: 'A', email: 'a@example.com' }
        a.self = a
        return { author: a }
      },
      'author.self',
      /cycle/,
    ],
    ['a BigInt', () => ({ author, categoryId: 10n }), 'categoryId', /bigint/],
    [
      'absurd nesting',
      () => {
        let deep: Record<string, unknown> = {}
        const root = deep
        for (let i = 0; i < 5000; i++) {
          deep.next = {}
          deep = deep.next as Record<string, unknown>
        }
        return { author, title: 'x', extra: root }
      },
      /^extra(\.next)+$/,
      /nested more than/,
    ],
    ['NaN', () => ({ author, categoryId: Number.NaN }), 'categoryId', /finite number/],
  ])('%s is a validation error with its path, and nothing is sent', async (_name, make, path, message) => {
    const server = await echo()
    const client = createChatClient({ baseURL: server.baseURL })
    const error = await failure(client.createConversation(make() as never))
    expect(error.kind).toBe('validation')
    expect(error.issues?.[0]?.path).toMatch(path)
    expect(error.issues?.[0]?.message).toMatch(message)
    expect(server.requests).toHaveLength(0)
  })

  it('holes in arrays are issues with their index', async () => {
    const server = await echo()
    const client = createChatClient({ baseURL: server.baseURL })
    const holes = await failure(client.addMessages(7, new Array(2)))
    expect(holes.issues?.map((issue) => issue.path)).toEqual(['messages[0]', 'messages[1]'])
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point.
    const sparse = await failure(client.addMessages(7, [, { message: 'Hi', author }] as never))
    expect(sparse.issues).toEqual([{ path: 'messages[0]', code: 'json', message: 'is missing (a hole in the array)' }])
    expect(server.requests).toHaveLength(0)
  })

  it('never throws synchronously, whatever the input does', async () => {
    const server = await echo()
    const client = createChatClient({ baseURL: server.baseURL })
    const trap = {
      get author(): never {
        throw new Error('boom')
      },
    }
    const options = {
      get signal(): never {
        throw new Error('boom')
      },
    }
    const calls = [
      () => client.createConversation(trap as never),
      () => client.addMessages(7, [trap] as never),
      () => client.getConversation(7, options as never),
      () => client.listMessages(7, options as never),
      () => client.closeConversation(7, options as never),
      () => client.updateFeedback(7, null as never),
      () => client.getTakeover(7, { signal: 'nope' } as never),
    ]
    for (const call of calls) {
      let promise: Promise<unknown> | undefined
      expect(() => {
        promise = call()
      }).not.toThrow()
      expect((await failure(promise as Promise<unknown>)).kind).toBe('validation')
    }
    expect(server.requests).toHaveLength(0)
  })

  it('accepts only real calendar times', async () => {
    const server = await echo()
    const client = createChatClient({ baseURL: server.baseURL })
    for (const creationTime of [
      '2023-02-30T10:00:00Z',
      '2023-13-01T10:00:00Z',
      '2023-04-31T10:00:00Z',
      '2023-01-01T24:00:00Z',
      '2023-01-01T10:60:00Z',
    ]) {
      const error = await failure(client.addMessages(7, [{ message: 'Hi', author, creationTime }]))
      expect(error.issues?.[0]?.path).toBe('messages[0].creationTime')
    }
    await client.addMessages(7, [{ message: 'Leap day', author, creationTime: '2024-02-29T10:00:00.1234567+02:00' }])
    expect(server.requests).toHaveLength(1)
  })
})

describe('the timeout option', () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '100'])(
    'refuses %s when the client is created',
    (timeout) => {
      expect(() => createChatClient({ baseURL: 'https://x.test/', timeout: timeout as number })).toThrow(
        /timeout must be a whole number of milliseconds from 1 to 2147483647/,
      )
    },
  )

  it('accepts the largest delay a timer can hold, and it does not fire early', async () => {
    const server = await serve((_request, res) => setTimeout(() => envelope(res, conversation()), 50))
    const client = createChatClient({ baseURL: server.baseURL, timeout: 2 ** 31 - 1 })
    await expect(client.getConversation(7)).resolves.toMatchObject({ id: 7 })
  })
})

describe('tokens', () => {
  const secret = 'sEcReT-tOkEn'

  it.each([
    ['CR', `${secret}\rX-Evil: 1`],
    ['LF', `${secret}\nX-Evil: 1`],
    ['NUL', `${secret}\u0000`],
    ['non-Latin-1', `${secret}✓`],
  ])('a static token with %s is a validation error that never shows the token', async (_name, token) => {
    const server = await serve((_request, res) => envelope(res, conversation()))
    const client = createChatClient({ baseURL: server.baseURL, accessToken: token })
    const error = await failure(client.createConversation({ author }))
    expect(error.kind).toBe('validation')
    expect(error.message).toMatch(/the access token cannot be sent/)
    expect(everythingIn(error)).not.toContain(secret)
    expect(server.requests).toHaveLength(0)
  })

  it('a token function returning such a token fails the same way, and the next call asks again', async () => {
    const server = await serve((_request, res) => envelope(res, conversation()))
    let calls = 0
    const client = createChatClient({
      baseURL: server.baseURL,
      accessToken: () => (++calls === 1 ? `${secret}\n\nX: y` : secret),
    })
    const error = await failure(client.createConversation({ author }))
    expect(error.kind).toBe('validation')
    expect(everythingIn(error)).not.toContain(secret)
    await client.createConversation({ author })
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${secret}`])
  })

  it('trims the newline a token read with response.text() may end in', async () => {
    const server = await serve((_request, res) => envelope(res, conversation()))
    const client = createChatClient({ baseURL: server.baseURL, accessToken: async () => `  ${secret}\n` })
    await client.createConversation({ author })
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${secret}`)
  })

  it('a connection reset never shows the token', async () => {
    const server = await serve((_request, res) => res.socket?.destroy())
    const client = createChatClient({ baseURL: server.baseURL, accessToken: secret })
    const error = await failure(client.createConversation({ author }))
    expect(error.kind).toBe('network')
    expect(everythingIn(error)).not.toContain(secret)
  })
})

describe('429 says when to come back', () => {
  it('carries Retry-After in seconds, from delay-seconds or an HTTP date', async () => {
    const later = new Date(Date.now() + 120_000).toUTCString()
    let answers = 0
    const server = await serve((_request, res) => {
      res.writeHead(429, { 'retry-after': ++answers === 1 ? '7' : later, 'content-type': 'text/plain' })
      res.end('slow down')
    })
    const client = createChatClient({ baseURL: server.baseURL })
    const seconds = await failure(client.getConversation(7))
    expect(seconds).toMatchObject({ kind: 'http', status: 429, retryAfter: 7 })
    const date = await failure(client.getConversation(7))
    expect(date.retryAfter).toBeGreaterThanOrEqual(118)
    expect(date.retryAfter).toBeLessThanOrEqual(120)
  })

  it('query retries wait at least that long', async () => {
    const server = await serve((_request, res) => {
      res.writeHead(429, { 'retry-after': '45' })
      res.end()
    })
    const client = createChatClient({ baseURL: server.baseURL })
    const error = await failure(client.getConversation(7))
    const options = conversationQueryOptions(client, 7)
    const retryDelay = options.retryDelay as (count: number, error: ChatApiError) => number
    expect(retryDelay(0, error)).toBe(45_000)
    expect(retryDelay(0, { ...error, retryAfter: undefined } as ChatApiError)).toBe(1000)
  })
})
