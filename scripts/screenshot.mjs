import { chromium } from 'playwright'

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
})
const page = await browser.newPage({ viewport: { width: 1200, height: 760 } })
await page.goto('http://127.0.0.1:6107/?path=/story/create-conversation-start-chat-form--starts-a-chat')
const frame = page.frameLocator('#storybook-preview-iframe')
await frame.getByRole('heading', { name: 'You are in the queue' }).waitFor({ timeout: 20000 })
await page.waitForTimeout(800)
await page.screenshot({ path: 'docs/storybook-demo.png' })
await browser.close()
