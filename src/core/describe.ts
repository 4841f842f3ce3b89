// Visitor-facing text for any thrown value: error codes and issue codes through a catalog per language.
import { type ChatApiErrorCode, codeOf, isChatApiError, type ValidationIssue, type ValidationIssueCode } from './errors'
import { errorCatalogEn } from './messages-en'

/** A text, or a function that builds it from the values it names. */
export type ErrorText<Values> = string | ((values: Values) => string)

/** What an error's text may name. */
export interface ErrorTextValues {
  /** Seconds the server asked to wait (`rate-limited`, `unavailable`), when it said. */
  retryAfter?: number
}

/** What an issue's text may name: the field in the visitor's words, and the rule's values. */
export interface IssueTextValues {
  /** The field as the catalog's `fields` names it, e.g. `"your email address"`. */
  field: string
  min?: number
  max?: number
  allowed?: readonly string[]
}

/**
 * The fields a visitor fills in, by the last part of an issue's path (`author.email` → `email`,
 * `messages[0].message` → `message`, `author` → `author`: the user as a whole). An issue on any
 * other field is the app's mistake, not the visitor's: it is described as `invalid-input`.
 */
export type VisitorField = 'name' | 'email' | 'message' | 'title' | 'author'

/**
 * The texts of one language. Every code needs a text: a catalog that misses one does not compile.
 * Texts are whole sentences for visitors: no status codes, paths or URLs.
 */
export interface ErrorCatalog {
  /** One text per {@link ChatApiErrorCode}. */
  errors: { readonly [Code in ChatApiErrorCode]: ErrorText<ErrorTextValues> }
  /** One text per {@link ValidationIssueCode}, for an issue on a {@link VisitorField}. */
  issues: { readonly [Code in ValidationIssueCode]: ErrorText<IssueTextValues> }
  /** Each visitor field as the issue texts name it, e.g. `email: "your email address"`. */
  fields: { readonly [Field in VisitorField]: string }
  /** For anything thrown that is not a `ChatApiError`. */
  unknown: string
}

/** Options of {@link describeError} and {@link describeIssue}. */
export interface DescribeErrorOptions {
  /**
   * Catalogs by language tag, e.g. `{ nb: errorCatalogNb, de: myGermanCatalog }`. An `en` entry
   * replaces the built-in English one.
   */
  messages?: Readonly<Record<string, ErrorCatalog>>
  /**
   * The visitor's language, or several in order of preference (`navigator.languages`). The first
   * with a catalog wins, by exact tag and then by language (`nb-NO` → `nb`); otherwise English.
   */
  locale?: string | readonly string[]
}

const FIELD = /(\w+)(?:\[\d+\])?$/

/** The catalog `options` choose: the first locale that has one, else `en`, else the built-in English. */
export function errorCatalogFor({ messages = {}, locale = [] }: DescribeErrorOptions = {}): ErrorCatalog {
  for (const tag of typeof locale === 'string' ? [locale] : locale) {
    const found = messages[tag] ?? messages[tag.toLowerCase()] ?? messages[tag.toLowerCase().split('-')[0] as string]
    if (found) return found
  }
  return messages.en ?? errorCatalogEn
}

const fill = <Values>(text: ErrorText<Values>, values: Values) => (typeof text === 'function' ? text(values) : text)

/** The visitor field an issue is about, or `undefined` when the visitor did not fill it in. */
function visitorField(issue: ValidationIssue, catalog: ErrorCatalog): string | undefined {
  const name = FIELD.exec(issue.path)?.[1]
  const field = name === 'messages' ? 'message' : name
  return field && Object.hasOwn(catalog.fields, field) ? catalog.fields[field as VisitorField] : undefined
}

/**
 * One validation issue in the visitor's words, e.g. `"Please enter an email address like
 * name@example.com."`, for a message next to a form field. An issue on a field the visitor does
 * not fill in (the app's mistake) gets the `invalid-input` text.
 */
export function describeIssue(issue: ValidationIssue, options?: DescribeErrorOptions): string {
  const catalog = errorCatalogFor(options)
  const field = visitorField(issue, catalog)
  return field === undefined || !issue.code
    ? fill(catalog.errors['invalid-input'], {})
    : fill(catalog.issues[issue.code], { field, min: issue.min, max: issue.max, allowed: issue.allowed })
}

/**
 * Visitor-facing text for anything a call, a hook or a session threw or reported: a
 * `ChatApiError` by its `code` (a validation error by its issues on the fields the visitor fills
 * in, each once), anything else as the catalog's `unknown` text. Never quotes `error.message`,
 * which stays a log line for developers.
 *
 * @example
 * describeError(error) // "We can't reach the chat. Please check your connection and try again."
 * describeError(error, { locale: 'nb', messages: { nb: errorCatalogNb } })
 */
export function describeError(error: unknown, options?: DescribeErrorOptions): string {
  const catalog = errorCatalogFor(options)
  if (!isChatApiError(error)) return catalog.unknown
  const code = error.code ?? codeOf(error.kind, error.status)
  if (code === 'invalid-input') {
    const texts = (error.issues ?? [])
      .filter((issue) => issue.code && visitorField(issue, catalog) !== undefined)
      .map((issue) => describeIssue(issue, options))
    if (texts.length) return [...new Set(texts)].join(' ')
  }
  return fill(catalog.errors[code], { retryAfter: error.retryAfter })
}
