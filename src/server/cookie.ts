// The visitor's signed cookie: which conversations this browser created, and who the visitor is.
// Type-only node import: on Node the module comes from nodeBuiltin() at run time, never from an import.
import type * as NodeCrypto from 'node:crypto'
import type { UserValue } from '../core/types'
import { nodeBuiltin } from './proxy/http'

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
  /**
   * Who was signed in (a digest of the identity `resolveVisitor` gave) when it was issued; empty for
   * an anonymous visitor. A cookie grants nothing while someone else, or no one, is signed in.
   */
  identity?: string
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

/** Verified cookie values kept, so a returning browser costs one map lookup instead of an HMAC. */
const VERIFIED_CACHE = 10_000

/** A copy the caller may change without touching the cached one. */
const copy = (state: VisitorState): VisitorState => ({
  ...state,
  conversations: [...state.conversations],
  ...(state.author ? { author: { ...state.author } } : {}),
})

/** HMAC-SHA-256 with one key: signing, and a constant-time check of a signature. */
interface Mac {
  sign(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array>
  verify(signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean>
}

/** `node:crypto`'s HMAC, when this is Node: several times cheaper per call than Web Crypto's. */
function nodeMac(secret: string): Mac | undefined {
  const node = nodeBuiltin<typeof NodeCrypto>('node:crypto')
  if (!node?.createHmac || !node.timingSafeEqual) return undefined
  const mac = (data: Uint8Array) => new Uint8Array(node.createHmac('sha256', secret).update(data).digest())
  return {
    sign: async (data) => mac(data),
    async verify(signature, data) {
      const expected = mac(data)
      return signature.byteLength === expected.byteLength && node.timingSafeEqual(signature, expected)
    },
  }
}

/** Web Crypto's HMAC, on every other host. */
async function webMac(secret: string): Promise<Mac> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ])
  return {
    sign: async (data) => new Uint8Array(await crypto.subtle.sign('HMAC', key, data)),
    // crypto.subtle.verify compares in constant time.
    verify: (signature, data) => crypto.subtle.verify('HMAC', key, signature, data),
  }
}

/**
 * HMAC-SHA-256 signing and checking of cookie values with the handler's secret (`node:crypto` on
 * Node, else Web Crypto; the same signatures). The signature also covers `deployment` (the handler's
 * base path and upstream account), so a cookie minted by another deployment that shares the secret
 * is not valid here.
 */
export async function createCookieSigner(secret: string, deployment = '') {
  const key = nodeMac(secret) ?? (await webMac(secret))
  const verified = new Map<string, VisitorState>()
  const signed = (payload: string) => encoder.encode(`${deployment}\n${payload}`)
  return {
    async sign(state: VisitorState): Promise<string> {
      const payload = toBase64Url(encoder.encode(JSON.stringify(state)))
      const signature = await key.sign(signed(payload))
      return `${payload}.${toBase64Url(signature)}`
    },
    /** The state in `value` when its signature is ours and it is younger than `maxAge` seconds; else `null`. */
    async verify(value: string | undefined, maxAge: number, now: number): Promise<VisitorState | null> {
      if (!value || value.length > 4096) return null
      const fresh = (state: VisitorState) => now / 1000 - state.issuedAt <= maxAge
      const known = verified.get(value)
      if (known) return fresh(known) ? copy(known) : null
      const [payload, signature, extra] = value.split('.')
      if (!payload || !signature || extra !== undefined) return null
      try {
        const valid = await key.verify(fromBase64Url(signature), signed(payload))
        if (!valid) return null
        const state = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as VisitorState
        const wellFormed =
          typeof state === 'object' &&
          state !== null &&
          Number.isFinite(state.issuedAt) &&
          typeof state.visitor === 'string' &&
          typeof state.customIdentifier === 'string' &&
          Array.isArray(state.conversations) &&
          state.conversations.every((id) => Number.isSafeInteger(id)) &&
          (state.identity === undefined || typeof state.identity === 'string')
        if (!wellFormed) return null
        if (verified.size >= VERIFIED_CACHE) verified.clear()
        verified.set(value, state)
        return fresh(state) ? copy(state) : null
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

/** Browsers keep a cookie of at most 4,096 bytes (name, value and attributes). */
export const COOKIE_BYTES = 4096

/** Cuts `text` to at most `count` code points. */
const cut = (text: string, count: number) => Array.from(text).slice(0, count).join('')

/**
 * The state made small enough that its signed cookie fits `budget` bytes: a long name or email is
 * shortened first (they only label the visitor's messages), then the oldest conversations go.
 */
export function fitState(state: VisitorState, budget: number): VisitorState {
  // Signed value ≈ 4/3 of the JSON plus a 43-character signature.
  const size = (candidate: VisitorState) => Math.ceil((encoder.encode(JSON.stringify(candidate)).length * 4) / 3) + 44
  let fitted = state
  for (const limit of [256, 128, 64, 0]) {
    if (size(fitted) <= budget) return fitted
    const author = fitted.author
    if (!author) break
    const name = author.name ? cut(author.name, limit) : undefined
    const email = author.email ? cut(author.email, limit) : undefined
    fitted = { ...fitted, author: { ...(name ? { name } : {}), ...(email ? { email } : {}) } }
  }
  while (size(fitted) > budget && fitted.conversations.length > 1)
    fitted = { ...fitted, conversations: fitted.conversations.slice(1) }
  return fitted
}

/** A short, stable digest of a signed-in identity, for binding cookies to it. */
export async function identityDigest(user: UserValue): Promise<string> {
  const text = JSON.stringify([user.id ?? null, user.email ?? null, user.customIdentifier ?? null])
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
  return toBase64Url(digest.slice(0, 16))
}
