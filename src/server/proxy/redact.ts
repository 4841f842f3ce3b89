// Scrubbing secrets out of what the Chat API answers, in every form JSON could carry them.

const REDACTED = '[redacted]'

const base64 = (text: string) => {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * Every form a secret could take inside a decoded JSON string: as is, URL-encoded, and base64 or
 * base64url at each of the three alignments it could sit at inside a longer encoded text (the
 * characters that depend on its neighbours are left off).
 */
export function secretForms(secret: string): string[] {
  if (secret.length < 8) return []
  const forms = new Set<string>([secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret))])
  for (const pad of ['', 'a', 'aa']) {
    const encoded = base64(pad + secret).replace(/=+$/, '')
    // Drop the characters that mix in the padding or whatever follows the secret.
    const start = pad.length === 0 ? 0 : pad.length === 1 ? 2 : 3
    const core = encoded.slice(start, encoded.length - 2)
    if (core.length >= 8) {
      forms.add(core)
      forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'))
    }
  }
  return [...forms].sort((a, b) => b.length - a.length)
}

/** Replaces each form in a string; `undefined` when none was there. */
function scrubString(value: string, forms: readonly string[]): string | undefined {
  let result = value
  for (const form of forms) if (result.includes(form)) result = result.split(form).join(REDACTED)
  return result === value ? undefined : result
}

/** A copy of `value` with every string (and key) scrubbed; the same object when nothing was found. */
function scrubValue(value: unknown, forms: readonly string[]): unknown {
  if (typeof value === 'string') return scrubString(value, forms) ?? value
  if (Array.isArray(value)) {
    let changed = false
    const items = value.map((item) => {
      const next = scrubValue(item, forms)
      if (next !== item) changed = true
      return next
    })
    return changed ? items : value
  }
  if (value && typeof value === 'object') {
    let changed = false
    const entries = Object.entries(value).map(([key, item]) => {
      const nextKey = scrubString(key, forms) ?? key
      const next = scrubValue(item, forms)
      if (next !== item || nextKey !== key) changed = true
      return [nextKey, next] as const
    })
    return changed ? Object.fromEntries(entries) : value
  }
  return value
}

/**
 * The JSON text with every secret scrubbed out, whatever its encoding: JSON escapes (`\/`,
 * `\u0041`) are undone by parsing, so the decoded strings are searched for each secret as is,
 * URL-encoded and base64-encoded. Gives the text and its parsed value; `undefined` when `text` is not JSON.
 */
export function redactJson(text: string, secrets: readonly string[]): { text: string; value: unknown } | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  const forms = secrets.flatMap(formsOf)
  // Without a backslash, every decoded string is a piece of the raw text: a form absent from it is absent from them.
  const suspect = text.includes('\\') || forms.some((form) => text.includes(form))
  const scrubbed = suspect ? scrubValue(parsed, forms) : parsed
  return scrubbed === parsed ? { text, value: parsed } : { text: JSON.stringify(scrubbed), value: scrubbed }
}

const known = new Map<string, string[]>()
/** {@link secretForms}, remembered for the few secrets a handler holds. */
function formsOf(secret: string): string[] {
  let forms = known.get(secret)
  if (!forms) {
    if (known.size > 64) known.clear()
    forms = secretForms(secret)
    known.set(secret, forms)
  }
  return forms
}
