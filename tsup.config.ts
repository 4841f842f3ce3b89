import { defineConfig } from 'tsup'

const shared = {
  format: ['esm', 'cjs'] as ('esm' | 'cjs')[],
  dts: true,
  sourcemap: true,
  target: 'es2022',
  external: ['react', '@tanstack/react-query', 'msw', 'ofetch', 'redis', 'rate-limiter-flexible'],
}

export default defineConfig([
  // The React entry: marked as client code for React Server Components.
  { ...shared, entry: { index: 'src/index.ts' }, banner: { js: "'use client';" } },
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
