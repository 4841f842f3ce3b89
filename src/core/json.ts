// Turns a caller's input into the plain JSON value that will be sent, reporting what cannot be sent.
import type { ValidationIssue, ValidationIssueCode } from './errors'

/** Deeper than any body of this API: an input nested further is refused, not walked. */
export const MAX_DEPTH = 16
/** More items than any body of this API: a longer array is refused, not walked. */
export const MAX_ITEMS = 10_000

const at = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key

const SKIP = Symbol('skip')

/**
 * A plain snapshot of `value` as `JSON.stringify` would send it (own enumerable keys, `toJSON`
 * applied once), read exactly once, so a getter or `toJSON` cannot show the validator one body and
 * the wire another. What JSON cannot carry is an issue with its path: cycles, BigInt, non-finite
 * numbers, holes and empty slots in arrays, functions and symbols (JSON would drop them silently),
 * invalid Dates (JSON would send `null`), inputs nested deeper than {@link MAX_DEPTH}, and
 * properties that throw when read. Never throws.
 */
export function snapshot(value: unknown, root = ''): { value: unknown; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = []
  const ancestors: object[] = []
  // `json`: JSON cannot carry it (or would change it); `unreadable`: reading it threw.
  const issue = (path: string, message: string, code: ValidationIssueCode = 'json') => {
    issues.push({ path, code, message })
    return SKIP
  }

  function walk(input: unknown, path: string, key: string | number): unknown {
    let value = input
    try {
      // Date's toJSON gives null for an invalid date: that is not what the caller meant to send.
      if (value instanceof Date && Number.isNaN(value.getTime())) return issue(path, 'is an invalid Date')
      const toJSON = (value as { toJSON?: unknown } | null)?.toJSON
      if (typeof toJSON === 'function') value = toJSON.call(value, String(key))
    } catch {
      return issue(path, 'threw when read', 'unreadable')
    }
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value
      case 'number':
        return Number.isFinite(value) ? value : issue(path, `must be a finite number, got ${value}`)
      case 'undefined':
        return SKIP
      case 'bigint':
      case 'function':
      case 'symbol':
        return issue(path, `is a ${typeof value}, which JSON cannot carry`)
    }
    if (value === null) return null
    const object = value as object
    if (ancestors.includes(object)) return issue(path, 'is a cycle')
    if (ancestors.length >= MAX_DEPTH) return issue(path, `is nested more than ${MAX_DEPTH} levels deep`)
    ancestors.push(object)
    try {
      if (Array.isArray(object)) {
        if (object.length > MAX_ITEMS) return issue(path, `has more than ${MAX_ITEMS} items`)
        const out: unknown[] = []
        for (let index = 0; index < object.length; index++) {
          const where = at(path, index)
          if (!(index in object)) {
            issue(where, 'is missing (a hole in the array)')
            continue
          }
          const item = walk(read(object, index, where), where, index)
          if (item === SKIP) {
            if (!issues.some((found) => found.path === where)) issue(where, 'is not a JSON value')
          } else out.push(item)
        }
        return out
      }
      // No prototype: a key named `__proto__` or `constructor` stays plain data.
      const out: Record<string, unknown> = Object.create(null)
      let keys: string[]
      try {
        keys = Object.keys(object)
      } catch {
        return issue(path, 'threw when read', 'unreadable')
      }
      for (const name of keys) {
        const where = at(path, name)
        const item = walk(read(object, name, where), where, name)
        if (item !== SKIP) out[name] = item
      }
      return out
    } finally {
      ancestors.pop()
    }
  }

  const UNREADABLE = { toJSON: () => undefined }
  function read(object: object, key: string | number, path: string) {
    try {
      return (object as Record<string | number, unknown>)[key]
    } catch {
      issue(path, 'threw when read', 'unreadable')
      return UNREADABLE
    }
  }

  const result = walk(value, root, '')
  return { value: result === SKIP ? undefined : result, issues }
}
