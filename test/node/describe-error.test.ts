import { createServer } from 'node:net'
import {
  CHAT_API_ERROR_CODES,
  ChatApiError,
  type ChatApiErrorCode,
  createChatClient,
  describeError,
  describeIssue,
  type ErrorCatalog,
  errorCatalogEn,
  errorCatalogNb,
  VALIDATION_ISSUE_CODES,
  type ValidationIssue,
  type ValidationIssueCode,
} from 'socialboards-chat-react/core'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { errorText, offersNewChat } from '../../examples/error-words'
import {
  validateCreateConversationInput,
  validateFeedback,
  validateLatestUrl,
  validateMessages,
  validateTakeover,
} from '../../src/core/validate'
import { startServer } from './http-server'

const CATALOGS = { en: errorCatalogEn, nb: errorCatalogNb }
const author = { name: 'Ada', email: 'ada@example.com' }

// Values every text might name, so a function text shows what it builds.
const ISSUE_SAMPLES = [{}, { min: 1 }, { max: 40 }, { min: 1, max: 40 }, { allowed: ['a', 'b'] }]
const ERROR_SAMPLES = [{}, { retryAfter: 1 }, { retryAfter: 30 }, { retryAfter: 3600 }]

/** Every text of a catalog, built with each sample of the values it may name. */
function everyText(catalog: ErrorCatalog): { code: string; text: string }[] {
  const build = (text: unknown, values: object) => (typeof text === 'function' ? text(values) : text)
  return [
    ...CHAT_API_ERROR_CODES.flatMap((code) =>
      ERROR_SAMPLES.map((values) => ({ code, text: build(catalog.errors[code], values) })),
    ),
    ...VALIDATION_ISSUE_CODES.flatMap((code) =>
      Object.values(catalog.fields).flatMap((field) =>
        ISSUE_SAMPLES.map((values) => ({ code, text: build(catalog.issues[code], { field, ...values }) })),
      ),
    ),
    { code: 'unknown', text: catalog.unknown },
  ]
}

describe('the catalogs', () => {
  it('the code tuples list exactly the code unions', () => {
    expectTypeOf<(typeof CHAT_API_ERROR_CODES)[number]>().toEqualTypeOf<ChatApiErrorCode>()
    expectTypeOf<(typeof VALIDATION_ISSUE_CODES)[number]>().toEqualTypeOf<ValidationIssueCode>()
    expect(new Set(CHAT_API_ERROR_CODES).size).toBe(CHAT_API_ERROR_CODES.length)
    expect(new Set(VALIDATION_ISSUE_CODES).size).toBe(VALIDATION_ISSUE_CODES.length)
  })

  it.each(Object.entries(CATALOGS))('%s has a sentence for every error code and issue code', (_, catalog) => {
    expect(Object.keys(catalog.errors).sort()).toEqual([...CHAT_API_ERROR_CODES].sort())
    expect(Object.keys(catalog.issues).sort()).toEqual([...VALIDATION_ISSUE_CODES].sort())
    for (const { code, text } of everyText(catalog)) {
      expect(typeof text, code).toBe('string')
      // A whole sentence: starts with a capital, ends with a full stop, nothing left unfilled.
      expect(text, code).toMatch(/^[A-ZÆØÅ].*[.]$/)
      expect(text, code).not.toMatch(/undefined|NaN|\$\{|\[object/)
    }
  })

  it('the Norwegian texts are not the English ones', () => {
    const english = new Set(everyText(errorCatalogEn).map(({ text }) => text))
    const same = everyText(errorCatalogNb).filter(({ text }) => english.has(text))
    expect(same).toEqual([])
  })

  it.each(Object.entries(CATALOGS))('%s never shows a visitor log-line material', (_, catalog) => {
    const STATUS_TEXTS =
      /HTTP|API error|errorCode|Bad Request|Unauthorized|Forbidden|Not Found|Conflict|Payload Too Large|Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout/i
    for (const { code, text } of everyText(catalog)) {
      expect(text, code).not.toMatch(STATUS_TEXTS)
      expect(text, code).not.toMatch(/https?:|www\.|\/[a-z]|\b[a-z]+\/[a-z]+\b|\[(GET|POST|PATCH|PUT|DELETE)\]/i)
      // No status code: no three-digit number from 100 to 599 unless a sample value put it there.
      expect(text.replace(/3600|40/g, ''), code).not.toMatch(/\b[1-5]\d\d\b/)
    }
  })

  it('a catalog that misses a code does not compile', () => {
    const { network: _dropped, ...errors } = errorCatalogEn.errors
    // @ts-expect-error: `network` is missing
    const partial: ErrorCatalog = { ...errorCatalogEn, errors }
    expect(Object.keys(partial.errors)).not.toContain('network')
  })
})

describe('describeError on what a real server answers', () => {
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()))
  })

  /** The error a read gets when the server answers `status` with `headers` and `body`. */
  async function errorFor(status: number, body = '', headers: Record<string, string> = {}) {
    const server = await startServer((_request, response) => {
      response.writeHead(status, headers)
      response.end(body)
    })
    closers.push(server.close)
    const client = createChatClient({ baseURL: server.baseURL, accessToken: 'token' })
    return (await client.getConversation(1).catch((error: unknown) => error)) as ChatApiError
  }

  it.each<[number, ChatApiErrorCode, string]>([
    [400, 'invalid-input', 'Some of what you entered could not be accepted'],
    [401, 'unauthorized', "We couldn't sign you in"],
    [403, 'forbidden', "This conversation can't be opened here"],
    [404, 'not-found', "We couldn't find this conversation"],
    [408, 'timeout', 'taking too long'],
    [409, 'conflict', "can't be done right now"],
    [413, 'too-large', 'too much to send at once'],
    [418, 'refused', "couldn't accept this"],
    [429, 'rate-limited', 'Please wait a moment'],
    [500, 'server-error', 'Something went wrong on our side'],
    [502, 'unavailable', "isn't available right now"],
    [503, 'unavailable', 'try again in a few minutes'],
    [504, 'timeout', 'taking too long'],
  ])('HTTP %i is %s, in words without the status', async (status, code, words) => {
    const body = JSON.stringify({ data: null, errorCode: status, errorText: 'This conversation is not yours' })
    const error = await errorFor(status, body, { 'content-type': 'application/json' })
    expect(error.code).toBe(code)
    expect(error.message).toContain(`HTTP ${status}`)
    const text = describeError(error)
    expect(text).toContain(words)
    expect(text).not.toContain(String(status))
    expect(text).not.toContain('not yours')
  })

  it("a 429's and a 503's Retry-After is in the words", async () => {
    expect(describeError(await errorFor(429, '', { 'retry-after': '20' }))).toBe(
      "You're going a bit fast. Please wait 20 seconds and try again.",
    )
    const busy = await errorFor(503, '', { 'retry-after': '120' })
    expect(describeError(busy)).toBe("The chat isn't available right now. Please try again in 2 minutes.")
    expect(describeError(busy, { locale: 'nb', messages: { nb: errorCatalogNb } })).toBe(
      'Chatten er ikke tilgjengelig akkurat nå. Prøv igjen om 2 minutter.',
    )
  })

  it('an error envelope is refused (its errorCode stays raw), a body that is not one is unexpected', async () => {
    const refused = await errorFor(200, JSON.stringify({ data: null, errorCode: 17, errorText: 'Category 1505' }))
    expect(refused).toMatchObject({ kind: 'api', code: 'refused', errorCode: 17 })
    expect(describeError(refused)).toBe("The chat couldn't accept this. Please try again later.")
    const html = await errorFor(200, '<html>oops</html>', { 'content-type': 'text/html' })
    expect(html).toMatchObject({ kind: 'parse', code: 'unexpected-response' })
  })

  it('no answer is network; no answer in time is timeout; a cancelled call is aborted', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as { port: number }
    await new Promise((resolve) => closed.close(resolve))
    const offline = createChatClient({ baseURL: `http://127.0.0.1:${port}/`, accessToken: 'token' })
    const network = (await offline.getConversation(1).catch((error: unknown) => error)) as ChatApiError
    expect(network.code).toBe('network')
    expect(describeError(network)).toBe("We can't reach the chat. Please check your connection and try again.")

    const silent = await startServer(() => {})
    closers.push(silent.close)
    const slow = createChatClient({ baseURL: silent.baseURL, accessToken: 'token', timeout: 50 })
    expect(await slow.getConversation(1).catch((error: ChatApiError) => error.code)).toBe('timeout')
    const cancelled = slow.getConversation(1, { signal: AbortSignal.abort() })
    expect(await cancelled.catch((error: ChatApiError) => error.code)).toBe('aborted')
  })

  it('an access token that cannot be sent is unauthorized, never quoted', async () => {
    const client = createChatClient({ baseURL: 'http://127.0.0.1:9/', accessToken: () => 'bad\ntoken' })
    const error = (await client.getConversation(1).catch((thrown: unknown) => thrown)) as ChatApiError
    expect(error).toMatchObject({ kind: 'validation', code: 'unauthorized' })
    expect(error.issues).toEqual([expect.objectContaining({ path: 'accessToken', code: 'token' })])
    expect(describeError(error)).toBe("We couldn't sign you in to the chat. Please reload the page and try again.")
  })
})

describe('describeError on validation errors', () => {
  const client = createChatClient({ baseURL: 'http://127.0.0.1:9/', accessToken: 'token' })
  const refusal = (promise: Promise<unknown>) => promise.catch((error: unknown) => error) as Promise<ChatApiError>

  it('names the visitor fields in their words, each problem once, in the chosen language', async () => {
    const error = await refusal(
      client.addMessages(1, [
        { message: ' ', author: { name: 'Ada', email: 'ada(at)example.com' } },
        { message: '', author: { name: 'Ada', email: 'ada(at)example.com' } },
      ]),
    )
    expect(error.code).toBe('invalid-input')
    expect(describeError(error)).toBe(
      "Your message can't be empty. Please enter an email address like name@example.com.",
    )
    expect(describeError(error, { locale: ['de-DE', 'nb-NO'], messages: { nb: errorCatalogNb } })).toBe(
      'Skriv inn meldingen din. Feltet kan ikke stå tomt. Skriv inn en e-postadresse som navn@eksempel.no.',
    )
    expect(describeError(error)).not.toContain('messages[0]')
  })

  it('a visitor with no way to reach them is asked for an email address', async () => {
    const error = await refusal(client.createConversation({ author: { name: 'Ada' } }))
    expect(error.issues).toEqual([expect.objectContaining({ path: 'author', code: 'identifier' })])
    expect(describeError(error)).toBe('Please enter your email address so we can reach you.')
  })

  it("a rule the visitor cannot break (the app's mistake) gets the general text", async () => {
    const error = await refusal(client.createConversation({ author, categoryId: 1.5 }))
    expect(error.issues).toEqual([expect.objectContaining({ path: 'categoryId', code: 'integer' })])
    expect(describeError(error)).toBe(errorCatalogEn.errors['invalid-input'])
    expect(describeError(error)).not.toContain('categoryId')
  })

  it("the visitor routes' refusal with an access token (issue code 'format') has visitor text in both languages", async () => {
    // `listMyConversations` is the server half's route: with a token (the Chat API itself) it is refused unsent.
    const error = await refusal(client.listMyConversations())
    expect(error).toMatchObject({ kind: 'validation', code: 'invalid-input' })
    expect(error.issues).toEqual([expect.objectContaining({ path: 'accessToken', code: 'format' })])
    // The issue code has a sentence in each catalog ...
    for (const catalog of Object.values(CATALOGS)) expect(typeof catalog.issues.format).toBe('function')
    // ... but the field is not one a visitor fills in (the app's set-up): the general text, never the path or the log.
    expect(describeError(error)).toBe(errorCatalogEn.errors['invalid-input'])
    expect(describeError(error, { locale: 'nb', messages: CATALOGS })).toBe(errorCatalogNb.errors['invalid-input'])
    for (const issue of error.issues ?? [])
      for (const locale of ['en', 'nb'])
        expect(describeIssue(issue, { locale, messages: CATALOGS })).not.toMatch(/accessToken|server half|format/i)
  })

  it('describeIssue words one issue for a form field, with the values its rule names', () => {
    const tooLong: ValidationIssue = { path: 'title', code: 'too-long', max: 2048, message: 'must be …' }
    expect(describeIssue(tooLong)).toBe('The subject is too long (at most 2048 characters).')
    expect(
      describeIssue({ path: 'author.name', code: 'string', message: '' }, { locale: 'nb', messages: CATALOGS }),
    ).toBe('Navnet ditt må være tekst.')
    expect(describeIssue({ path: 'skip', code: 'integer', min: 0, message: '' })).toBe(
      errorCatalogEn.errors['invalid-input'],
    )
  })
})

describe('choosing a catalog', () => {
  const closed = new ChatApiError('validation', 'addMessages: closed', { code: 'conversation-closed' })

  it('English by default, the first locale with a catalog, `en` replaced by the app', () => {
    expect(describeError(closed)).toBe('This chat has ended. Start a new chat to write to us again.')
    expect(describeError(closed, { locale: 'nb' })).toBe(describeError(closed))
    expect(describeError(closed, { locale: 'NB-no', messages: CATALOGS })).toBe(
      'Denne chatten er avsluttet. Start en ny chat for å skrive til oss igjen.',
    )
    expect(describeError(closed, { locale: ['sv', 'en-GB', 'nb'], messages: CATALOGS })).toBe(describeError(closed))
    const en = { ...errorCatalogEn, errors: { ...errorCatalogEn.errors, 'conversation-closed': 'Chat over.' } }
    expect(describeError(closed, { messages: { en } })).toBe('Chat over.')
  })

  it('anything that is not a ChatApiError gets the general text, never its message', () => {
    for (const thrown of [new Error('ECONNRESET at 10.0.0.1'), 'boom', null, undefined, { message: 'x' }])
      expect(describeError(thrown)).toBe('Something went wrong. Please try again.')
    expect(describeError(new TypeError('x'), { locale: 'nb', messages: CATALOGS })).toBe('Noe gikk galt. Prøv igjen.')
  })

  it('an error made before codes existed (another copy of the library) is classified by kind and status', () => {
    const old = Object.assign(new ChatApiError('http', 'x', { status: 429 }), {})
    Object.defineProperty(old, 'code', { value: undefined })
    expect(describeError(old)).toContain("You're going a bit fast")
  })
})

describe('every issue the checks make has a code', () => {
  it.each<[string, () => ValidationIssue[]]>([
    [
      'create',
      () =>
        validateCreateConversationInput({
          author: { id: 'x', email: 5, customIdentifier: ' ', image: '', isBot: 1 },
          title: 1,
          url: 'x'.repeat(3000),
          sentiment: '',
          categoryId: 'a',
          isBotEnabled: 'y',
          fields: [null, { value: 1 }, { id: 1.5, value: 'v' }],
        }),
    ],
    ['create, not an object', () => validateCreateConversationInput('x')],
    [
      'messages',
      () =>
        validateMessages([
          null,
          { message: 1, author: null, creationTime: 'soon', isByTeam: 'x' },
          { message: 'hi', author, creationTime: '2999-01-01T00:00:00Z' },
        ]),
    ],
    ['no messages', () => validateMessages([])],
    ['takeover', () => validateTakeover({ assigneeId: 'x' })],
    ['feedback', () => validateFeedback({ text: 5 })],
    ['latest url', () => validateLatestUrl(undefined)],
  ])('%s', (_, check) => {
    const issues = check()
    expect(issues.length).toBeGreaterThan(0)
    for (const issue of issues) expect(VALIDATION_ISSUE_CODES, `${issue.path} ${issue.message}`).toContain(issue.code)
  })
})

describe("the README's example (examples/error-words.ts)", () => {
  it("uses the app's English wording, Norwegian for a Norwegian visitor, and decides by code", () => {
    const offline = new ChatApiError('network', '[GET] chat/conversations/1: network error (ECONNREFUSED)')
    expect(errorText(offline)).toBe('You seem to be offline. Your message waits until you are back.')
    expect(errorText(offline, ['nb-NO', 'en'])).toBe(
      'Vi får ikke kontakt med chatten. Sjekk nettforbindelsen og prøv igjen.',
    )
    expect(offersNewChat(new ChatApiError('validation', 'x', { code: 'conversation-closed' }))).toBe(true)
    expect(offersNewChat(offline)).toBe(false)
  })
})
