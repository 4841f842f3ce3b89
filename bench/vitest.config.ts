import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// `npm run bench`: measurements, not tests. Kept out of `npm test`.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^socialboards-chat-react\/mock$/, replacement: here('../src/mock/index.ts') },
      { find: /^socialboards-chat-react$/, replacement: here('../src/index.ts') },
    ],
  },
  test: {
    include: ['bench/*.run.{ts,tsx}'],
    environment: 'jsdom',
    execArgv: ['--expose-gc'],
    testTimeout: 600_000,
    fileParallelism: false,
  },
})
