import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

// "Pay only for the endpoints you use": what a bundle of some exports of the main entry carries,
// built as an app's bundler would (esbuild, tree-shaking, React, TanStack Query and ofetch external).
async function bundle(names: string) {
  const result = await build({
    stdin: { contents: `export { ${names} } from './src/index.ts'`, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    jsx: 'automatic',
    external: ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query', 'ofetch'],
    logLevel: 'silent',
  })
  return new TextDecoder().decode(result.outputFiles[0]?.contents)
}

const OTHER_ENDPOINTS = ['previousMessages', '/takeover', '/feedback', '/latestUrl', '/close', '/messages']

describe('tree-shaking', () => {
  it('the provider and the create hook carry the create endpoint and no other, and no realtime', async () => {
    const code = await bundle('ChatApiProvider, useCreateConversation')
    expect(code).toContain('chat/conversations')
    for (const path of OTHER_ENDPOINTS) expect(code).not.toContain(path)
    expect(code).not.toContain('EventSource')
    expect(code).not.toContain('lastEventId')
  })

  it('a read hook carries no write endpoint and none of the create checks', async () => {
    const code = await bundle('ChatApiProvider, useConversation')
    for (const path of OTHER_ENDPOINTS) expect(code).not.toContain(path)
    expect(code).not.toContain('must be an email address')
    expect(code).not.toContain('isBotEnabled')
  })

  it('realtime comes with serverEvents, and only with it', async () => {
    expect(await bundle('ChatApiProvider, serverEvents')).toContain('EventSource')
  })
})
