// What an app's bundler keeps: a widget on useChatSession alone carries no QueryClient, and a bundle
// with a query hook still gets ChatApiProvider's own QueryClient (no QueryClientProvider needed).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { act, render, renderHook, screen, waitFor } from '@testing-library/react'
import { createElement, type ReactNode } from 'react'
import { afterAll, describe, expect, it } from 'vitest'
import { api, baseURL, token } from './support/mock-server'

const root = join(import.meta.dirname, '..')
// esbuild runs in a child process: jsdom's TextEncoder fails its startup check.
const bundle = async (exports: string): Promise<{ code: string; inputs: string[] }> => {
  const script = `
    const { build } = await import('esbuild')
    const result = await build({
      stdin: { contents: ${JSON.stringify(`export ${exports} from './src/index.ts'`)}, resolveDir: process.cwd(), loader: 'ts' },
      bundle: true, format: 'esm', platform: 'browser', write: false, metafile: true,
      external: ['react', 'react-dom'], jsx: 'automatic', logLevel: 'silent',
    })
    process.stdout.write(JSON.stringify({
      code: result.outputFiles[0].text,
      inputs: Object.keys(Object.values(result.metafile.outputs)[0].inputs),
    }))`
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  return JSON.parse(out)
}
const queryClientModule = (inputs: string[]) =>
  inputs.some((path) => path.endsWith('query-core/build/modern/queryClient.js'))

// Inside the repo, so the bundle's `react` is the one the test renders with.
const dir = mkdtempSync(join(root, 'node_modules', '.tree-shaking-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('tree-shaking of the query layer', () => {
  it('leaves TanStack’s QueryClient out of a widget on ChatApiProvider + useChatSession', async () => {
    const { inputs } = await bundle('{ ChatApiProvider, useChatSession }')
    expect(inputs.some((path) => path.endsWith('src/core/session.ts'))).toBe(true)
    expect(queryClientModule(inputs)).toBe(false)
  })

  it('keeps the provider’s own QueryClient in a bundle with a query hook, without a QueryClientProvider', async () => {
    const { code, inputs } = await bundle('{ ChatApiProvider, useCreateConversation }')
    expect(queryClientModule(inputs)).toBe(true)
    const file = join(dir, 'create.mjs')
    writeFileSync(file, code)
    const { ChatApiProvider, useCreateConversation } = await import(/* @vite-ignore */ file)
    function Create() {
      const create = useCreateConversation()
      return createElement('p', null, typeof create.mutateAsync)
    }
    render(createElement(ChatApiProvider, { baseURL: 'https://chat.example.test/' }, createElement(Create)))
    expect(screen.getByText('function')).toBeTruthy()
  })

  it('runs a widget on ChatApiProvider + useChatSession, bundled, with no QueryClient anywhere', async () => {
    const { code, inputs } = await bundle('{ ChatApiProvider, useChatSession, createMemoryStorage }')
    expect(queryClientModule(inputs)).toBe(false)
    const file = join(dir, 'widget.mjs')
    writeFileSync(file, code)
    const { ChatApiProvider, useChatSession, createMemoryStorage } = await import(/* @vite-ignore */ file)
    const storage = createMemoryStorage()
    const { result } = renderHook(
      () => useChatSession({ author: { name: 'Ada', email: 'ada@example.com' }, storage, pollInterval: 50 }),
      {
        wrapper: ({ children }: { children: ReactNode }) =>
          createElement(ChatApiProvider, { baseURL, accessToken: token }, children),
      },
    )
    await waitFor(() => expect(result.current.status).toBe('idle'))
    act(() => result.current.send('Hello'))
    await waitFor(() => expect(result.current.messages.map((m: { status: string }) => m.status)).toEqual(['sent']))
    expect(api.conversations()[0]?.messages?.map((m) => m.message)).toEqual(['Hello'])
  })
})
