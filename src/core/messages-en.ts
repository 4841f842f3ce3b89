// The built-in English texts for visitors: one per error code and issue code.
import type { ErrorCatalog, IssueTextValues } from './describe'

const upper = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** `"5 seconds"`, `"2 minutes"`: a wait as a visitor reads it. */
const wait = (seconds: number) => {
  const [count, unit] = seconds < 90 ? [seconds, 'second'] : [Math.ceil(seconds / 60), 'minute']
  return `${count} ${unit}${count === 1 ? '' : 's'}`
}

const range = ({ min, max }: IssueTextValues) =>
  min !== undefined && max !== undefined
    ? ` from ${min} to ${max}`
    : min !== undefined
      ? ` of at least ${min}`
      : max !== undefined
        ? ` of at most ${max}`
        : ''

const unreadable = ({ field }: IssueTextValues) => `We couldn't read ${field}.`
const format = ({ field }: IssueTextValues) => `${upper(field)} is not in the right format.`
const signIn = "We couldn't sign you in to the chat. Please reload the page and try again."

/**
 * The built-in English catalog, used when no other fits. Spread it to change some texts:
 * `{ ...errorCatalogEn, errors: { ...errorCatalogEn.errors, network: '…' } }`.
 */
export const errorCatalogEn: ErrorCatalog = {
  errors: {
    'invalid-input': 'Some of what you entered could not be accepted. Please check it and try again.',
    network: "We can't reach the chat. Please check your connection and try again.",
    timeout: 'The chat is taking too long to answer. Please try again.',
    aborted: 'This was cancelled.',
    unauthorized: signIn,
    forbidden: "This conversation can't be opened here. Please start a new chat.",
    'not-found': "We couldn't find this conversation. Please start a new chat.",
    'no-conversation': "There's no chat yet. Write a message to start one.",
    'conversation-closed': 'This chat has ended. Start a new chat to write to us again.',
    conflict: "That can't be done right now. Please try again in a moment.",
    'too-large': 'That is too much to send at once. Please send a shorter message.',
    'rate-limited': ({ retryAfter }) =>
      `You're going a bit fast. Please wait ${retryAfter ? wait(retryAfter) : 'a moment'} and try again.`,
    refused: "The chat couldn't accept this. Please try again later.",
    unavailable: ({ retryAfter }) =>
      `The chat isn't available right now. Please try again in ${retryAfter ? wait(retryAfter) : 'a few minutes'}.`,
    'server-error': 'Something went wrong on our side. Please try again in a moment.',
    'unexpected-response': "We got an answer we couldn't read. Please try again.",
  },
  issues: {
    required: ({ field }) => `Please enter ${field}.`,
    blank: ({ field }) => `${upper(field)} can't be empty.`,
    string: ({ field }) => `${upper(field)} must be text.`,
    boolean: ({ field }) => `Please choose yes or no for ${field}.`,
    integer: (values) => `${upper(values.field)} must be a whole number${range(values)}.`,
    object: unreadable,
    array: unreadable,
    'too-long': ({ field, max }) => `${upper(field)} is too long${max ? ` (at most ${max} characters)` : ''}.`,
    email: 'Please enter an email address like name@example.com.',
    url: ({ field }) => `${upper(field)} must be a full web address.`,
    guid: format,
    date: ({ field }) => `${upper(field)} must be a date and time.`,
    future: "Your device's clock seems to be ahead. Please check it and try again.",
    'one-of': ({ field }) => `Please choose one of the offered options for ${field}.`,
    identifier: 'Please enter your email address so we can reach you.',
    json: ({ field }) => `We couldn't send ${field}.`,
    unreadable,
    token: signIn,
    format,
  },
  fields: {
    name: 'your name',
    email: 'your email address',
    message: 'your message',
    title: 'the subject',
    author: 'your contact details',
  },
  unknown: 'Something went wrong. Please try again.',
}
