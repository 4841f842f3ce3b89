/** A `fetch` that keeps the one cookie the server half sets, as a browser would, and sends it back. */
export function cookieJarFetch(): typeof fetch {
  let cookie = ''
  return async (input, init) => {
    const headers = new Headers(init?.headers)
    if (cookie) headers.set('cookie', cookie)
    const response = await fetch(input, { ...init, headers })
    const set = response.headers.getSetCookie()[0]
    if (set) cookie = set.split(';')[0] as string
    return response
  }
}
