import { fileURLToPath } from 'node:url'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// `npm run example` is `vite examples/server`: the same config, started here on a free port.
let server: ViteDevServer
let origin = ''
beforeAll(async () => {
  server = await createServer({
    configFile: fileURLToPath(new URL('../../examples/server/vite.config.ts', import.meta.url)),
    server: { port: 0, host: '127.0.0.1', watch: null, ws: false },
    // No dependency pre-bundling: close() would wait for an esbuild run this test does not need.
    optimizeDeps: { noDiscovery: true, include: [] },
    logLevel: 'silent',
  })
  await server.listen()
  origin = (server.resolvedUrls?.local[0] ?? '').replace(/\/$/, '')
}, 60_000)
afterAll(async () => {
  await server?.close()
}, 30_000)

describe('the example app (npm run example)', () => {
  it('serves the page, its widget, and the server half in front of the mock', async () => {
    const page = await fetch(`${origin}/`)
    expect(await page.text()).toContain('<script type="module" src="./main.tsx"></script>')
    const widget = await fetch(`${origin}/main.tsx`)
    expect(widget.status).toBe(200)
    expect(await widget.text()).toContain('ReferenceWidget')

    const created = await fetch(`${origin}/api/chat/chat/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ author: { name: 'You', email: 'you@example.com' } }),
    })
    expect(created.status).toBe(200)
    const cookie = created.headers.getSetCookie()[0] ?? ''
    expect(cookie).toMatch(/^sb_chat=.+; Path=\/api\/chat; HttpOnly; SameSite=Lax/)
    const { data } = await created.json()
    const own = await fetch(`${origin}/api/chat/chat/conversations/${data.id}`, {
      headers: { cookie: cookie.split(';')[0] as string },
    })
    expect(own.status).toBe(200)
    expect((await fetch(`${origin}/api/chat/chat/conversations/${data.id}`)).status).toBe(403)
  })
})
