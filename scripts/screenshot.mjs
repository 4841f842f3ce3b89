// Regenerates the README's pictures from the static Storybook (run `npm run build-storybook` first): the reference
// widget (examples/widget) in light and dark (docs/reference-widget-light.png, docs/reference-widget-dark.png). Serves storybook-static/ on loopback, opens each story in
// headless Chromium and waits for its play function to reach the state shown.
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { chromium } from 'playwright'
import { chromiumArgs, chromiumPath } from './chromium.mjs'

const root = 'storybook-static'
const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
}
const server = createServer((request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
  const file = join(root, path.endsWith('/') ? `${path}index.html` : path)
  if (!existsSync(file)) return response.writeHead(404).end()
  response
    .writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
    .end(readFileSync(file))
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const { port } = server.address()

const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
try {
  // The reference widget after the agent answered, on a plain page of the same scheme, story canvas only.
  for (const [theme, story, backdrop] of [
    ['light', 'reference-widget--agent-joined', '#f6f7f9'],
    ['dark', 'reference-widget--agent-joined-dark', '#0e1013'],
  ]) {
    const widget = await browser.newPage({ viewport: { width: 520, height: 760 }, deviceScaleFactor: 2 })
    await widget.emulateMedia({ colorScheme: theme })
    await widget.goto(`http://127.0.0.1:${port}/iframe.html?id=${story}&viewMode=story`)
    await widget.getByText('About "It was due on Monday."').waitFor({ timeout: 30_000 })
    // The story's own page controls ("Reload page") are not part of the picture.
    await widget.evaluate((color) => {
      document.body.style.background = color
      // The play's last click leaves a focus ring on Send; the picture shows the widget at rest.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur()
      for (const element of document.querySelectorAll('#storybook-root p:has(> button)'))
        element.style.visibility = 'hidden'
    }, backdrop)
    await widget.waitForTimeout(400)
    await widget.screenshot({ path: `docs/reference-widget-${theme}.png` })
    console.log(`wrote docs/reference-widget-${theme}.png`)
    await widget.close()
  }
} finally {
  await browser.close()
  server.close()
}
