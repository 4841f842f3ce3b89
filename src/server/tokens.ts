// Token custody: access tokens minted from the refresh token, cached, shared by concurrent requests.

/** Where access tokens come from: the token endpoint with a refresh token, or the app's own function. */
export interface TokenSource {
  /** A valid access token; concurrent callers share one mint. */
  get(): Promise<string>
  /** The token `stale` was refused (HTTP 401): the next `get` mints a new one, once for all callers. */
  refuse(stale: string): void
}

/** Options of {@link createTokenSource}. */
export interface TokenSourceOptions {
  tokenURL: string
  clientId: string
  refreshToken: string
  /** Called with a new refresh token when the token endpoint hands one back (rotation). */
  onRefreshToken?: (refreshToken: string) => void | Promise<void>
  fetch: typeof globalThis.fetch
  now: () => number
  /** Milliseconds to wait for the token endpoint. */
  timeout: number
}

/** Why no token could be had. The message never contains a token, a refresh token or a client id. */
export class TokenUnavailable extends Error {
  override readonly name = 'TokenUnavailable'
  /** Seconds until the next mint will be tried, when minting is backing off after a failure. */
  retryAfter?: number
}

/** The token trimmed, or `undefined` when it cannot go in a header (empty, white space or control characters inside). */
const usable = (token: unknown) => {
  const trimmed = typeof token === 'string' ? token.trim() : ''
  return trimmed && !/[^\u0021-\u007e]/.test(trimmed) ? trimmed : undefined
}

/** Tokens are renewed this long before the endpoint says they expire (clock skew, slow requests). */
const EARLY_RENEWAL_MS = 60_000

/** Mints from the token endpoint (form-encoded `grant_type=refresh_token`), caches until shortly before expiry. */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  let refreshToken = options.refreshToken
  let current: { token: string; expiresAt: number } | undefined
  let minting: Promise<string> | undefined

  async function mint(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: options.clientId,
    })
    let response: Response
    try {
      response = await options.fetch(options.tokenURL, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeout),
      })
    } catch {
      throw new TokenUnavailable('the token endpoint did not answer')
    }
    if (!response.ok) throw new TokenUnavailable(`the token endpoint answered HTTP ${response.status}`)
    let answer: { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown }
    try {
      answer = await response.json()
    } catch {
      throw new TokenUnavailable('the token endpoint answered something that is not JSON')
    }
    const token = usable(answer.access_token)
    if (!token) throw new TokenUnavailable('the token endpoint answered without a usable access_token')
    const seconds = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 3600
    current = { token, expiresAt: options.now() + Math.max(seconds * 1000 - EARLY_RENEWAL_MS, seconds * 500) }
    // The docs do not say whether refresh tokens rotate: if a new one comes back, it is the one to use.
    const next = answer.refresh_token
    if (typeof next === 'string' && next && next !== refreshToken) {
      refreshToken = next
      try {
        await options.onRefreshToken?.(next)
      } catch {
        // The app failed to store it; this process keeps using it all the same.
      }
    }
    return token
  }

  return {
    get() {
      if (current && options.now() < current.expiresAt) return Promise.resolve(current.token)
      minting ??= mint().finally(() => {
        minting = undefined
      })
      return minting
    },
    refuse(stale) {
      if (current?.token === stale) current = undefined
    },
  }
}

/** A token source over the app's own function (called for every refused token, shared when concurrent). */
export function functionTokenSource(getToken: () => string | Promise<string>): TokenSource {
  let cached: string | undefined
  let pending: Promise<string> | undefined
  return {
    get() {
      if (cached) return Promise.resolve(cached)
      pending ??= Promise.resolve()
        .then(getToken)
        .then((token) => {
          cached = usable(token)
          if (!cached) throw new TokenUnavailable('the accessToken function returned no usable token')
          return cached
        })
        .catch((error) => {
          throw error instanceof TokenUnavailable ? error : new TokenUnavailable('the accessToken function failed')
        })
        .finally(() => {
          pending = undefined
        })
      return pending
    },
    refuse(stale) {
      if (cached === stale) cached = undefined
    },
  }
}

/** Back-off after a failed mint: the first wait, the longest, and how much of each wait is random. */
const BACKOFF_FIRST_MS = 1000
const BACKOFF_MAX_MS = 60_000

/**
 * `source` with a back-off after failures: while minting fails, one mint is tried at a time, and
 * after each failure the next waits 1 s, 2 s, 4 s … up to a minute (each between half and all of
 * that, at random, so instances do not retry in step). Callers in between fail at once with a
 * {@link TokenUnavailable} that says when to retry, instead of hammering a failing token endpoint.
 */
export function withBackoff(
  source: TokenSource,
  now: () => number = Date.now,
  random: () => number = Math.random,
): TokenSource {
  let failures = 0
  let blockedUntil = 0
  return {
    async get() {
      const time = now()
      if (time < blockedUntil) {
        const error = new TokenUnavailable('minting is backing off after a failure')
        error.retryAfter = Math.max(1, Math.ceil((blockedUntil - time) / 1000))
        throw error
      }
      try {
        const token = await source.get()
        failures = 0
        return token
      } catch (error) {
        // Concurrent callers share one mint, so one failure counts once.
        if (now() >= blockedUntil) {
          const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** failures)
          failures++
          blockedUntil = now() + ceiling * (0.5 + random() / 2)
        }
        throw error
      }
    },
    refuse: (stale) => source.refuse(stale),
  }
}
