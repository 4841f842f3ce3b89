// The visitor's signed cookie: which conversations this browser created, and who the visitor is.
import type { UserValue } from '../core/types'

/** What the cookie holds. Signed, never encrypted: it names no secret, only what the visitor may do. */
export interface VisitorState {
  /** A random id of this browser, the key of its rate limit. */
  visitor: string
  /** The generated `customIdentifier` of an anonymous visitor, so a returning visitor is the same person. */
  customIdentifier: string
  /** The author the visitor gave on their first create (name, email), reused for every message. */
  author?: Pick<UserValue, 'name' | 'email'>
  /** Conversations this browser created, newest last. */
  conversations: number[]
  /** When it was issued (epoch seconds), for expiry. */
  issuedAt: number
}

const encoder = new TextEncoder()

const toBase64Url = (bytes: Uint8Array) => {
  let text = ''
  for (const byte of bytes) text += String.fromCharCode(byte)
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
const fromBase64Url = (text: string) => {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  return Uint8Array.from(binary, (char) => char.charCodeAt(0))
}

/** HMAC-SHA-256 signing and checking of cookie values with the handler's secret (Web Crypto). */
export async function createCookieSigner(secret: string) {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ])
  return {
    async sign(state: VisitorState): Promise<string> {
      const payload = toBase64Url(encoder.encode(JSON.stringify(state)))
      const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(payload)))
      return `${payload}.${toBase64Url(signature)}`
    },
    /** The state in `value` when its signature is ours and it is younger than `maxAge` seconds; else `null`. */
    async verify(value: string | undefined, maxAge: number, now: number): Promise<VisitorState | null> {
      if (!value) return null
      const [payload, signature, extra] = value.split('.')
      if (!payload || !signature || extra !== undefined) return null
      try {
        // crypto.subtle.verify compares in constant time.
        const valid = await crypto.subtle.verify('HMAC', key, fromBase64Url(signature), encoder.encode(payload))
        if (!valid) return null
        const state = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as VisitorState
        const fresh = Number.isFinite(state.issuedAt) && now / 1000 - state.issuedAt <= maxAge
        const wellFormed =
          typeof state.visitor === 'string' &&
          typeof state.customIdentifier === 'string' &&
          Array.isArray(state.conversations) &&
          state.conversations.every((id) => Number.isSafeInteger(id))
        return fresh && wellFormed ? state : null
      } catch {
        return null
      }
    },
  }
}

/** The value of cookie `name` in a `Cookie` header. */
export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const index = part.indexOf('=')
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim()
  }
  return undefined
}
