// `npm run size`: every entry of .size-limit.json bundled in one run, ours and the peers side by side
// (esbuild, minified, ESM, brotli quality 11; external exactly what an entry's `ignore` lists, so an
// entry without TanStack Query in `ignore` carries it), the goals of #25 read off the same run, a
// byte profile of the paths the goals name (esbuild's metafile: our code per source file, TanStack
// Query, ofetch, ufo, destr), and a non-zero exit when one of our entries passes its budget.
// `--json` prints the measured entries as JSON instead (what scripts/quality.mjs reads).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import zlib from 'node:zlib'
import { build } from 'esbuild'

const json = process.argv.includes('--json')
const entries = JSON.parse(readFileSync('.size-limit.json', 'utf8'))

/** Brotli bytes, as size-limit and the issue count them. */
const brotli = (bytes) =>
  zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length

/** A bundle of `exports` from `path`, what an app importing them ships. */
async function bundle(path, exports, ignore) {
  const contents = exports === '*' ? `export * from '${resolve(path)}'` : `export ${exports} from '${resolve(path)}'`
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    treeShaking: true,
    write: false,
    metafile: true,
    external: ignore,
    jsx: 'automatic',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'silent',
  })
  const code = result.outputFiles[0].contents
  return { size: brotli(code), minified: code.length, metafile: result.metafile }
}

const measured = []
for (const entry of entries) {
  const { size } = await bundle(entry.path, entry.import, entry.ignore ?? [])
  const limit = entry.limit ? parseLimit(entry.limit) : undefined
  measured.push({ ...entry, size, limitBytes: limit, passed: limit === undefined || size <= limit })
}

function parseLimit(text) {
  const match = /^([\d.]+)\s*(kB|B)$/.exec(text)
  if (!match) throw new Error(`.size-limit.json: a limit like "12.5 kB" or "900 B", not ${JSON.stringify(text)}`)
  return Math.round(Number(match[1]) * (match[2] === 'kB' ? 1000 : 1))
}

// The rows the goals compare, found by how their names start (the file stays one size-limit reads).
const starts = {
  widget: 'ours: widget path',
  livechat: 'peer: LiveChat',
  'core-session': 'ours: /core createChatSession',
  create: 'ours: create path',
}
for (const entry of measured) entry.id = Object.keys(starts).find((id) => entry.name.startsWith(starts[id]))
if (json) {
  console.log(
    JSON.stringify(
      measured.map(({ id, name, size, limit }) => ({ id, name, size, limit })),
      null,
      2,
    ),
  )
  process.exit(measured.every((entry) => entry.passed) ? 0 : 1)
}

const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`
const byId = (id) => measured.find((entry) => entry.id === id)

console.log('Sizes (esbuild, minified, ESM, brotli; external only what each row names), ours and the peers:\n')
const width = Math.max(...measured.map((entry) => entry.name.length))
for (const entry of measured) {
  const budget = entry.limitBytes === undefined ? 'peer, measured' : `budget ${entry.limit}`
  const mark = entry.passed ? ' ' : '✗'
  console.log(`${mark} ${entry.name.padEnd(width)}  ${kB(entry.size).padStart(9)}  ${budget}`)
}

// The goals of #25, each against the peer measured in this same run.
const peer = byId('livechat')
const goals = [
  {
    what: 'widget path (ChatApiProvider + useChatSession) under LiveChat’s customer SDK',
    id: 'widget',
    max: peer.size - 1,
  },
  { what: '/core createChatSession at most 60 % of LiveChat’s', id: 'core-session', max: Math.floor(peer.size * 0.6) },
  { what: 'create path (ChatApiProvider + useCreateConversation) at most 12.5 kB', id: 'create', max: 12500 },
]
console.log(`\nGoals (LiveChat’s customer SDK in this run: ${kB(peer.size)}):`)
for (const goal of goals) {
  const ours = byId(goal.id).size
  const gap = ours - goal.max
  console.log(
    `  ${gap <= 0 ? 'met    ' : 'not met'}  ${goal.what}: ${kB(ours)} (${((ours / peer.size) * 100).toFixed(0)} % of LiveChat’s), goal ≤ ${kB(goal.max)}${gap > 0 ? `, ${kB(gap)} over` : ''}`,
  )
}

// Where the bytes of each goal's path go: esbuild's metafile gives each input's minified bytes in
// the output; the brotli column shares the bundle's brotli size out in proportion (an estimate: a
// part compresses about as well as the whole).
const group = (path) => {
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  if (!module) return path
  if (module[1].startsWith('@tanstack/')) return `TanStack Query (${module[1]})`
  return module[1]
}
for (const id of ['widget', 'core-session', 'create']) {
  const entry = byId(id)
  // Our part by source file: the same exports bundled from src/ (dist/ is one file a entry).
  const source = entry.path
    .replace(/^dist\/index\.js$/, 'src/index.ts')
    .replace(/^dist\/core\.js$/, 'src/core/index.ts')
  const { size, minified, metafile } = await bundle(source, entry.import, entry.ignore ?? [])
  const inputs = Object.values(metafile.outputs)[0].inputs
  const parts = new Map()
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const name = group(path)
    parts.set(name, (parts.get(name) ?? 0) + bytesInOutput)
  }
  const rows = [...parts].filter(([, bytes]) => bytes > 0).sort((a, b) => b[1] - a[1])
  const ours = rows.filter(([name]) => name.startsWith('src/')).reduce((sum, [, bytes]) => sum + bytes, 0)
  console.log(
    `\nProfile of ${entry.name.replace(/^ours: /, '')}: ${kB(size)} brotli, ${kB(minified)} minified, of which our code ${kB(ours)} minified (~${kB((size * ours) / minified)} brotli):`,
  )
  for (const [name, bytes] of rows)
    console.log(
      `  ${String(bytes).padStart(6)} B min  ~${String(Math.round((size * bytes) / minified)).padStart(5)} B br  ${name}`,
    )
}

const failed = measured.filter((entry) => !entry.passed)
if (failed.length) {
  console.error(`\n${failed.length} of our entries passed their budget:`)
  for (const entry of failed) console.error(`  ${entry.name}: ${kB(entry.size)} > ${entry.limit}`)
  process.exit(1)
}
