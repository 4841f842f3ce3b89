import { build, type Plugin } from 'esbuild'
import { describe, expect, it } from 'vitest'

// Each entry bundled as an app's bundler would, in an app that installed only the required peers:
// an import of an optional peer (`redis`, `msw`) from an entry that must not need it fails the build,
// as it fails a Next.js/Turbopack build that lacks the package.

const REQUIRED_PEERS = [
  'react',
  'react/*',
  'react-dom',
  'react-dom/*',
  '@tanstack/react-query',
  'ofetch',
  'rate-limiter-flexible',
  'rate-limiter-flexible/*',
]
const OPTIONAL_PEER = /^(redis|@redis\/[^/]+|msw)(\/.*)?$/

/** Makes optional peers unresolvable, except the ones `allowed` (left external, as the app would install them). */
const optionalPeers = (allowed: RegExp | undefined): Plugin => ({
  name: 'optional-peers',
  setup(build) {
    build.onResolve({ filter: OPTIONAL_PEER }, (args) =>
      allowed?.test(args.path)
        ? { path: args.path, external: true }
        : { errors: [{ text: `optional peer "${args.path}" imported by ${args.importer}` }] },
    )
  },
})

/** The optional-peer imports that break a bundle of `entry`; `[]` when it builds. */
async function brokenImports(entry: string, platform: 'browser' | 'node', allowed?: RegExp) {
  try {
    await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform,
      jsx: 'automatic',
      external: REQUIRED_PEERS,
      plugins: [optionalPeers(allowed)],
      logLevel: 'silent',
    })
    return []
  } catch (failure) {
    const errors = (failure as { errors?: { text: string }[] }).errors
    if (!errors) throw failure
    return errors.map((error) => error.text)
  }
}

describe('entries bundled without the optional peers', () => {
  it('the main entry and core need neither redis nor msw', async () => {
    expect(await brokenImports('src/index.ts', 'browser')).toEqual([])
    expect(await brokenImports('src/core/index.ts', 'browser')).toEqual([])
  })

  it('socialboards-chat-react/server needs no redis (it is in socialboards-chat-react/server/redis)', async () => {
    expect(await brokenImports('src/server/index.ts', 'node')).toEqual([])
  })

  it('the mock entries need msw at most, never redis', async () => {
    expect(await brokenImports('src/mock/index.ts', 'browser', /^msw(\/.*)?$/)).toEqual([])
    expect(await brokenImports('src/mock/server.ts', 'node', /^msw(\/.*)?$/)).toEqual([])
  })

  it('socialboards-chat-react/server/redis does import redis (so the checks above can fail)', async () => {
    const broken = await brokenImports('src/server/redis.ts', 'node')
    expect(broken.length).toBeGreaterThan(0)
    expect(broken.every((text) => text.startsWith('optional peer "redis"'))).toBe(true)
    expect(await brokenImports('src/server/redis.ts', 'node', /^redis$/)).toEqual([])
  })
})
