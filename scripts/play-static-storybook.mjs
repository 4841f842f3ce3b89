// Plays the static Storybook build (`npm run build-storybook`) in headless Chromium: the server half's stories (whose
// handler runs inside the page, behind msw, so no server is needed) and the first page (Free Play). Each story's own
// play function runs first and must pass; then, in the stories that show the support widget, this script chats like
// a person (start a chat, send a message, see the agent's answer). Prints `storybook-static: N passed, M failed` and
// exits non-zero on any failure.
//
//   node scripts/play-static-storybook.mjs [dir]    (default: storybook-static)
import { createReadStream, existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { chromium } from 'playwright'
import { chromiumArgs, chromiumPath } from './chromium.mjs'

const root = resolve(process.argv[2] ?? 'storybook-static')
const SECOND = 1000
const PLAY_TIMEOUT = 120 * SECOND
const WAIT = 30 * SECOND

if (!existsSync(join(root, 'iframe.html')) || !existsSync(join(root, 'index.json'))) {
  console.error(`${root} is not a static Storybook build: run \`npm run build-storybook\` (or pass the output dir).`)
  console.log('storybook-static: 0 passed, 1 failed')
  process.exit(1)
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
}

/** The build's files, as a static host serves them; nothing else answers (no /api/chat here). */
const server = createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
  let file = resolve(root, `.${path}`)
  if (file !== root && !file.startsWith(root + sep)) {
    response.writeHead(403).end()
    return
  }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html')
  if (!existsSync(file) || !statSync(file).isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found')
    return
  }
  response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
  createReadStream(file).pipe(response)
})
await new Promise((done) => server.listen(0, '127.0.0.1', done))
const origin = `http://127.0.0.1:${server.address().port}`

const index = JSON.parse(await readFile(join(root, 'index.json'), 'utf8'))
const stories = Object.values(index.entries).filter((entry) => entry.type === 'story')

/** Installed before the page's scripts: the story's outcome, from Storybook's own channel. */
function listenToStorybook() {
  let channel
  window.__storyOutcome = new Promise((settle) => {
    Object.defineProperty(window, '__STORYBOOK_ADDONS_CHANNEL__', {
      configurable: true,
      get: () => channel,
      set: (next) => {
        channel = next
        next.on('playFunctionThrewException', (error) => settle({ status: 'error', why: error?.message ?? error }))
        next.on('storyThrewException', (error) => settle({ status: 'error', why: error?.message ?? error }))
        next.on('storyErrored', (error) => settle({ status: 'error', why: error?.description ?? error?.title }))
        next.on('storyFinished', ({ status, reporters }) =>
          settle({
            status,
            why: reporters
              ?.filter((report) => report.status === 'failed')
              .map((report) => `${report.type}: ${JSON.stringify(report.result?.violations?.map((v) => v.id) ?? '')}`)
              .join('; '),
          }),
        )
      },
    })
  })
}

/** Opens one story by itself, waits for its play function to finish, then lets `drive` chat in it. */
async function playStory(browser, id, drive) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    // (Chromium asks every page for /favicon.ico; the build has none.)
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
      problems.push(`console: ${message.text()}`)
  })
  page.on('response', (response) => {
    if (response.status() === 404) problems.push(`404: ${response.url()}`)
  })
  try {
    await page.addInitScript(listenToStorybook)
    await page.goto(`${origin}/iframe.html?id=${encodeURIComponent(id)}&viewMode=story`)
    const outcome = await page.evaluate(
      (timeout) =>
        Promise.race([
          window.__storyOutcome,
          new Promise((settle) => setTimeout(() => settle({ status: 'timeout', why: `${timeout} ms` }), timeout)),
        ]),
      PLAY_TIMEOUT,
    )
    if (outcome.status !== 'success') throw new Error(`its play function: ${outcome.status} (${outcome.why ?? ''})`)
    await drive(page)
  } catch (error) {
    const firstLine = (text) => String(text).split('\n')[0].slice(0, 300)
    throw new Error([error.message, ...problems].slice(0, 10).map(firstLine).join('\n    '))
  } finally {
    await context.close()
  }
}

const messages = (page) => page.getByRole('list', { name: 'Messages' })

/** Writes in the widget's composer and waits until the message is sent (shown, no longer "Sending…"). */
async function write(page, text) {
  await page.getByLabel('Message', { exact: true }).fill(text)
  await page.getByRole('button', { name: 'Send' }).click()
  const item = messages(page).getByRole('listitem').filter({ hasText: text }).last()
  await item.waitFor({ timeout: WAIT })
  await item.getByText('Sending…').waitFor({ state: 'detached', timeout: WAIT })
}

/** After the play: a new chat through the in-page handler; the agent joins and answers; the cookie stays hidden. */
async function chatThroughTheHandler(page) {
  const widget = page.getByRole('region', { name: 'Support widget' })
  const newChat = page.getByRole('button', { name: 'New chat' })
  if (await newChat.isVisible()) await newChat.click()
  await write(page, 'Hello from the static build')
  await messages(page)
    .getByText(/I'm Anna from support/)
    .last()
    .waitFor({ timeout: WAIT })
  await write(page, 'Where is my parcel?')
  await messages(page).getByText('About "Where is my parcel?"').waitFor({ timeout: WAIT })
  const id = await widget.getAttribute('data-conversation-id')
  const status = await page.evaluate(async (url) => {
    const own = await fetch(url)
    const without = await fetch(url, { credentials: 'omit' })
    return { own: own.status, without: without.status, cookie: document.cookie }
  }, `/api/chat/chat/conversations/${id}`)
  if (status.own !== 200 || status.without !== 403 || /sb_chat/.test(status.cookie))
    throw new Error(`the handler's cookie: ${JSON.stringify(status)}`)
  await page.getByRole('button', { name: 'End chat' }).click()
  await page.getByText('This chat has ended.').waitFor({ timeout: WAIT })
}

/** Free Play, the first page: its play said hello and got answers; one more question, one more answer. */
async function chatInFreePlay(page) {
  await messages(page).getByText('About "Is my parcel on its way?"').last().waitFor({ timeout: WAIT })
  await write(page, 'Can I change the address?')
  await messages(page).getByText('About "Can I change the address?"').waitFor({ timeout: WAIT })
}

const checks = []
const first = stories[0]
checks.push({
  name: `the first page is a running chat (${first?.id})`,
  run: async () => {
    if (first?.id !== 'chat-session-support-widget--free-play')
      throw new Error(`the first story is ${first?.id}, not Free Play`)
  },
})
checks.push({
  name: 'chat-session-support-widget--free-play',
  run: (browser) => playStory(browser, 'chat-session-support-widget--free-play', chatInFreePlay),
})
// The widget stories are chatted in after their play; the others (history, sign-out) show no widget, and their own
// play functions are the check (they assert what the in-page handler answered, 403s included).
const WIDGET_TITLE = 'Server half/Secure support widget'
const serverHalf = stories.filter((entry) => entry.title.startsWith('Server half/'))
if (!serverHalf.some((entry) => entry.title === WIDGET_TITLE))
  checks.push({
    name: `the stories of ${WIDGET_TITLE}`,
    run: async () => {
      throw new Error('none in index.json')
    },
  })
const playOnly = async () => {}
for (const story of serverHalf) {
  const drive = story.title === WIDGET_TITLE ? chatThroughTheHandler : playOnly
  checks.push({ name: story.id, run: (browser) => playStory(browser, story.id, drive) })
}

let passed = 0
let failed = 0
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
try {
  for (const check of checks) {
    const started = Date.now()
    try {
      await check.run(browser)
      passed++
      console.log(`  ✓ ${check.name} (${((Date.now() - started) / SECOND).toFixed(1)} s)`)
    } catch (error) {
      failed++
      console.log(`  ✗ ${check.name}\n    ${error.message}`)
    }
  }
} finally {
  await browser.close()
  server.close()
}
console.log(`storybook-static: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
