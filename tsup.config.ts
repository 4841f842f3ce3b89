import { readFile, writeFile } from 'node:fs/promises'
import { defineConfig } from 'tsup'

const shared = {
  format: ['esm', 'cjs'] as ('esm' | 'cjs')[],
  dts: true,
  sourcemap: true,
  target: 'es2022',
  external: ['react', '@tanstack/react-query', 'msw', 'ofetch', 'redis', 'rate-limiter-flexible'],
}

export default defineConfig([
  // The React entry: marked as client code for React Server Components. Rollup's pass (treeshake)
  // merges each module's imports into one statement per package: a bundler that keeps React
  // external keeps every import statement of it, so 16 lines of `react` imports cost every path.
  // Rollup drops module-level directives, so 'use client' is put back first on line 1 (no line
  // added: the source maps stay true).
  {
    ...shared,
    entry: { index: 'src/index.ts' },
    treeshake: true,
    async onSuccess() {
      for (const file of ['dist/index.js', 'dist/index.cjs']) {
        const code = await readFile(file, 'utf8')
        if (!code.startsWith("'use client';")) await writeFile(file, `'use client';${code}`)
      }
    },
  },
  // The framework-free half: no React, no 'use client', importable from server code and plain Node.
  { ...shared, entry: { core: 'src/core/index.ts' } },
  // The server half: Web Request/Response only (plus a node:http adapter with no node import).
  { ...shared, entry: { server: 'src/server/index.ts' } },
  // The Redis-backed stores: their own entry, so only apps that install the optional `redis` peer import it.
  { ...shared, entry: { 'server-redis': 'src/server/redis.ts' }, platform: 'node' },
  // The mock API: a separate entry, so an app's production bundle never pulls it in.
  { ...shared, entry: { mock: 'src/mock/index.ts' } },
  // The mock on a real HTTP server (node:http): Node only, so never in a browser bundle.
  { ...shared, entry: { 'mock-server': 'src/mock/server.ts' }, platform: 'node' },
])
