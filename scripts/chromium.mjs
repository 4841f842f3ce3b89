// The Chromium the browser tests and the screenshot script launch: $CHROMIUM_PATH, else Debian's
// /usr/bin/chromium, else (undefined) Playwright's own download. The flags keep a headless run off
// the network: without them Chromium keeps calling hosts this machine's closed network refuses.
import { existsSync } from 'node:fs'

export const chromiumPath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
