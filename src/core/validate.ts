// The reference's input rules, checked before anything is sent (the mock checks with the same code).
import type { ValidationIssue, ValidationIssueCode } from './errors'

// Input rules from the reference, checked before anything is sent. Each check reports every
// problem with its path; nothing here rewrites what the caller sent. Where the reference gives no
// syntax rule, the check says what the API says and no more (decisions.md): a wrong type is
// refused, a value the server might accept is not.

type Issues = ValidationIssue[]
type Fields = Record<string, unknown>

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// One `@`, no whitespace, something on both sides: `user@localhost` is an address.
const EMAIL = /^[^\s@]+@[^\s@]+$/

/** `true` for a plain object (not `null`, not an array): what a JSON object parses to. */
export const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * `true` for an absolute `http:` or `https:` URL with a host. For the library's own options (a
 * server's `apiBaseURL`, a client's `baseURL`), never for the API's `url` or `image` fields, which
 * the reference types as plain strings.
 */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return false
  try {
    return Boolean(new URL(value).host)
  } catch {
    return false
  }
}

// Numbers are shown as they are (`got 15.5`, `got NaN`): more helpful than their type.
const describe = (value: unknown) =>
  value === null || value === undefined || typeof value === 'number'
    ? String(value)
    : Array.isArray(value)
      ? 'an array'
      : `a ${typeof value}`

type Extra = Omit<ValidationIssue, 'path' | 'code' | 'message'>

/** Adds the issue `code` at `path` with the developer's `message` and the values the rule names. */
const add = (issues: Issues, path: string, code: ValidationIssueCode, message: string, extra?: Extra) => {
  issues.push({ path, code, message, ...extra })
}

/** The issue for a value at `path` that is not an object. */
const notObject = (issues: Issues, path: string, value: unknown) =>
  add(issues, path, 'object', `must be an object, got ${describe(value)}`)

/** Issues as one line for a message: `author.email must be …; url must be …`. */
export const describeIssues = (issues: ValidationIssue[]) =>
  issues.map((issue) => (issue.path ? `${issue.path} ${issue.message}` : issue.message)).join('; ')

/**
 * A string, or absent unless `required`. Anything else (a number, an object, a Symbol, a function,
 * a BigInt, `null`) is an issue at `path`. Returns whether it is a string, for further checks.
 */
export function checkString(issues: Issues, value: unknown, path: string, required = false): value is string {
  if (value === undefined && !required) return false
  if (typeof value !== 'string')
    add(issues, path, value === undefined ? 'required' : 'string', `must be a string, got ${describe(value)}`)
  return typeof value === 'string'
}

/** `true`, `false`, or absent unless `required`. */
export function checkBoolean(issues: Issues, value: unknown, path: string, required = false) {
  if ((value !== undefined || required) && typeof value !== 'boolean')
    add(issues, path, value === undefined ? 'required' : 'boolean', `must be true or false, got ${describe(value)}`)
}

/** A safe integer (never `NaN` or `Infinity`), absent, or `null` when `nullable`. */
export function checkInteger(issues: Issues, value: unknown, path: string, nullable: boolean) {
  if (value === undefined || (nullable && value === null)) return
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    issues.push({
      path,
      code: 'integer',
      message: `must be an integer${nullable ? ' or null' : ''}, got ${describe(value)}`,
    })
}

/**
 * A page or image URL (`url`, `author.image`, the latest page URL): absent, `null` when `nullable`,
 * or a string that is not blank and at most 2,048 characters once trimmed. The reference types
 * these as plain strings, so no syntax is required: a relative `/pricing` passes.
 */
export function checkUrl(issues: Issues, value: unknown, path: string, nullable: boolean) {
  if (value === undefined || (nullable && value === null)) return
  // 2,048: the project's cap (decisions.md); the reference gives none.
  const length = typeof value === 'string' ? value.trim().length : 0
  if (!length || length > 2048)
    issues.push({
      path,
      code: typeof value !== 'string' ? 'string' : length ? 'too-long' : 'blank',
      message: 'must be a non-blank string of at most 2048 characters',
      max: 2048,
    })
}

/** A GUID string, or absent. */
export function checkGuid(issues: Issues, value: unknown, path: string) {
  if (value !== undefined && (typeof value !== 'string' || !GUID.test(value)))
    add(issues, path, 'guid', 'must be a GUID')
}

/**
 * The "User value" rules: a string `name`, a GUID `id`, an `email` with one `@` and no spaces,
 * a non-blank `customIdentifier`, an `image` string (see {@link checkUrl}) or `null`, a boolean
 * `isBot`, and at least one identifier unless `isBot` is `true`.
 */
export function checkUserValue(issues: Issues, value: unknown, path: string) {
  if (!isObject(value))
    return value == null ? add(issues, path, 'required', 'is required') : notObject(issues, path, value)
  checkString(issues, value.name, `${path}.name`)
  checkGuid(issues, value.id, `${path}.id`)
  if (checkString(issues, value.email, `${path}.email`) && !EMAIL.test(value.email))
    add(issues, `${path}.email`, 'email', 'must be an email address')
  if (checkString(issues, value.customIdentifier, `${path}.customIdentifier`) && value.customIdentifier.trim() === '')
    add(issues, `${path}.customIdentifier`, 'blank', 'must not be blank')
  checkUrl(issues, value.image, `${path}.image`, true)
  checkBoolean(issues, value.isBot, `${path}.isBot`)
  const identified = [value.id, value.email, value.customIdentifier].some((v) => typeof v === 'string' && v !== '')
  if (value.isBot !== true && !identified)
    add(issues, path, 'identifier', 'needs an id, email or customIdentifier (or isBot: true)')
}

/** The issue for an input that is not an object. */
const notAnObject = (input: unknown): ValidationIssue[] => {
  const issues: Issues = []
  notObject(issues, '', input)
  return issues
}

/** Checks the body of "Create conversation". Returns every issue found; empty when valid. */
export function validateCreateConversationInput(input: unknown): ValidationIssue[] {
  const issues: Issues = []
  if (!isObject(input)) return notAnObject(input)
  checkUserValue(issues, input.author, 'author')
  checkString(issues, input.title, 'title')
  checkUrl(issues, input.url, 'url', false)
  const { sentiment, fields } = input
  if (sentiment != null && (typeof sentiment !== 'string' || sentiment.trim() === ''))
    issues.push({
      path: 'sentiment',
      code: typeof sentiment === 'string' ? 'blank' : 'string',
      message: 'must be a non-blank string or null',
    })
  checkInteger(issues, input.categoryId, 'categoryId', true)
  checkBoolean(issues, input.isBotEnabled, 'isBotEnabled')
  if (fields !== undefined && !Array.isArray(fields))
    add(issues, 'fields', 'array', `must be an array, got ${describe(fields)}`)
  else
    fields?.forEach((field: unknown, index: number) => {
      const path = `fields[${index}]`
      if (!isObject(field)) {
        notObject(issues, path, field)
        return
      }
      if (field.id === undefined) add(issues, `${path}.id`, 'required', 'is required')
      else checkInteger(issues, field.id, `${path}.id`, false)
      checkString(issues, field.value, `${path}.value`, true)
    })
  return issues
}

/** A conversation id: a positive integer. */
export function checkId(issues: Issues, value: unknown, path = 'id') {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    issues.push({ path, code: 'integer', min: 1, message: `must be a positive integer, got ${describe(value)}` })
}

/** How far ahead of "now" a message's `creationTime` may be (the server's documented rule). */
export const MAX_FUTURE_MS = 30_000

const ISO = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(?:Z|[+-](\d\d):(\d\d))$/

/**
 * Epoch milliseconds of an ISO-8601 time with an offset that names a real moment, else `NaN`.
 * Stricter than `Date.parse`, which rolls `2023-02-30` over to March 2.
 */
export function parseIsoTime(value: unknown): number {
  const parts = typeof value === 'string' ? ISO.exec(value) : null
  if (!parts) return Number.NaN
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = parts
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[]
  const daysInMonth = new Date(Date.UTC(year as number, month as number, 0)).getUTCDate()
  const real =
    (month as number) >= 1 &&
    (month as number) <= 12 &&
    (day as number) >= 1 &&
    (day as number) <= daysInMonth &&
    (hour as number) <= 23 &&
    (minute as number) <= 59 &&
    second <= 59 &&
    offsetHours <= 18 &&
    offsetMinutes <= 59
  return real ? Date.parse(value as string) : Number.NaN
}

/** The messages of "Add messages" and "Add message context": a non-empty array of messages. */
export function validateMessages(input: unknown, now: number = Date.now()): ValidationIssue[] {
  const issues: Issues = []
  if (!Array.isArray(input) || input.length === 0)
    return [
      {
        path: 'messages',
        code: Array.isArray(input) ? 'required' : 'array',
        message: 'must be a non-empty array of messages',
      },
    ]
  input.forEach((item, index) => {
    const path = `messages[${index}]`
    if (!isObject(item)) {
      notObject(issues, path, item)
      return
    }
    if (checkString(issues, item.message, `${path}.message`, true) && item.message.trim() === '')
      add(issues, `${path}.message`, 'blank', 'must not be empty')
    checkUserValue(issues, item.author, `${path}.author`)
    if (item.creationTime != null) {
      const time = parseIsoTime(item.creationTime)
      if (Number.isNaN(time)) add(issues, `${path}.creationTime`, 'date', 'must be an ISO-8601 time with an offset')
      else if (time - now > MAX_FUTURE_MS)
        add(issues, `${path}.creationTime`, 'future', 'must not be more than 30 seconds in the future', {
          max: MAX_FUTURE_MS / 1000,
        })
    }
    if (item.isByTeam != null) checkBoolean(issues, item.isByTeam, `${path}.isByTeam`)
  })
  return issues
}

/** Query of "List conversation messages": `skip >= 0`, `take` 1..100, a known order. */
export function checkListOptions(issues: Issues, options: Fields) {
  checkOrderBy(issues, options.orderBy)
  const { skip, take } = options as { skip?: number; take?: number }
  if (skip !== undefined && (!Number.isSafeInteger(skip) || skip < 0))
    add(issues, 'skip', 'integer', `must be an integer >= 0, got ${describe(skip)}`, { min: 0 })
  if (take !== undefined && (!Number.isSafeInteger(take) || take < 1 || take > 100))
    add(issues, 'take', 'integer', `must be an integer from 1 to 100, got ${describe(take)}`, { min: 1, max: 100 })
}

const ORDERS: readonly string[] = ['creation_time_asc', 'creation_time_desc']

/** One of the two documented orders, or absent. */
export function checkOrderBy(issues: Issues, value: unknown) {
  if (value !== undefined && !ORDERS.includes(value as string))
    add(issues, 'orderBy', 'one-of', `must be one of ${ORDERS}`, { allowed: ORDERS })
}

/** Body of "Change takeover state". */
export function validateTakeover(input: unknown): ValidationIssue[] {
  if (!isObject(input)) return notAnObject(input)
  const issues: Issues = []
  checkBoolean(issues, input.isAssignedToBot, 'isAssignedToBot', true)
  if (input.assigneeId !== null) checkGuid(issues, input.assigneeId, 'assigneeId')
  return issues
}

/** Body of "Update conversation feedback". */
export function validateFeedback(input: unknown): ValidationIssue[] {
  if (!isObject(input)) return notAnObject(input)
  const issues: Issues = []
  checkBoolean(issues, input.isPositive, 'isPositive', true)
  if (input.text !== null) checkString(issues, input.text, 'text')
  return issues
}

/** The page URL of "Update conversation latest url": required, a string as {@link checkUrl} checks it. */
export function validateLatestUrl(url: unknown): ValidationIssue[] {
  const issues: Issues = []
  if (url === undefined) add(issues, 'url', 'required', 'is required')
  else checkUrl(issues, url, 'url', false)
  return issues
}
