import { fileURLToPath } from 'node:url'
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// Tests import the library by its package name, as users do, resolved to the source.
const alias = [
  { find: /^socialboards-chat-react\/mock$/, replacement: here('./src/mock/index.ts') },
  { find: /^socialboards-chat-react\/mock\/server$/, replacement: here('./src/mock/server.ts') },
  { find: /^socialboards-chat-react\/core$/, replacement: here('./src/core/index.ts') },
  { find: /^socialboards-chat-react\/server\/redis$/, replacement: here('./src/server/redis.ts') },
  { find: /^socialboards-chat-react\/server$/, replacement: here('./src/server/index.ts') },
  { find: /^socialboards-chat-react$/, replacement: here('./src/index.ts') },
]

// The same hook tests again on React 18 (installed in test/react18 by scripts/ensure-test-deps.mjs).
const react18 = here('./test/react18/node_modules')
const react18Alias = [
  ...alias,
  // Its ESM build, so the React alias applies to its imports (its CJS build would require React 19).
  {
    find: /^@testing-library\/react$/,
    replacement: here('./node_modules/@testing-library/react/dist/@testing-library/react.esm.js'),
  },
  { find: /^react-dom(\/.*)?$/, replacement: `${react18}/react-dom$1` },
  { find: /^react(\/.*)?$/, replacement: `${react18}/react$1` },
]

// The oldest TanStack Query the peer range allows (installed in test/tanstack-floor).
const floor = here('./test/tanstack-floor/node_modules')
const floorAlias = [
  ...alias,
  { find: /^@tanstack\/react-query\/package\.json$/, replacement: `${floor}/@tanstack/react-query/package.json` },
  { find: /^@tanstack\/react-query$/, replacement: `${floor}/@tanstack/react-query/build/modern/index.js` },
  { find: /^@tanstack\/query-core$/, replacement: `${floor}/@tanstack/query-core/build/modern/index.js` },
  // One React for the inlined TanStack build and the tests alike.
  {
    find: /^@testing-library\/react$/,
    replacement: here('./node_modules/@testing-library/react/dist/@testing-library/react.esm.js'),
  },
  { find: /^react-dom(\/.*)?$/, replacement: `${here('./node_modules/react-dom')}$1` },
  { find: /^react(\/.*)?$/, replacement: `${here('./node_modules/react')}$1` },
]

const setupFiles = ['test/support/setup.ts']
// Every test waits on conditions, never on a fixed delay; the deadline only has to outlast a busy 2-core machine
// (the hook projects also transform React and TanStack Query inline on first import).
const testTimeout = 20_000
const hookTests = [
  'test/useCreateConversation.test.tsx',
  'test/ChatApiProvider.test.tsx',
  'test/ssr.test.tsx',
  'test/readme.test.tsx',
  'test/lifecycle-hooks.test.tsx',
  'test/useChatSession.test.tsx',
  'test/useChatAnnouncer.test.tsx',
  'test/useChatAttention.test.tsx',
  'test/useMyConversations.test.tsx',
]

export default defineConfig({
  test: {
    // Vitest's default on 2 cores is one file at a time; most files wait on sockets, timers and a browser,
    // so two at once use the machine instead of idling it.
    maxWorkers: 2,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          environment: 'jsdom',
          testTimeout,
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/node/**', '**/node_modules/**'],
          setupFiles,
          typecheck: { enabled: true, include: ['test/**/*.test-d.{ts,tsx}'], tsconfig: './tsconfig.json' },
        },
      },
      {
        // Real servers on loopback, no msw in between: transport, session engine, server half.
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          testTimeout,
          include: ['test/node/**/*.test.ts'],
        },
      },
      {
        resolve: { alias: react18Alias },
        test: {
          name: 'react18',
          environment: 'jsdom',
          testTimeout,
          include: [...hookTests, 'test/react-version.test.ts'],
          setupFiles,
          env: { EXPECT_REACT_MAJOR: '18' },
          // Inlined so the React alias also applies inside these packages.
          server: { deps: { inline: [/@tanstack\/react-query/, /@testing-library\/react/] } },
        },
      },
      {
        resolve: { alias: floorAlias },
        test: {
          name: 'tanstack-floor',
          environment: 'jsdom',
          testTimeout,
          include: [...hookTests, 'test/tanstack-version.test.ts'],
          setupFiles,
          env: { EXPECT_TANSTACK_VERSION: '5.89.0' },
          server: { deps: { inline: [/@tanstack\/react-query/, /@testing-library\/react/] } },
        },
      },
      {
        // The server half's stories run the handler inside the page, behind msw (stories/chat-server.ts).
        plugins: [storybookTest({ configDir: here('./.storybook') })],
        resolve: { alias },
        optimizeDeps: {
          include: ['react/jsx-dev-runtime', 'msw-storybook-addon'],
        },
        test: {
          name: 'storybook',
          // A whole visit is many steps; each waits on a condition, so a busy machine only makes it slower.
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              // Debian's Chromium where installed (Playwright cannot download browsers here).
              launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
})
