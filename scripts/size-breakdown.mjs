// What each part costs: the marginal brotli bytes of every module in the bundle of the create path
// (`ChatApiProvider` + `useCreateConversation`) and of the whole main entry (own code, the peers'
// externals), so the distance to #14's goals can be read part by part. Run by `npm run size`.
import zlib from 'node:zlib'
import { build, transform } from 'esbuild'

const external = ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query', 'ofetch']
const brotli = (text) =>
  zlib.brotliCompressSync(Buffer.from(text), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length

// What a part is for: what a user would lose without it.
const roles = {
  'src/core/validate.ts': 'input rules with paths (author, email, GUID, URL, fields), strict ISO times',
  'src/core/json.ts': 'one-pass body snapshot (getters, toJSON, cycles, BigInt, holes, depth)',
  'src/core/http.ts':
    'ofetch call: token custody and 401 repeat, timeout over the whole call, abort, redirect refusal, envelope, error kinds, Retry-After',
  'src/core/connection.ts': 'options check, endpoint check (id, query, signal), never-throwing calls',
  'src/core/errors.ts': 'ChatApiError (kinds, fields, no secret in JSON)',
  'src/core/clock.ts': 'server clock (stamps in server time for later sends)',
  'src/core/endpoints.ts': 'table entries and response guards',
  'src/core/session.ts': 'createChatSession: status, resume, tabs, realtime, scrollback, unread, events, pages',
  'src/core/outbox.ts': 'the outbox protocol: record, recheck, back-off, lock, stamps in server time',
  'src/core/messages.ts': 'message views and roles',
  'src/core/storage.ts': 'storage adapters',
  'src/core/client.ts': 'createChatClient (every method)',
  'src/react/provider/ChatApiProvider.tsx': 'provider: connection, token ref, QueryClient fallback, realtime slot',
  'src/react/provider/context.ts': 'context and the missing-provider error',
  'src/react/provider/useChatMutation.ts': 'options merge that keeps key, scope and retry fixed',
  'src/react/provider/options.ts': 'query and mutation options (cache writes, polling, pages)',
  'src/react/provider/keys.ts': 'query keys',
  'src/react/provider/outboxes.ts': 'the outbox shared by useAddMessages and the message list',
  'src/react/provider/streams.ts': 'realtime for the lifecycle hooks',
  'src/react/hooks/useCreateConversation.ts': 'single flight for a double submit',
  'src/react/hooks/useConversationMessages.ts': 'newest-first list, catch-up, scrollback, pending merge',
  'src/react/session/useChatSession.ts': 'the React adapter of createChatSession',
}

/** The entry's bundle by esbuild, minified as told. */
const bundle = async (exports, minify) =>
  (
    await build({
      stdin: { contents: `export ${exports} from './src/index.ts'`, resolveDir: process.cwd(), loader: 'ts' },
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

async function report(title, exports, goal, rows) {
  // esbuild marks where each module starts: `// src/core/http.ts`.
  const text = (await bundle(exports, { minifySyntax: true })).replace(/^export \{[^}]*\};?\s*$/m, '')
  // A module can come out in more than one piece (esbuild hoists some declarations): one row a file.
  const byFile = new Map()
  for (const chunk of text.split(/^\/\/ (?=(?:src|\.\.)\S*\.tsx?$)/m)) {
    const [first, ...rest] = chunk.split('\n')
    const file = /\.tsx?$/.test(first) ? first.trim() : '(imports)'
    byFile.set(file, (byFile.get(file) ?? '') + (file === '(imports)' ? chunk : rest.join('\n')))
  }
  const parts = []
  for (const [file, code] of byFile)
    parts.push({ file, code: (await transform(code, { minify: true, loader: 'js', format: 'esm' })).code })
  const whole = brotli(parts.map((part) => part.code).join(''))
  const costs = parts
    .filter((part) => part.file !== '(imports)')
    .map((part) => ({
      file: part.file,
      cost:
        whole -
        brotli(
          parts
            .filter((other) => other !== part)
            .map((other) => other.code)
            .join(''),
        ),
    }))
    .sort((a, b) => b.cost - a.cost)
  console.log(`\n${title}, own code, part by part (marginal brotli bytes; whole ${whole} B, goal ${goal} B):`)
  for (const row of costs.slice(0, rows))
    console.log(`  ${String(row.cost).padStart(5)} B  ${row.file.padEnd(44)} ${roles[row.file] ?? ''}`)
  if (costs.length > rows) console.log(`  (${costs.length - rows} more modules, each under ${costs[rows - 1].cost} B)`)
  const full = await bundle(exports, { minify: true })
  console.log(
    `  Of the whole (${brotli(full)} B as one bundle), the words of its error messages: ${brotli(full) - brotli(blankMessages(full))} B.`,
  )
}

await report(
  'The create path (ChatApiProvider + useCreateConversation)',
  '{ ChatApiProvider, useCreateConversation }',
  2000,
  20,
)
await report('The whole main entry', '*', 6000, 12)
