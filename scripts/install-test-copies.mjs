// Run by `npm install` (the package's `prepare` script, which npm runs for a local install only, never when
// the package is installed as a dependency): the second React and the oldest supported TanStack Query the
// hook tests also run on, each a nested install (React 18 and 19 cannot both satisfy react-dom's peer range
// in one tree). So `npm test` needs no network once `npm install` is done.
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const copies = [
  { dir: 'test/react18', marker: 'test/react18/node_modules/react-dom/package.json', what: 'React 18' },
  {
    dir: 'test/tanstack-floor',
    marker: 'test/tanstack-floor/node_modules/@tanstack/react-query/package.json',
    what: 'the oldest supported TanStack Query',
  },
]

for (const { dir, marker, what } of copies) {
  if (existsSync(marker)) continue
  console.log(`Installing ${what} for its test run (${dir})…`)
  execSync(`npm install --prefix ${dir} --no-audit --no-fund --loglevel=error`, { stdio: 'inherit' })
}
