import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { createMockChatServer, type MockChatServer } from 'socialboards-chat-react/mock/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The built /core entry, copied into a folder whose node_modules holds ofetch and its own
// dependencies only: no React, no TanStack. A whole visit runs there, in a child `node`, against the
// mock on a real port.

const run = promisify(execFile)
const visit = `
import { createChatClient, createChatSession, createMemoryStorage } from './core.js'

const until = (session, condition) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out: ' + session.getSnapshot().status)), 10000)
    const check = () => {
      if (!condition(session.getSnapshot())) return
      clearTimeout(timer)
      stop()
      resolve(session.getSnapshot())
    }
    const stop = session.subscribe(check)
    check()
  })

const client = createChatClient({ baseURL: process.env.BASE_URL, accessToken: 'mock-access-token' })
const storage = createMemoryStorage()
const author = { name: 'Node', email: 'node@example.com' }
const first = createChatSession({ client, author, storage, pollInterval: 40 })
first.send('From plain Node')
await until(first, (s) => s.messages[0]?.status === 'sent')
first.destroy()
const second = createChatSession({ client, author, storage, pollInterval: 40 })
const resumed = await until(second, (s) => s.status === 'queued' && s.messages.length === 1)
await second.close()
const closed = second.getSnapshot().status
second.destroy()
// The server half from the built /server entry, mounted on node:http, in front of the same API.
const { createChatHandler, toNodeListener } = await import('./server.js')
const { createServer } = await import('node:http')
const handler = createChatHandler({
  apiBaseURL: process.env.BASE_URL,
  accessToken: () => 'mock-access-token',
  secret: 'a-secret-of-at-least-thirty-two-characters',
  cookie: { secure: false },
})
const proxy = createServer(toNodeListener(handler))
await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve))
const proxyBase = 'http://127.0.0.1:' + proxy.address().port + '/api/chat/'
const proxied = await fetch(proxyBase + 'chat/conversations', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ author: { name: 'Node' } }),
})
const refused = await fetch(proxyBase + 'chat/conversations/' + resumed.conversationId)
proxy.close()
let react = 'missing'
try {
  await import('react')
  react = 'installed'
} catch {}
console.log(JSON.stringify({
  resumed: resumed.conversationId,
  messages: resumed.messages.map((m) => m.message),
  closed,
  proxied: proxied.status,
  cookie: /^sb_chat=/.test(proxied.headers.get('set-cookie') ?? ''),
  refused: refused.status,
  react,
}))
`

let mock: MockChatServer
let folder: string
beforeAll(async () => {
  mock = await createMockChatServer()
  folder = mkdtempSync(join(tmpdir(), 'core-without-react-'))
  copyFileSync('dist/core.js', join(folder, 'core.js'))
  copyFileSync('dist/server.js', join(folder, 'server.js'))
  writeFileSync(join(folder, 'package.json'), '{ "type": "module" }')
  writeFileSync(join(folder, 'visit.js'), visit)
  mkdirSync(join(folder, 'node_modules'))
  for (const name of ['ofetch', 'destr', 'ufo', 'node-fetch-native'])
    if (existsSync(`node_modules/${name}`))
      symlinkSync(resolve(`node_modules/${name}`), join(folder, 'node_modules', name))
})
afterAll(async () => {
  await mock.close()
  rmSync(folder, { recursive: true, force: true })
})

describe('socialboards-chat-react/core and /server without React', () => {
  it('runs a whole visit in plain Node (start, send, reload, resume, close) and mounts the handler', async () => {
    const { stdout } = await run(process.execPath, ['visit.js'], {
      cwd: folder,
      env: { ...process.env, BASE_URL: mock.baseURL, NODE_PATH: '' },
      timeout: 30_000,
    })
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')
    expect(result).toEqual({
      resumed: 254626,
      messages: ['From plain Node'],
      closed: 'closed',
      proxied: 200,
      cookie: true,
      refused: 403,
      react: 'missing',
    })
    expect(mock.api.conversations()).toMatchObject([
      { isClosed: true, messages: [{ message: 'From plain Node' }] },
      { author: { name: 'Node', customIdentifier: expect.stringMatching(/^visitor-/) } },
    ])
  })
})
