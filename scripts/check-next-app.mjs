// A new user's Next.js app, checked end to end on the packed library (needs the npm registry; not part of npm test):
// 1. `npm pack`, a fresh Next.js 16 app with the README's route (examples/chat-route.ts) and widget
//    (examples/support-widget.tsx), nothing optional installed (no redis, no msw);
// 2. `next build` (Turbopack, the default) with no secret in the environment;
// 3. `next start` with the secrets given at run time, against the mock Chat API and a token endpoint of our own,
//    and a visit in headless Chromium: open the widget, send, wait for the agent's reply, reload, still there;
// 4. `next start` with no secrets: the route answers a JSON 500 and logs one line naming the options.
// Usage: npm run build && node scripts/check-next-app.mjs [--keep]   (prints the app's folder; --keep leaves it and its servers' logs)
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { chromiumArgs, chromiumPath } from './chromium.mjs'

const repo = fileURLToPath(new URL('..', import.meta.url))
const app = mkdtempSync(join(tmpdir(), 'next-app-'))
const run = (command, args, options = {}) =>
  execFileSync(command, args, { cwd: app, stdio: ['ignore', 'pipe', 'inherit'], ...options })?.toString()
console.log(`app: ${app}`)

// The build in dist/ is what gets packed (run `npm run build` first) and what serves the mock below.
readFileSync(join(repo, 'dist/server.js'))
const packed = run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', app], { cwd: repo })
const tarball = join(app, packed.trim().split('\n').pop())
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'next-app', private: true }))
run('npm', ['install', '--no-audit', '--no-fund', 'next@16', 'react@19', 'react-dom@19', '@tanstack/react-query@5'])
run('npm', ['install', '--no-audit', '--no-fund', tarball, 'typescript', '@types/react', '@types/node'])
for (const optional of ['redis', 'msw']) {
  try {
    readFileSync(join(app, 'node_modules', optional, 'package.json'))
    throw new Error(`${optional} got installed; this check is about an app without it`)
  } catch (error) {
    if (error.code !== 'ENOENT') throw error
  }
}

const route = join(app, 'app/api/chat/[...path]')
mkdirSync(route, { recursive: true })
// The README's route as it is, plus where to mint tokens (the mock's stand-in for the token endpoint).
writeFileSync(
  join(route, 'route.ts'),
  readFileSync(join(repo, 'examples/chat-route.ts'), 'utf8').replace(
    'const handler = createChatHandler({',
    'const handler = createChatHandler({\n  tokenURL: process.env.TOKEN_URL,',
  ),
)
cpSync(join(repo, 'examples/support-widget.tsx'), join(app, 'app/SupportWidget.tsx'))
writeFileSync(
  join(app, 'app/layout.tsx'),
  `import type { ReactNode } from 'react'
import { ChatApiProvider } from 'socialboards-chat-react'

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <ChatApiProvider baseURL="/api/chat/">{children}</ChatApiProvider>
      </body>
    </html>
  )
}
`,
)
writeFileSync(
  join(app, 'app/page.tsx'),
  `import { SupportWidget } from './SupportWidget'

export default function Page() {
  return (
    <main>
      <h1>Shop</h1>
      <SupportWidget />
    </main>
  )
}
`,
)

const clean = { ...process.env }
for (const name of ['CHAT_API_URL', 'SOCIALBOARDS_CLIENT_ID', 'SOCIALBOARDS_REFRESH_TOKEN', 'CHAT_COOKIE_SECRET'])
  delete clean[name]
run('npx', ['next', 'build'], { env: { ...clean, NEXT_TELEMETRY_DISABLED: '1' }, stdio: 'inherit' })
console.log('ok: next build with no secrets and no optional package')

// The mock Chat API and a token endpoint, in this process, from the repo's own build.
const { createMockChatServer } = await import(join(repo, 'dist/mock-server.js'))
const { MOCK_ACCESS_TOKEN } = await import(join(repo, 'dist/mock.js'))
const mock = await createMockChatServer({ agent: { queueStepMs: 300, replyAfterMs: 300 }, tickMs: 100 })
const tokens = createServer((_request, response) => {
  response.setHeader('content-type', 'application/json')
  response.end(JSON.stringify({ access_token: MOCK_ACCESS_TOKEN, expires_in: 3600 }))
}).listen(0, '127.0.0.1')
await new Promise((done) => tokens.once('listening', done))

const servers = []
async function start(port, env) {
  const child = spawn('npx', ['next', 'start', '-p', String(port)], {
    cwd: app,
    env: { ...clean, NEXT_TELEMETRY_DISABLED: '1', ...env },
    detached: true,
  })
  let log = ''
  child.stdout.on('data', (chunk) => (log += chunk))
  child.stderr.on('data', (chunk) => (log += chunk))
  servers.push(child)
  for (let tries = 0; !log.includes('Ready'); tries++) {
    if (tries > 600) throw new Error(`next start did not become ready:\n${log}`)
    await new Promise((done) => setTimeout(done, 100)) // polling a child's output, not a test's sleep
  }
  return { url: `http://localhost:${port}`, log: () => log }
}

try {
  const secrets = await start(34561, {
    CHAT_API_URL: mock.baseURL,
    SOCIALBOARDS_CLIENT_ID: 'client-id',
    SOCIALBOARDS_REFRESH_TOKEN: 'refresh-token',
    CHAT_COOKIE_SECRET: 'a-run-time-secret-of-more-than-32-characters',
    TOKEN_URL: `http://127.0.0.1:${tokens.address().port}/token`,
  })
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  try {
    const page = await browser.newPage()
    const problems = []
    page.on('pageerror', (error) => problems.push(error.message))
    await page.goto(secrets.url)
    await page.getByRole('button', { name: /Chat/ }).click()
    // The box, not the list labelled "Messages".
    const box = page.getByRole('textbox', { name: 'Message', exact: true })
    await box.fill('Hello from a Next.js app')
    await box.press('Enter')
    await page.locator('li.agent').first().waitFor({ timeout: 30_000 })
    await page.reload()
    await page.getByRole('button', { name: /Chat/ }).click()
    await page.locator('li.agent').first().waitFor({ timeout: 30_000 })
    const shown = await page.locator('li.visitor').allInnerTexts()
    const mine = shown.filter((text) => text.includes('Hello from a Next.js app'))
    if (mine.length !== 1)
      throw new Error(`after a reload the message shows ${mine.length} times: ${shown.join(' | ')}`)
    if (problems.length) throw new Error(`page errors: ${problems.join('; ')}`)
    const html = await page.content()
    for (const secret of ['refresh-token', 'a-run-time-secret', MOCK_ACCESS_TOKEN])
      if (html.includes(secret)) throw new Error(`the page holds a secret (${secret.slice(0, 4)}…)`)
  } finally {
    await browser.close()
  }
  console.log('ok: the widget sends, gets a reply and resumes after a reload')

  const bare = await start(34562, {})
  const answer = await fetch(`${bare.url}/api/chat/chat/conversations/1`)
  const body = await answer.json()
  if (answer.status !== 500 || body.errorCode !== 500) throw new Error(`no secrets: got ${answer.status}`)
  await fetch(`${bare.url}/api/chat/chat/conversations/1`)
  const lines = bare
    .log()
    .split('\n')
    .filter((line) => line.includes('createChatHandler:'))
  if (lines.length !== 1 || !lines[0].includes('secret')) throw new Error(`expected one log line, got:\n${lines}`)
  console.log('ok: with no secrets at run time, a JSON 500 and one log line naming the options')
} finally {
  for (const child of servers) {
    try {
      process.kill(-child.pid)
    } catch {}
  }
  tokens.close()
  await mock.close()
  if (!process.argv.includes('--keep')) rmSync(app, { recursive: true, force: true })
}
