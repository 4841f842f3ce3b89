// Makes sure what `npm test` needs beyond `npm install` is there:
// - TanStack Query at the peer range's floor (test/tanstack-floor), for a third run of the hook tests;
// - a redis-server for the Redis event bus tests;
// - React 18 for the second run of the hook tests (a nested install, because React 18 and 19
//   cannot both satisfy react-dom's peer range in one package);
// - a Chromium for the Storybook browser tests: $CHROMIUM_PATH, Debian's /usr/bin/chromium or
//   Playwright's own download; on a Debian machine where we are root, Debian's package is installed
//   (Playwright cannot download browsers there).
import { execSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

if (!existsSync('test/react18/node_modules/react-dom/package.json')) {
  console.log('Installing React 18 for the React 18 test run (test/react18)…')
  execSync('npm install --prefix test/react18 --no-audit --no-fund --loglevel=error', { stdio: 'inherit' })
}

if (!existsSync('test/tanstack-floor/node_modules/@tanstack/react-query/package.json')) {
  console.log('Installing the oldest supported TanStack Query for its test run (test/tanstack-floor)…')
  execSync('npm install --prefix test/tanstack-floor --no-audit --no-fund --loglevel=error', { stdio: 'inherit' })
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
