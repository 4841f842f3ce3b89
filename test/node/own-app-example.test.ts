import { createServer } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'

// examples/own-app-against-mock.ts, run as a user would: a request through the handler reaches the mock,
// and the mock's change comes back as a webhook, then as a hint on the visitor's event stream.

async function freePort() {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

let close: (() => Promise<unknown>) | undefined
afterAll(async () => {
  await close?.()
})

describe('your own app against the mock (README example)', () => {
  it('serves the handler in front of the mock, and the mock’s changes reach the stream as webhooks', async () => {
    process.env.PORT = String(await freePort())
    const example = await import('../../examples/own-app-against-mock')
    close = example.close
    const base = `http://127.0.0.1:${process.env.PORT}/api/chat/`
    const created = await fetch(`${base}chat/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ author: { name: 'You' } }),
    })
    expect(created.status).toBe(200)
    const cookie = (created.headers.getSetCookie()[0] ?? '').split(';')[0] as string
    const { data } = (await created.json()) as { data: { id: number } }
    const abort = new AbortController()
    const stream = await fetch(`${base}chat/conversations/${data.id}/events`, {
      headers: { cookie },
      signal: abort.signal,
    })
    const reader = stream.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>
    await fetch(`${base}chat/conversations/${data.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify([{ message: 'Hello' }]),
    })
    let text = ''
    while (!/event: message/.test(text)) {
      const { done, value } = await reader.read()
      if (done) break
      text += new TextDecoder().decode(value)
    }
    abort.abort()
    expect(text).toMatch(new RegExp(`event: message\\ndata: \\{"conversationId":${data.id},"kind":"message"\\}`))
  })
})
