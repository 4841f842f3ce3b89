import { type ChatApiError, type CreateConversationInput, createChatClient } from 'socialboards-chat-react'
import { describe, expect, it } from 'vitest'
import { api, baseURL, token } from './support/mock-server'

const author = { name: 'John', email: 'john@dow.com' }
const client = () => createChatClient({ baseURL, accessToken: token })

async function rejection(input: unknown) {
  const error = (await client()
    .createConversation(input as CreateConversationInput)
    .catch((reason: unknown) => reason)) as ChatApiError
  expect(error.kind).toBe('validation')
  expect(api.requests).toHaveLength(0)
  return error
}

// [what is wrong, input, the path the issue must name]
const invalid: [string, unknown, string][] = [
  ['no input', undefined, ''],
  ['an array as input', [author], ''],
  ['a string as input', 'hello', ''],
  ['no author', { title: 'x' }, 'author'],
  ['a null author', { author: null }, 'author'],
  ['an author that is a string', { author: 'john@dow.com' }, 'author'],
  ['an author with no identifier', { author: { name: 'John' } }, 'author'],
  ['an author with an empty email only', { author: { email: '' } }, 'author.email'],
  ['isBot false and no identifier', { author: { name: 'John', isBot: false } }, 'author'],
  ['an id that is not a GUID', { author: { id: '12345' } }, 'author.id'],
  ['an id that is a number', { author: { id: 12345 } }, 'author.id'],
  ['an email without @', { author: { email: 'john.dow.com' } }, 'author.email'],
  ['an email with two @', { author: { email: 'john@dow@com' } }, 'author.email'],
  ['an email with nothing before the @', { author: { email: '@dow.com' } }, 'author.email'],
  ['an email with nothing after the @', { author: { email: 'john@' } }, 'author.email'],
  ['an email with spaces', { author: { email: 'john doe@dow.com' } }, 'author.email'],
  ['an email with a trailing space', { author: { email: 'john@dow.com ' } }, 'author.email'],
  ['an email that is a number', { author: { email: 42 } }, 'author.email'],
  ['a blank customIdentifier', { author: { customIdentifier: '   ' } }, 'author.customIdentifier'],
  ['a customIdentifier that is a number', { author: { customIdentifier: 12345 } }, 'author.customIdentifier'],
  ['an empty image', { author: { ...author, image: '' } }, 'author.image'],
  ['a blank image', { author: { ...author, image: ' \t ' } }, 'author.image'],
  ['an image that is a number', { author: { ...author, image: 1 } }, 'author.image'],
  ['an image that is an object', { author: { ...author, image: { src: '/a.png' } } }, 'author.image'],
  ['an image over 2,048 characters', { author: { ...author, image: `/${'a'.repeat(2048)}` } }, 'author.image'],
  ['a name that is a number', { author: { ...author, name: 7 } }, 'author.name'],
  ['isBot as a string', { author: { ...author, isBot: 'yes' } }, 'author.isBot'],
  ['a title that is a number', { author, title: 12 }, 'title'],
  ['an empty page URL', { author, url: '' }, 'url'],
  ['a blank page URL', { author, url: '   ' }, 'url'],
  ['a page URL over 2,048 characters', { author, url: `https://a.example/${'x'.repeat(2031)}` }, 'url'],
  ['a page URL that is an object', { author, url: { href: 'https://thejohndow.com' } }, 'url'],
  ['a null page URL', { author, url: null }, 'url'],
  ['an empty sentiment', { author, sentiment: '' }, 'sentiment'],
  ['a blank sentiment', { author, sentiment: '  ' }, 'sentiment'],
  ['a numeric sentiment', { author, sentiment: 1 }, 'sentiment'],
  ['a fractional categoryId', { author, categoryId: 15.5 }, 'categoryId'],
  ['a string categoryId', { author, categoryId: '1505' }, 'categoryId'],
  ['a NaN categoryId', { author, categoryId: Number.NaN }, 'categoryId'],
  ['isBotEnabled as a string', { author, isBotEnabled: 'true' }, 'isBotEnabled'],
  ['fields that are an object', { author, fields: { id: 1, value: 'x' } }, 'fields'],
  ['a field that is a string', { author, fields: ['x'] }, 'fields[0]'],
  ['a field without id', { author, fields: [{ value: 'Oslo' }] }, 'fields[0].id'],
  ['a field with a string id', { author, fields: [{ id: '42623', value: 'Oslo' }] }, 'fields[0].id'],
  ['a field with a numeric value', { author, fields: [{ id: 42623, value: 5 }] }, 'fields[0].value'],
  ['a second field without value', { author, fields: [{ id: 1, value: 'a' }, { id: 2 }] }, 'fields[1].value'],
]

describe('createConversation input validation', () => {
  it.each(invalid)('refuses %s before sending, naming the field', async (_what, input, path) => {
    const error = await rejection(input)
    expect(error.issues?.map((issue) => issue.path)).toContain(path)
    expect(error.message).toMatch(/^\[POST\] chat\/conversations: invalid input: /)
  })

  it('reports every issue at once, not just the first', async () => {
    const error = await rejection({
      author: { id: 'nope', email: 'nope', image: '' },
      url: ' ',
      categoryId: 'nope',
      sentiment: 3,
    })
    expect(error.issues?.map((issue) => issue.path)).toEqual([
      'author.id',
      'author.email',
      'author.image',
      'url',
      'sentiment',
      'categoryId',
    ])
    expect(error.message).toContain('author.email must be an email address')
  })

  it.each<[string, CreateConversationInput]>([
    ['an email', { author: { email: 'john@dow.com' } }],
    ['a GUID id', { author: { id: 'CA4BE988-cc85-4c35-94a4-8558e30c1dd3' } }],
    ['a custom identifier', { author: { name: 'John', customIdentifier: 'CUS-12345' } }],
    ['a bot author and no identifier', { author: { isBot: true } }],
    [
      'every optional field',
      {
        author: { ...author, image: 'https://cdn.example.com/a.png', isBot: false },
        title: 'T',
        url: 'http://localhost:3000/help?x=1',
        sentiment: 'complaint',
        categoryId: null,
        fields: [{ id: 42623, value: 'Oslo' }],
        isBotEnabled: true,
      },
    ],
    ['null sentiment and image', { author: { ...author, image: null }, sentiment: null }],
    // The reference types `url` and `image` as strings and gives no syntax: what the server might take passes.
    ['a relative page URL and image', { author: { ...author, image: '/avatar.png' }, url: '/pricing' }],
    ['a page URL without a scheme', { author, url: 'thejohndow.com' }],
    [
      'an ftp page URL and a data: image',
      { author: { ...author, image: 'data:image/png;base64,iVBO' }, url: 'ftp://x' },
    ],
    ['a page URL of exactly 2,048 characters', { author, url: `https://a.example/${'x'.repeat(2030)}` }],
    ['a page URL padded with spaces', { author, url: ' /pricing ' }],
    // One @, no spaces, text on both sides: a host without a dot is an address too.
    ['an email at localhost', { author: { email: 'user@localhost' } }],
    ['an email with a plus and subdomains', { author: { email: 'ada+chat@mail.example.co.uk' } }],
  ])('accepts an author with %s', async (_what, input) => {
    await expect(client().createConversation(input)).resolves.toMatchObject({ id: expect.any(Number) })
    expect(api.requests[0]?.body).toEqual(input)
  })
})
