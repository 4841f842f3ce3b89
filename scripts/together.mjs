// Runs npm scripts at the same time (for `npm test`: the type check and the build, each using a core), prints each
// one's output whole when it ends (never interleaved), and exits with the first failure's code.
//
//   node scripts/together.mjs typecheck build
import { spawn } from 'node:child_process'

const names = process.argv.slice(2)
if (!names.length) {
  console.error('usage: node scripts/together.mjs <npm script>...')
  process.exit(2)
}

const runs = names.map((name) =>
  new Promise((settle) => {
    const chunks = []
    const child = spawn('npm', ['run', name], {
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    })
    child.stdout.on('data', (chunk) => chunks.push(chunk))
    child.stderr.on('data', (chunk) => chunks.push(chunk))
    child.on('error', (error) => settle({ name, code: 1, output: String(error) }))
    child.on('close', (code, signal) => settle({ name, code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks) }))
  }).then((run) => {
    process.stdout.write(run.output)
    if (run.code) console.error(`npm run ${run.name} failed (exit code ${run.code})`)
    return run.code
  }),
)
const codes = await Promise.all(runs)
process.exit(codes.find((code) => code !== 0) ?? 0)
