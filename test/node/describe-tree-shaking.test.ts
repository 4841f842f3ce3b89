import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

// What an app's bundler keeps of the texts for visitors: an app that never imports describeError
// carries no catalog, and one that does carries English only unless it imports another language.
async function bundle(names: string, entry: string) {
  const result = await build({
    stdin: { contents: `export { ${names} } from '${entry}'`, resolveDir: process.cwd(), loader: 'ts' },
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

const ENGLISH = 'Please check your connection'
const NORWEGIAN = 'Sjekk nettforbindelsen'

describe('catalogs are paid for only when imported', () => {
  it('the client, the session engine and the widget hooks carry no catalog', async () => {
    for (const [names, entry] of [
      ['createChatClient, createChatSession', './src/core/index.ts'],
      ['ChatApiProvider, useChatSession, useCreateConversation', './src/index.ts'],
    ] as const) {
      const code = await bundle(names, entry)
      expect(code).not.toContain(ENGLISH)
      expect(code).not.toContain(NORWEGIAN)
    }
  })

  it('describeError brings English only; Norwegian comes with errorCatalogNb', async () => {
    const english = await bundle('describeError', './src/index.ts')
    expect(english).toContain(ENGLISH)
    expect(english).not.toContain(NORWEGIAN)
    const both = await bundle('describeError, errorCatalogNb', './src/core/index.ts')
    expect(both).toContain(NORWEGIAN)
  })
})
