import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/** Every module the file pulls in, following relative imports, and the packages it names. */
function graph(entry: string) {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    // Without comments: TSDoc examples show imports the module itself does not make.
    const source = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
    // Type-only imports are erased from the build: they load nothing.
    for (const [, specifier] of source.matchAll(/(?:import|export)(?!\s+type\b)[^'"]*?from\s+'([^']+)'/g)) {
      if (!specifier) continue
      if (!specifier.startsWith('.')) packages.add(specifier)
      else
        for (const candidate of ['.ts', '.tsx', '/index.ts'].map((end) => resolve(dirname(file), specifier) + end)) {
          try {
            readFileSync(candidate)
            visit(candidate)
            break
          } catch {}
        }
    }
  }
  visit(resolve(entry))
  return { files: [...files].map((file) => file.slice(resolve('src').length + 1)), packages: [...packages] }
}

describe('package entries', () => {
  it('the main entry never pulls in the mock or msw', () => {
    const { files, packages } = graph('src/index.ts')
    expect(files.length).toBeGreaterThan(5)
    expect(files.filter((file) => file.startsWith('mock'))).toEqual([])
    expect(packages.sort()).toEqual(['@tanstack/react-query', 'ofetch', 'react'])
  })

  it('the framework-free client knows nothing of React', () => {
    const { packages } = graph('src/core/index.ts')
    expect(packages).toEqual(['ofetch'])
  })

  it('the server entry needs no package at all: Web Request/Response, Web Crypto, fetch', () => {
    const { files, packages } = graph('src/server/index.ts')
    expect(packages).toEqual([])
    expect(files.some((file) => file.startsWith('react'))).toBe(false)
  })

  it('the built core and server entries are server code: no React, no "use client"', () => {
    for (const file of ['dist/core.js', 'dist/core.cjs', 'dist/server.js', 'dist/server.cjs']) {
      const built = readFileSync(file, 'utf8')
      expect(built.startsWith("'use client'")).toBe(false)
      expect(built).not.toMatch(/from ['"]react|require\(['"]react/)
    }
    // The React entry is client code, in both formats (Rollup's pass drops directives; the build puts it back).
    for (const file of ['dist/index.js', 'dist/index.cjs'])
      expect(readFileSync(file, 'utf8').startsWith("'use client'"), file).toBe(true)
  })

  it('the mock entry depends only on msw, not on React', () => {
    const { packages } = graph('src/mock/index.ts')
    expect(packages).toEqual(['msw'])
  })
})
