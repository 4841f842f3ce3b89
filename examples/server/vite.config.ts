// `npm run example`: this page, the server half at /api/chat, and the mock Chat API behind it.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { chatProxyPlugin } from '../../scripts/chat-proxy-plugin'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  root: here('.'),
  plugins: [chatProxyPlugin()],
  resolve: {
    alias: [
      { find: /^socialboards-chat-react\/core$/, replacement: here('../../src/core/index.ts') },
      { find: /^socialboards-chat-react$/, replacement: here('../../src/index.ts') },
    ],
  },
  server: { port: 5173 },
})
