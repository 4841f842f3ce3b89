// What each part of the create path costs: the marginal brotli bytes of every module in the
// bundle of `ChatApiProvider` + `useCreateConversation` (own code, the peers' externals), so the
// distance to #14's 2.0 kB goal can be read part by part. Run by `npm run size`.
import zlib from 'node:zlib'
import { build, transform } from 'esbuild'

const GOAL = 2000
const external = ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query', 'ofetch']
const brotli = (text) =>
  zlib.brotliCompressSync(Buffer.from(text), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length

// What a part is for: the guarantee a user would lose without it.
const roles = {
  'src/core/validate.ts': 'input rules with paths (author, email, GUID, URL, fields)',
  'src/core/json.ts': 'one-pass body snapshot (getters, toJSON, cycles, BigInt, holes, depth)',
  'src/core/http.ts':
    'ofetch call: token custody and 401 repeat, timeout over the whole call, abort, redirect refusal, envelope, error kinds, Retry-After',
  'src/core/connection.ts': 'options check, endpoint check (id, query, signal), never-throwing calls',
  'src/core/errors.ts': 'ChatApiError (kinds, fields, no secret in JSON)',
  'src/core/clock.ts': 'server clock (stamps in server time for later sends)',
  'src/core/endpoints.ts': "the create's table entry and response guard",
  'src/core/calls.ts': 'createConversation as a function of a connection',
  'src/react/provider/ChatApiProvider.tsx': 'provider: connection, token ref, QueryClient fallback, realtime slot',
  'src/react/provider/context.ts': 'context and the missing-provider error',
  'src/react/provider/useChatMutation.ts': 'options merge that keeps key, scope and retry fixed',
  'src/react/hooks/useCreateConversation.ts': 'single flight for a double submit',
  'src/react/provider/options.ts': 'mutation options: never retried, writes the conversation into the cache',
  'src/react/provider/keys.ts': 'query keys',
}

/** The create path bundled with esbuild, minified as told. */
const bundle = async (minify) =>
  (
    await build({
      stdin: {
        contents: "export { ChatApiProvider, useCreateConversation } from './src/index.ts'",
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      write: false,
      external,
      jsx: 'automatic',
      target: 'es2022',
      legalComments: 'none',
      ...minify,
    })
  ).outputFiles[0].text

// esbuild marks where each module starts: `// src/core/http.ts`.
const text = (await bundle({ minifySyntax: true })).replace(/^export \{[^}]*\};?\s*$/m, '')
const parts = []
for (const chunk of text.split(/^\/\/ (?=(?:src|\.\.)\S*\.tsx?$)/m)) {
  const [first, ...rest] = chunk.split('\n')
  if (/\.tsx?$/.test(first)) parts.push({ file: first.trim(), code: rest.join('\n') })
  else parts.push({ file: '(imports)', code: chunk })
}
// A module can come out in more than one piece (esbuild hoists some declarations): one row a file.
const byFile = new Map()
for (const part of parts) byFile.set(part.file, (byFile.get(part.file) ?? '') + part.code)
const minified = []
for (const [file, code] of byFile) {
  const part = { file, code }
  minified.push({ file, code: (await transform(part.code, { minify: true, loader: 'js', format: 'esm' })).code })
}
const whole = brotli(minified.map((part) => part.code).join(''))
const rows = minified
  .filter((part) => part.file !== '(imports)')
  .map((part) => ({
    file: part.file,
    cost:
      whole -
      brotli(
        minified
          .filter((other) => other !== part)
          .map((other) => other.code)
          .join(''),
      ),
  }))
  .sort((a, b) => b.cost - a.cost)

console.log(`\nThe create path, own code, part by part (marginal brotli bytes; whole ${whole} B, goal ${GOAL} B):`)
for (const row of rows)
  console.log(`  ${String(row.cost).padStart(5)} B  ${row.file.padEnd(42)} ${roles[row.file] ?? ''}`)

// The words of the error messages ("author.email must be an email address like …"): the bundle
// with every string literal of 12 or more characters, and the text around each template's
// `${…}`, blanked.
function blankMessages(code) {
  let out = ''
  for (let i = 0; i < code.length; ) {
    const quote = code[i]
    if (quote !== '"' && quote !== "'" && quote !== '`') {
      out += code[i++]
      continue
    }
    let j = i + 1
    let text = ''
    let kept = ''
    while (code[j] !== quote) {
      if (code[j] === '\\') {
        text += code.slice(j, j + 2)
        j += 2
      } else if (quote === '`' && code.startsWith('${', j)) {
        let depth = 1
        const start = j
        j += 2
        while (depth) {
          if (code[j] === '{') depth++
          else if (code[j] === '}') depth--
          j++
        }
        kept += code.slice(start, j)
      } else text += code[j++]
    }
    out += quote === '`' || text.length >= 12 ? `${quote}${kept}${quote}` : code.slice(i, j + 1)
    i = j + 1
  }
  return out
}
const full = await bundle({ minify: true })
console.log(
  `  Of the whole (${brotli(full)} B as one bundle), the words of its error messages: ${brotli(full) - brotli(blankMessages(full))} B.`,
)
