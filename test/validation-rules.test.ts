// The input rules say what the API says and no more: wrong types are refused with their path,
// values the server might accept are not (decisions.md: `url`, `author.image`, email).
import { type ChatApiError, createChatClient } from 'socialboards-chat-react'
import { describe, expect, it } from 'vitest'
import type { ValidationIssue } from '../src/core/errors'
import { checkUrl, validateCreateConversationInput, validateLatestUrl, validateMessages } from '../src/core/validate'
import { failure } from './support/failure'
import { api, baseURL, token } from './support/mock-server'

const author = { name: 'Ada', email: 'ada@example.com' }
const client = () => createChatClient({ baseURL, accessToken: token })
const paths = (issues: { path: string }[]) => issues.map((issue) => issue.path)

async function refused(call: Promise<unknown>): Promise<ChatApiError> {
  const error = await failure(call)
  expect(error.kind).toBe('validation')
  expect(api.requests).toHaveLength(0)
  return error
}

describe('the email rule: one @, no spaces, text on both sides', () => {
  it.each([
    'user@localhost',
    'john@dow.com',
    'ada+chat@mail.example.co.uk',
    "o'brien@example.ie",
    'x@y',
    'ada@[127.0.0.1]',
  ])('accepts %s', (email) => {
    expect(validateCreateConversationInput({ author: { email } })).toEqual([])
  })

  it.each([
    ['no @', 'john.dow.com'],
    ['two @', 'john@dow@com'],
    ['nothing before the @', '@dow.com'],
    ['nothing after the @', 'john@'],
    ['a space', 'john doe@dow.com'],
    ['a tab', 'john\t@dow.com'],
    ['a trailing newline', 'john@dow.com\n'],
    ['an empty string', ''],
  ])('refuses an address with %s, at author.email', (_what, email) => {
    const issues = validateCreateConversationInput({ author: { name: 'x', email } })
    expect(paths(issues)).toContain('author.email')
  })

  it('sends user@localhost as given, and the mock stores it', async () => {
    const created = await client().createConversation({ author: { email: 'user@localhost' } })
    expect(created.author.email).toBe('user@localhost')
    expect(api.requests[0]?.body).toEqual({ author: { email: 'user@localhost' } })
  })
})

describe('url and author.image: any non-blank string up to 2,048 characters', () => {
  const long = (length: number) => `/${'p'.repeat(length - 1)}`

  it.each([
    ['a relative path', '/pricing'],
    ['a bare host', 'thejohndow.com'],
    ['another scheme', 'ftp://files.example/a'],
    ['a data: URI', 'data:image/png;base64,iVBORw0KGgo='],
    ['surrounding spaces', '  /pricing  '],
    ['2,048 characters', long(2048)],
    ['2,048 characters once trimmed', ` ${long(2048)} `],
  ])('accepts %s', (_what, value) => {
    expect(validateCreateConversationInput({ author: { ...author, image: value }, url: value })).toEqual([])
    expect(validateLatestUrl(value)).toEqual([])
  })

  it.each([
    ['an empty string', ''],
    ['only whitespace', ' \n\t '],
    ['2,049 characters', long(2049)],
    ['a number', 42],
    ['an object', { href: '/pricing' }],
    ['an array', ['/pricing']],
    ['true', true],
  ])('refuses %s at its path', (_what, value) => {
    const issues = validateCreateConversationInput({ author: { ...author, image: value }, url: value })
    expect(paths(issues)).toEqual(['author.image', 'url'])
    expect(paths(validateLatestUrl(value))).toEqual(['url'])
  })

  it('lets image be null, and refuses a null url (typed string, not nullable)', () => {
    expect(validateCreateConversationInput({ author: { ...author, image: null } })).toEqual([])
    expect(paths(validateCreateConversationInput({ author, url: null }))).toEqual(['url'])
    expect(paths(validateLatestUrl(null))).toEqual(['url'])
    expect(validateLatestUrl(undefined)).toEqual([{ path: 'url', code: 'required', message: 'is required' }])
  })

  it('says what is wrong in words', () => {
    const issues: ValidationIssue[] = []
    checkUrl(issues, '', 'url', false)
    checkUrl(issues, 7, 'author.image', true)
    expect(issues).toEqual([
      { path: 'url', code: 'blank', max: 2048, message: 'must be a non-blank string of at most 2048 characters' },
      {
        path: 'author.image',
        code: 'string',
        max: 2048,
        message: 'must be a non-blank string of at most 2048 characters',
      },
    ])
  })

  it('sends a relative page URL and image unchanged, through the client and the mock', async () => {
    const chat = client()
    const input = { author: { ...author, image: '/avatars/ada.png' }, url: '/pricing' }
    const created = await chat.createConversation(input)
    expect(created).toMatchObject({ initialPageUrl: '/pricing', author: { image: '/avatars/ada.png' } })
    await chat.updateLatestUrl(created.id, '/checkout')
    expect(api.conversations()[0]?.latestPageUrl).toBe('/checkout')
    expect(api.requests.map((request) => request.body)).toEqual([input, { url: '/checkout' }])
  })

  it('refuses a blank latest URL before sending', async () => {
    const error = await refused(client().updateLatestUrl(254626, '   '))
    expect(paths(error.issues ?? [])).toEqual(['url'])
  })
})

describe('values that are not what the API types them as are refused with their path', () => {
  const message = (extra: Record<string, unknown>) => [{ message: 'Hi', author, ...extra }]

  // The rules themselves, on any value a caller can hand them.
  it.each<[string, unknown, string]>([
    ['a Symbol', Symbol('Ada'), 'author.name'],
    ['a function', () => 'Ada', 'author.name'],
    ['a BigInt', 10n, 'author.name'],
    ['NaN', Number.NaN, 'author.name'],
    ['Infinity', Number.POSITIVE_INFINITY, 'author.name'],
    ['an invalid Date', new Date(Number.NaN), 'author.name'],
    ['an object', { first: 'Ada' }, 'author.name'],
  ])('the create rules refuse %s as author.name', (_what, name, path) => {
    expect(paths(validateCreateConversationInput({ author: { ...author, name } }))).toEqual([path])
  })

  it.each<[string, unknown]>([
    ['a Symbol', Symbol('now')],
    ['a function', () => '2024-05-01T10:00:00Z'],
    ['a BigInt', 1714557600000n],
    ['NaN', Number.NaN],
    ['Infinity', Number.NEGATIVE_INFINITY],
    ['an invalid Date', new Date('not a date')],
    ['a valid Date object', new Date('2024-05-01T10:00:00Z')],
    ['a number of milliseconds', 1714557600000],
    ['an object', { iso: '2024-05-01T10:00:00Z' }],
  ])('the message rules refuse %s as creationTime', (_what, creationTime) => {
    expect(paths(validateMessages(message({ creationTime }), Date.now()))).toEqual(['messages[0].creationTime'])
  })

  it('names the type it got', () => {
    const issues = validateCreateConversationInput({
      author: { ...author, name: Symbol('x') },
      title: 10n,
      url: () => '/',
    })
    expect(issues.map((issue) => `${issue.path} ${issue.message}`)).toEqual([
      'author.name must be a string, got a symbol',
      'title must be a string, got a bigint',
      'url must be a non-blank string of at most 2048 characters',
    ])
  })

  // Through the client: what JSON would drop or change is refused before anything is sent.
  it.each<[string, () => Promise<unknown>, string]>([
    ['a BigInt categoryId', () => client().createConversation({ author, categoryId: 10n as never }), 'categoryId'],
    ['a NaN categoryId', () => client().createConversation({ author, categoryId: Number.NaN }), 'categoryId'],
    [
      'an Infinity field id',
      () => client().createConversation({ author, fields: [{ id: Number.POSITIVE_INFINITY, value: 'x' }] }),
      'fields[0].id',
    ],
    [
      'an object as author.name',
      () => client().createConversation({ author: { ...author, name: {} as never } }),
      'author.name',
    ],
    [
      'NaN as author.email',
      () => client().createConversation({ author: { email: Number.NaN as never } }),
      'author.email',
    ],
    [
      'an object as a message',
      () => client().addMessages(254626, [{ message: {} as never, author }]),
      'messages[0].message',
    ],
    [
      'a Symbol as a message',
      () => client().addMessages(254626, [{ message: Symbol('x') as never, author }]),
      'messages[0].message',
    ],
  ])('the client refuses %s before sending', async (_what, call, path) => {
    const error = await refused(call())
    expect(paths(error.issues ?? [])).toContain(path)
  })

  // JSON.stringify would drop a Symbol or a function and turn an invalid Date into null: the body
  // snapshot refuses them instead, so the visitor's input is never sent as something else.
  it.each<[string, () => Promise<unknown>, string]>([
    [
      'a Symbol as author.name',
      () => client().createConversation({ author: { ...author, name: Symbol('Ada') as never } }),
      'author.name',
    ],
    [
      'a function as author.name',
      () => client().createConversation({ author: { ...author, name: (() => 'Ada') as never } }),
      'author.name',
    ],
    ['a function as title', () => client().createConversation({ author, title: (() => 'x') as never }), 'title'],
    [
      'an invalid Date as creationTime',
      () => client().addMessages(254626, message({ creationTime: new Date(Number.NaN) }) as never),
      'messages[0].creationTime',
    ],
  ])('the client refuses %s before sending (needs the snapshot change)', async (_what, call, path) => {
    const error = await refused(call())
    expect(paths(error.issues ?? [])).toContain(path)
  })
})
