import type { ValidationIssue } from './errors'

// Input rules from the reference, checked before anything is sent. Each check reports every
// problem with its path; nothing here rewrites what the caller sent.

type Issues = ValidationIssue[]
type Fields = Record<string, unknown>

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/

export const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

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
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'number'
        ? String(value)
        : `a ${typeof value}`

export function checkString(issues: Issues, value: unknown, path: string, required = false): value is string {
  if (value === undefined && !required) return false
  if (typeof value !== 'string') issues.push({ path, message: `must be a string, got ${describe(value)}` })
  return typeof value === 'string'
}

export function checkBoolean(issues: Issues, value: unknown, path: string) {
  if (value !== undefined && typeof value !== 'boolean')
    issues.push({ path, message: `must be true or false, got ${describe(value)}` })
}

export function checkInteger(issues: Issues, value: unknown, path: string, nullable: boolean) {
  if (value === undefined || (nullable && value === null)) return
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    issues.push({ path, message: `must be an integer${nullable ? ' or null' : ''}, got ${describe(value)}` })
}

export function checkUrl(issues: Issues, value: unknown, path: string, nullable: boolean) {
  if (value === undefined || (nullable && value === null)) return
  if (!isHttpUrl(value)) issues.push({ path, message: 'must be an absolute http(s) URL' })
}

export function checkGuid(issues: Issues, value: unknown, path: string) {
  if (value === undefined) return
  if (typeof value !== 'string' || !GUID.test(value))
    issues.push({ path, message: 'must be a GUID like "ca4be988-cc85-4c35-94a4-8558e30c1dd3"' })
}

/** The "User value" rules: identifiers, a well-formed email and image URL, `isBot` boolean. */
export function checkUserValue(issues: Issues, value: unknown, path: string) {
  if (value === undefined || value === null) {
    issues.push({ path, message: 'is required' })
    return
  }
  if (!isObject(value)) {
    issues.push({ path, message: `must be an object, got ${describe(value)}` })
    return
  }
  checkString(issues, value.name, `${path}.name`)
  checkGuid(issues, value.id, `${path}.id`)
  if (checkString(issues, value.email, `${path}.email`) && !EMAIL.test(value.email))
    issues.push({ path: `${path}.email`, message: 'must be an email address like "john@dow.com"' })
  if (checkString(issues, value.customIdentifier, `${path}.customIdentifier`) && value.customIdentifier.trim() === '')
    issues.push({ path: `${path}.customIdentifier`, message: 'must not be blank' })
  checkUrl(issues, value.image, `${path}.image`, true)
  checkBoolean(issues, value.isBot, `${path}.isBot`)
  const identified = [value.id, value.email, value.customIdentifier].some((v) => typeof v === 'string' && v !== '')
  if (value.isBot !== true && !identified)
    issues.push({ path, message: 'needs an id, email or customIdentifier (or isBot: true)' })
}

/** Checks the body of "Create conversation". Returns every issue found; empty when valid. */
export function validateCreateConversationInput(input: unknown): ValidationIssue[] {
  const issues: Issues = []
  if (!isObject(input)) return [{ path: '', message: `input must be an object, got ${describe(input)}` }]
  checkUserValue(issues, input.author, 'author')
  checkString(issues, input.title, 'title')
  checkUrl(issues, input.url, 'url', false)
  if (input.sentiment !== undefined && input.sentiment !== null) {
    if (typeof input.sentiment !== 'string' || input.sentiment.trim() === '')
      issues.push({ path: 'sentiment', message: 'must be a non-empty string (e.g. "question") or null' })
  }
  checkInteger(issues, input.categoryId, 'categoryId', true)
  checkBoolean(issues, input.isBotEnabled, 'isBotEnabled')
  if (input.fields !== undefined) {
    if (!Array.isArray(input.fields)) issues.push({ path: 'fields', message: 'must be an array of { id, value }' })
    else
      input.fields.forEach((field, index) => {
        const path = `fields[${index}]`
        if (!isObject(field)) {
          issues.push({ path, message: 'must be an object { id, value }' })
          return
        }
        if (field.id === undefined) issues.push({ path: `${path}.id`, message: 'is required' })
        else checkInteger(issues, field.id, `${path}.id`, false)
        checkString(issues, field.value, `${path}.value`, true)
      })
  }
  return issues
}
