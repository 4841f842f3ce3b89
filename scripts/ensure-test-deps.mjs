// Makes sure what `npm test` needs beyond `npm install` is there:
// - React 18 and TanStack Query at the peer range's floor (test/react18, test/tanstack-floor), for the
//   second and third runs of the hook tests: `npm install` installs them (its `prepare` script);
// - a redis-server for the Redis tests;
// - a Chromium for the Storybook browser tests: $CHROMIUM_PATH, Debian's /usr/bin/chromium or
//   Playwright's own download; on a Debian machine where we are root, Debian's package is installed
//   (Playwright cannot download browsers there).
import { execSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

// `npm install` put them there (scripts/install-test-copies.mjs, the `prepare` script); an install that skipped
// scripts (--ignore-scripts) gets them now, which needs the network.
const missing = [
  'test/react18/node_modules/react-dom/package.json',
  'test/tanstack-floor/node_modules/@tanstack/react-query/package.json',
].filter((marker) => !existsSync(marker))
if (missing.length) {
  console.log(
    'The React 18 and TanStack floor copies are missing (was `npm install` run with --ignore-scripts?): installing them…',
  )
  execSync('node scripts/install-test-copies.mjs', { stdio: 'inherit' })
}

// A real redis-server for the event bus tests (Debian's package, as CI runs it).
const hasRedis = () => {
  try {
    execSync('redis-server --version', { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
if (!hasRedis()) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('No redis-server found for the event bus tests: installing Debian’s redis-server package…')
    execSync('apt-get update -qq && apt-get install -y -qq redis-server', { stdio: 'inherit' })
  } else {
    console.error('The event bus tests need redis-server (Debian/Ubuntu: `sudo apt-get install redis-server`).')
    process.exit(1)
  }
}

const playwrightCache = process.env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), '.cache', 'ms-playwright')
const hasPlaywrightChromium = () =>
  existsSync(playwrightCache) && readdirSync(playwrightCache).some((name) => name.startsWith('chromium'))

if (process.env.CHROMIUM_PATH || existsSync('/usr/bin/chromium') || hasPlaywrightChromium()) process.exit(0)

if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  console.log('No Chromium found for the browser tests: installing Debian’s chromium package (about a minute)…')
  execSync('apt-get update -qq && apt-get install -y -qq chromium', { stdio: 'inherit' })
  process.exit(0)
}
console.error(
  'The Storybook tests need Chromium. Install it (Debian/Ubuntu: `sudo apt-get install chromium`), ' +
    'or run `npx playwright install chromium`, or set CHROMIUM_PATH to a Chromium binary.',
)
process.exit(1)
